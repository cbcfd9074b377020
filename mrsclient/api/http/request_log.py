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

"""The request log of every MRS call, with nothing secret in it.

keystoneauth logs each request and answer of an Adapter to the logger it
is given, ``LOG`` here (``mrsclient.http``); OSC prints it with
``--debug``.

* keystoneauth prints JSON and text bodies as they are: a server that
  echoes the token back would show it, and a job's properties carry OBS
  keys. The token of every answer is remembered (by a response hook,
  before keystoneauth logs) and masked in every record of ``LOG``, and so
  are the values of secrets (:mod:`mrsclient.api.secret_names`).
* keystoneauth warns on a retry (and on a redirect without a Location),
  which OSC prints at its default verbosity. A retry is not a failure,
  and what fails is said by the command's own line: every WARNING record
  of ``LOG`` (only keystoneauth writes there) becomes INFO, shown with
  ``-v`` or ``--debug``, whatever its wording.
"""

import collections
import logging
import re
import threading

from mrsclient.api import secret_names

LOG = logging.getLogger('mrsclient.http')
_SIGNATURE = re.compile(r'Signature=([0-9A-Fa-f]+)')
MASK = secret_names.MASK

# Tokens and signatures seen in this process, the latest MAX_REMEMBERED
# (each request has a signature of its own; a record shows the request
# and the answer that just went by): masked in every record of LOG.
# Threads of a pool add to it while others mask: a lock keeps it whole.
MAX_REMEMBERED = 256
_SECRETS = collections.OrderedDict()
_SECRETS_LOCK = threading.Lock()


def mask(text):
    """``text`` with every token remembered replaced by ``***``."""
    with _SECRETS_LOCK:
        known = tuple(_SECRETS)
    for secret in known:
        text = text.replace(secret, MASK)
    return text


def remember_token(response, *args, **kwargs):
    """A response hook: the token of this request is never shown.

    The token, or with AK/SK (:mod:`mrsclient.api.auth.signing`) the security
    token of a
    temporary key, and the request's signature.
    """
    found = [secret for secret in sent_secrets(response.request.headers)
             if len(secret) >= 8]
    with _SECRETS_LOCK:
        for secret in found:
            _SECRETS[secret] = None
            _SECRETS.move_to_end(secret)
        while len(_SECRETS) > MAX_REMEMBERED:
            _SECRETS.popitem(last=False)
    return response


def sent_secrets(headers):
    """What a request's headers carry that no output may show.

    Its token (``X-Auth-Token``), a temporary key's security token
    (``X-Security-Token``) and the AK/SK signature in ``Authorization``.
    """
    found = [headers.get(name) for name in ('X-Auth-Token',
                                            'X-Security-Token')]
    signature = _SIGNATURE.search(headers.get('Authorization') or '')
    if signature:
        found.append(signature.group(1))
    return [secret for secret in found if secret]


def _lowest_level_printed():
    """The lowest level any handler of LOG or its ancestors prints."""
    levels, logger = [], LOG
    while logger is not None:
        levels.extend(handler.level for handler in logger.handlers)
        logger = logger.parent if logger.propagate else None
    return min(levels) if levels else logging.WARNING


class _WarningsAreInfo(logging.Filter):
    def filter(self, record):
        if record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, 'INFO'
        return True


class _MaskSecrets(logging.Filter):
    def filter(self, record):
        # OSC sets the root logger to DEBUG, so keystoneauth builds its
        # request log on every call; what no handler prints needs no mask.
        if record.levelno < _lowest_level_printed():
            return True
        message = record.getMessage()
        masked = secret_names.mask_text(mask(message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


LOG.addFilter(_WarningsAreInfo())
LOG.addFilter(_MaskSecrets())
