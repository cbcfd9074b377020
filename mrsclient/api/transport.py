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
  ``DEFAULT_TIMEOUT`` seconds), for connecting and for each read: osc-lib
  sets clouds.yaml's ``api_timeout`` to None, which would wait forever on
  a server that accepts and never answers (and openstack.config turns any
  ``<service>_api_timeout`` into that ``api_timeout``).
* Idempotent requests (GET, DELETE; the V1.1 cancel is a GET) are retried
  through keystoneauth's own options on a refused or reset connection, a
  timeout, and 502/503/504: ``RETRIES`` more tries with its backoff
  (0.5 s, 1 s). A POST (V2 kill, job submission) is sent once.
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

So one idempotent call takes at most about
``(RETRIES + 1) * 2 * timeout + 1.5 s + RETRIES * MAX_RETRY_AFTER``.
"""

import logging

from mrsclient.api import secrets

DEFAULT_TIMEOUT = 30.0
RETRIES = 2
RETRIABLE_STATUS_CODES = (502, 503, 504)
MAX_RETRY_AFTER = 5
IDEMPOTENT = frozenset({'GET', 'HEAD', 'DELETE'})

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


# Secrets seen in this process: masked in every record of LOG.
_SECRETS = set()
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
    for secret in _SECRETS:
        text = text.replace(secret, MASK)
    return text


def _remember_token(response, *args, **kwargs):
    token = response.request.headers.get('X-Auth-Token')
    if token and len(token) >= 8:
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


def request_options(method, timeout):
    """keystoneauth ``request()`` options for one request."""
    options = {'timeout': timeout, 'logger': LOG,
               'hooks': {'response': [_remember_token, _cap_retry_after]}}
    if method.upper() in IDEMPOTENT:
        options.update(connect_retries=RETRIES, status_code_retries=RETRIES,
                       retriable_status_codes=list(RETRIABLE_STATUS_CODES))
    else:
        options.update(connect_retries=0, status_code_retries=0)
    return options
