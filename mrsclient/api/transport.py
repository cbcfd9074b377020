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

"""How every MRS request is sent: a bounded time, bounded retries.

* Each request has a timeout (``mrs_timeout_seconds``, default
  ``DEFAULT_TIMEOUT`` seconds) for connecting and for each read of the
  socket, as requests applies it: a server that goes silent for that long
  fails the try, one that trickles a byte now and then does not (osc-lib
  sets clouds.yaml's ``api_timeout`` to None, which would wait forever on
  a server that accepts and never answers, and openstack.config turns
  any ``<service>_api_timeout`` into that ``api_timeout``).
* Reads are retried through keystoneauth's own options, set once on the
  Adapter (``ADAPTER_OPTIONS``): ``RETRIES`` more tries after a refused
  or reset connection or a timeout (connecting or reading), and
  ``RETRIES`` more after a 502, 503 or 504, with its backoff (0.5 s,
  1 s). keystoneauth counts the two kinds apart, so a read is sent at
  most 3 times when one kind of fault repeats and 5 times when they
  alternate.
* A request that changes something (the V1.1 cancel, although a GET;
  deletes; the V2 kill, batch delete and submit) is sent with no retry
  here (``ONCE``): when its answer is lost, the job's state afterwards
  decides what happened (:mod:`.intent`), and a submission is never
  sent again.
* A 429 (the API gateway's flow control) is never a failure until its
  budget is spent: whatever the method, the request is sent again (the
  gateway refused it before the service saw it, so even a POST is safe
  to resend), after ``Retry-After`` (seconds or an HTTP date, at most
  ``MAX_RETRY_AFTER``), or else after an exponential backoff with full
  jitter (``THROTTLE_BACKOFF`` doubled each time, at most
  ``THROTTLE_BACKOFF_CAP``). At most ``THROTTLE_TRIES`` sends and
  ``THROTTLE_BUDGET`` seconds of waiting a request; then its 429 is the
  answer, and the line says the API is throttling. This is done here
  (:func:`throttled`), not by keystoneauth, whose one budget of status
  retries would let a 503 to a POST be resent too.
* A ``Retry-After`` above ``MAX_RETRY_AFTER`` seconds is cut to it, so
  that no server can make a retry wait for an hour (newer keystoneauth
  releases honour it; the oldest we allow ignore it).
* keystoneauth's ``--debug`` log prints JSON and text bodies as they are:
  a server that echoes the token back would show it, and a job's
  properties carry OBS keys. The token of every answer is remembered (by
  a response hook, before keystoneauth logs) and masked in every record
  of this logger, and so are the values of secret keys
  (:mod:`.secrets`).
* keystoneauth warns on every retry (and on a redirect without a
  Location), which OSC prints at its default verbosity. A retry is not a
  failure, and what fails is said by the command's own line: these
  records become INFO, shown with ``-v`` or ``--debug``, so a failure
  stays one line.
"""

import email.utils
import logging
import random
import threading
import time

from mrsclient.api import secrets

DEFAULT_TIMEOUT = 30.0
RETRIES = 2
RETRIABLE_STATUS_CODES = (502, 503, 504)
MAX_RETRY_AFTER = 5
THROTTLED = 429
THROTTLE_TRIES = 10
THROTTLE_BUDGET = 60.0
THROTTLE_BACKOFF = 0.5
THROTTLE_BACKOFF_CAP = 8.0

# keystoneauth's request log and retry warnings for MRS calls.
LOG = logging.getLogger('mrsclient.http')

_NOTICES = ('Failure: ', 'Retriable status code ',
            'Failed to redirect request ')


class _NoticesAreInfo(logging.Filter):
    def filter(self, record):
        if record.levelno == logging.WARNING \
                and str(record.msg).startswith(_NOTICES):
            record.levelno, record.levelname = logging.INFO, 'INFO'
        return True


# Secrets seen in this process: masked in every record of LOG. Threads
# of --parallel add to it while others mask: a lock keeps it whole.
_SECRETS = set()
_SECRETS_LOCK = threading.Lock()
MASK = '***'


def _lowest_level_printed():
    """The lowest level any handler of LOG or its ancestors prints."""
    levels, logger = [], LOG
    while logger is not None:
        levels.extend(handler.level for handler in logger.handlers)
        logger = logger.parent if logger.propagate else None
    return min(levels) if levels else logging.WARNING


class _MaskSecrets(logging.Filter):
    def filter(self, record):
        # OSC sets the root logger to DEBUG, so keystoneauth builds its
        # request log on every call; what no handler prints needs no mask.
        if record.levelno < _lowest_level_printed():
            return True
        message = record.getMessage()
        masked = secrets.mask_text(mask(message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


LOG.addFilter(_NoticesAreInfo())
LOG.addFilter(_MaskSecrets())


def mask(text):
    """``text`` with every secret seen so far replaced by ``***``."""
    with _SECRETS_LOCK:
        known = tuple(_SECRETS)
    for secret in known:
        text = text.replace(secret, MASK)
    return text


def _remember_token(response, *args, **kwargs):
    token = response.request.headers.get('X-Auth-Token')
    if token and len(token) >= 8:
        with _SECRETS_LOCK:
            _SECRETS.add(token)
    return response


def parse_timeout(value, source='mrs_timeout_seconds'):
    """Seconds from clouds.yaml or the environment; None: the default."""
    if value in (None, ''):
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds < float('inf'):
        from osc_lib import exceptions
        raise exceptions.CommandError(
            f'{source} must be a number of seconds above 0, not {value!r}.')
    return seconds


def _cap_retry_after(response, *args, **kwargs):
    value = response.headers.get('Retry-After', '')
    if value.strip().isdigit() and int(value) > MAX_RETRY_AFTER:
        response.headers['Retry-After'] = str(MAX_RETRY_AFTER)
    return response


# keystoneauth Adapter options of every MRS client: retries of reads,
# and the logger whose records are masked.
ADAPTER_OPTIONS = {
    'connect_retries': RETRIES,
    'status_code_retries': RETRIES,
    'retriable_status_codes': list(RETRIABLE_STATUS_CODES),
    'logger': LOG,
}

# Request options of a request that changes something: one try.
ONCE = {'connect_retries': 0, 'status_code_retries': 0}

RESPONSE_HOOKS = (_remember_token, _cap_retry_after)


def retry_after(response, now=None):
    """Seconds a ``Retry-After`` asks for (capped), or None."""
    value = (response.headers.get('Retry-After') or '').strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment is None or moment.tzinfo is None:
            return None
        seconds = moment.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def throttle_delay(response, attempt, rng=random.random):
    """How long to wait after the ``attempt``-th 429 of a request."""
    asked = retry_after(response)
    if asked is not None:
        return asked
    ceiling = min(THROTTLE_BACKOFF * 2 ** (attempt - 1),
                  THROTTLE_BACKOFF_CAP)
    return ceiling * rng()


def throttled(send, on_throttle=None, on_answer=None):
    """``send()`` again while it is answered 429, within the budget.

    :param send: sends the request once; returns the response
    :param on_throttle: called on each 429 (the pool slows down)
    :param on_answer: called on each answer that is not a 429
    """
    waited = 0.0
    for attempt in range(1, THROTTLE_TRIES + 1):
        response = send()
        if response.status_code != THROTTLED:
            if on_answer:
                on_answer()
            return response
        if on_throttle:
            on_throttle()
        delay = throttle_delay(response, attempt)
        if attempt == THROTTLE_TRIES or waited + delay > THROTTLE_BUDGET:
            return response
        LOG.info('Throttled (HTTP 429) by %s; sending it again in %.2f s '
                 '(%d of %d).', response.url, delay, attempt + 1,
                 THROTTLE_TRIES)
        time.sleep(delay)
        waited += delay
    return response
