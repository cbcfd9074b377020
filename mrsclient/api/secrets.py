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

"""Secrets by key name: what job properties and arguments must never show.

MRS's own examples put ``fs.obs.access.key`` and ``fs.obs.secret.key``
into a job's ``properties``; Spark and Hadoop programs take the same keys
as arguments (``-Dfs.obs.secret.key=...``, ``--conf
spark.hadoop.fs.obs.secret.key=...``, ``--conf=key=value``). The value of
every key whose name contains one of ``SECRET_WORDS`` (in any letter
case) is masked wherever this plugin prints it: tables, every ``-f``
format, error lines, and the ``--debug`` request log (where keystoneauth
prints request bodies as they are).
"""

import re

SECRET_WORDS = ('secret', 'password', 'key', 'token', 'credential')
MASK = '***'

# "name": "value" in JSON, and name=value as MRS renders properties in a
# string. A name starts where no name character precedes it, so each run
# of characters is tried once: the patterns stay linear on megabytes.
_JSON_PAIR = re.compile(r'"([^"\\]*)"(\s*:\s*)"(?:[^"\\]|\\.)*"')
_FLAT_PAIR = re.compile(r'(?<![\w.\-])([\w.\-]+)(\s*=\s*)([^,;}\s"\']+)')
# A whole string that is one key=value (an argument, a list item): the
# value is everything after the "=", spaces included.
_WHOLE_PAIR = re.compile(r'^\s*([\w.\-]+)(\s*=)(.*)$', re.DOTALL)


def is_secret(name):
    lowered = str(name).lower()
    return any(word in lowered for word in SECRET_WORDS)


def mask_mapping(value):
    """A copy of a properties object with the secret values masked."""
    if isinstance(value, dict):
        return {name: MASK if is_secret(name) else mask_mapping(item)
                for name, item in value.items()}
    if isinstance(value, list):
        return [mask_mapping(item) for item in value]
    if isinstance(value, str):
        whole = _WHOLE_PAIR.match(value)
        if whole and is_secret(whole.group(1)):
            return f'{whole.group(1)}{whole.group(2)}{MASK}'
        return mask_text(value)
    return value


def mask_text(text):
    """``text`` with secret values of JSON and key=value pairs masked."""
    def json_pair(match):
        if not is_secret(match.group(1)):
            return match.group(0)
        return f'"{match.group(1)}"{match.group(2)}"{MASK}"'

    def flat_pair(match):
        if is_secret(match.group(1)):
            return f'{match.group(1)}{match.group(2)}{MASK}'
        # --conf=key=value: an inner key may be secret.
        parts = match.group(3).split('=')
        for index, name in enumerate(parts[:-1]):
            if is_secret(name):
                parts[index + 1:] = [MASK]
                break
        return f'{match.group(1)}{match.group(2)}{"=".join(parts)}'

    return _FLAT_PAIR.sub(flat_pair, _JSON_PAIR.sub(json_pair, text))
