#   Licensed under the Apache License, Version 2.0 (the "License"); you may
#   not use this file except in compliance with the License. You may obtain
#   a copy of the License at
#
#        http://www.apache.org/licenses/LICENSE-2.0
#
#   Unless required by applicable law or agreed to in writing, software
#   distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#   WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#   License for the specific language governing permissions and limitations
#   under the License.

"""The argparse types of the options: one line for a value that does
not fit, as argparse prints it (exit 2).
"""

import argparse
import datetime
import re
import time

from mrsclient.api.jobs import executions


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a whole number of 1 or more')
    return value


def parallel_count(text):
    value = positive_int(text)
    if value > executions.MAX_PARALLEL:
        raise argparse.ArgumentTypeError(
            f'{text!r} is more than {executions.MAX_PARALLEL}')
    return value


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float('inf'):
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a number of seconds (0 or more)')
    return value


_UNITS = {'': 1, 's': 1, 'm': 60, 'h': 3600}


def duration(text):
    """Seconds from ``90``, ``90s``, ``15m`` or ``2h`` (0 or more)."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in ('s', 'm', 'h') else ''
    try:
        result = seconds(value[:len(value) - len(unit)]) * _UNITS[unit]
    except argparse.ArgumentTypeError:
        result = float('inf')
    if result == float('inf'):  # 1e308h too: a number, not a duration
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a duration such as 90, 90s, 15m or 2h')
    return result


def positive_seconds(text):
    value = seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a number of seconds above 0')
    return value


def one_of(choices):
    """An argparse type for one of ``choices``, in any letter case.

    It gives back the API's own spelling.
    """
    by_folded = {choice.casefold(): choice for choice in choices}

    def convert(text):
        try:
            return by_folded[text.casefold()]
        except KeyError:
            raise argparse.ArgumentTypeError(
                f'{text!r} is not one of {", ".join(choices)}')
    return convert


def sort_key(text):
    """``<field>[:asc|desc]``, as OSC's ``--sort`` takes it: (field, way)."""
    field, _, direction = text.partition(':')
    direction = direction.lower() or 'asc'
    if not field or direction not in ('asc', 'desc'):
        raise argparse.ArgumentTypeError(
            f'{text!r} is not <field>[:asc|desc]')
    return field, direction


# A time before now, as gcloud takes them: 90s, 30m, 2h, 7d.
_AGO = re.compile(r'(\d+(?:\.\d+)?)([smhd])', re.IGNORECASE)
_AGO_UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400}


def time_in_milliseconds(text, now=time.time):
    """A time in epoch milliseconds, as the V2 API takes and gives times.

    What ``-f json`` prints (epoch milliseconds, digits only), an ISO 8601
    time (without a zone, UTC), or a time before now (``30m``, ``2h``,
    ``7d``: a number and a unit, s, m, h or d).
    """
    value = text.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    ago = _AGO.fullmatch(value)
    if ago:
        seconds_ago = float(ago.group(1)) * _AGO_UNITS[ago.group(2).lower()]
        then = now() - seconds_ago
        # 1e400d is infinite, 100000d before 1970: neither is a time.
        if not 0 <= then < float('inf'):
            raise argparse.ArgumentTypeError(
                f'{text!r} reaches back before 1970')
        return int(then * 1000)
    if value[-1:] in ('Z', 'z'):
        value = value[:-1] + '+00:00'
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not an ISO 8601 time such as 2026-11-25T08:00:00Z, '
            'a time before now such as 30m, 2h or 7d, nor epoch '
            'milliseconds such as 1796156689986')
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp() * 1000)
