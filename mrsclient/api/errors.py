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

"""Turn MRS, Sahara and proxy error answers into one-line messages.

keystoneauth only understands ``{"error": {...}}`` bodies, so the client
asks it not to raise and reads every error answer here. Three body shapes
are known:

* MRS: ``{"error_code": "0176", "error_msg": "The job does not exist."}``
* Sahara: ``{"error_code": 404, "error_name": "NOT_FOUND",
  "error_message": "...\\nError ID: <uuid>"}``; on a route or method error
  ``{"error": 405, "error_message": "..."}``
* Keystone style: ``{"error": {"code": 401, "title": "...",
  "message": "..."}}``

Anything else (an HTML page from a proxy, an empty body) is reduced to its
text.
"""

import html
import re

from osc_lib import exceptions

from mrsclient.api import secrets
from mrsclient.api import transport

# MRS job error codes (api-ref appendix/error_code.rst) and what an operator
# can do about each one.
_KILL_FAILED = 'MRS could not kill the job.'
_NO_SUCH_JOB = ('No such job in this project: check the id, and that the '
                'cloud, project and region are the ones the job runs in.')
ERROR_HINTS = {
    '0160': _KILL_FAILED,
    '0175': _KILL_FAILED,
    '0200': _KILL_FAILED,
    '0176': _NO_SUCH_JOB,
    '0201': ('No such job on this cluster: check the id, and that '
             '--cluster names the cluster the job runs on.'),
    '0167': ('The cluster runs an MRS version before 1.9.2, whose jobs '
             'the V1.1 API manages: drop --cluster.'),
    '12000085': ('The cluster runs an MRS version whose jobs only the V2 '
                 'API manages: add --cluster {cluster_id} to the command.'),
}
THROTTLED = ('The API is throttling requests and still was after every '
             'retry: try again later, or with fewer at once (--parallel).')
# Codes that say the kill was refused (the job may have ended), and that
# the job does not exist.
KILL_REFUSED = frozenset({'0160', '0175', '0200'})
NO_SUCH_JOB = frozenset({'0176', '0201'})
# Answers that may hide a request that took effect: a gateway's 502, 503
# or 504 (and a timeout or reset, see ``LostAnswer``).
LOST_STATUSES = frozenset({502, 503, 504})

REQUEST_ID_HEADERS = ('X-Openstack-Request-Id', 'X-Request-Id',
                      'X-Compute-Request-Id')

_MAX_TEXT = 300
# What of a message is masked and then cut to _MAX_TEXT.
_MAX_SHOWN = 4096
_MAX_CODE = 64
_MAX_REQUEST_ID = 128
# Only this much of an error body is read for its message.
_MAX_BODY = 64 * 1024
# json_of's answer for a body that is not JSON (None is JSON's null).
NOT_JSON = object()
_TAG = re.compile(r'<[^>]*>')
_HTML_HIDDEN = re.compile(r'<(script|style|head)\b.*?</\1\s*>',
                          re.IGNORECASE | re.DOTALL)


class LostAnswer(exceptions.CommandError):
    """No answer came (a timeout, a reset): the request may have worked."""

    lost = True


class AlreadyEnded(exceptions.CommandError):
    """A cancel refused because the job had ended: ``job`` shows how."""

    def __init__(self, message, job):
        super().__init__(message)
        self.job = job


class Unconfirmed(LostAnswer):
    """A kill whose answer was lost, its job still running: ``job``."""

    def __init__(self, message, job):
        super().__init__(message)
        self.job = job


def state_name(value):
    """A state as the service names it, made one short line; or None."""
    return one_line(value, 40) if isinstance(value, str) else None


def answer_lost(error):
    """Whether ``error`` leaves open that its request took effect."""
    return bool(getattr(error, 'lost', False))


def has_code(error, codes):
    return str(getattr(error, 'code', None)) in codes


class MrsApiError(exceptions.CommandError):
    """The service answered a request with an error.

    ``str()`` of it is the one line an operator sees: HTTP status, the
    service's own code and message, a hint for known codes and the request
    id.
    """

    def __init__(self, http_status, code=None, message=None,
                 request_id=None, action=None, cluster_id=None, hint=None):
        self.http_status = http_status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action
        self.cluster_id = cluster_id
        self.hint = hint
        self.lost = http_status in LOST_STATUSES
        super().__init__(self._line())

    def on_cluster(self, cluster_id):
        """The same error, its hint naming the job's cluster."""
        return MrsApiError(self.http_status, self.code, self.message,
                           self.request_id, self.action, cluster_id,
                           self.hint)

    def with_hint(self, hint):
        """The same error with a hint of its own (what was found)."""
        return MrsApiError(self.http_status, self.code, self.message,
                           self.request_id, self.action, self.cluster_id,
                           hint)

    def _line(self):
        head = f'HTTP {self.http_status}'
        if self.code not in (None, ''):
            head += f' {one_line(self.code, _MAX_CODE)}'
        parts = [head + (f': {self.message}' if self.message else '')]
        hint = self.hint or ERROR_HINTS.get(str(self.code)) or (
            THROTTLED if self.http_status == 429 else None)
        if hint:
            parts.append(hint.format(
                cluster_id=self.cluster_id or '<cluster-id>'))
        line = ' '.join(p if p.endswith('.') else p + '.' for p in parts)
        if self.action:
            line = f'{self.action}: {line}'
        if self.request_id:
            line += (f' (Request-ID: '
                     f'{one_line(self.request_id, _MAX_REQUEST_ID)})')
        return line


def one_line(text, limit=_MAX_TEXT):
    """Collapse white space, so any text fits on one line, and cut it."""
    text = ' '.join(str(text).split())
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + '...'
    return text


def text_of(response, limit=_MAX_BODY):
    """The first ``limit`` bytes of a body as text.

    Only that much is decoded: ``response.text`` would first guess the
    encoding of the whole body, seconds for a body of megabytes.
    """
    data = (response.content or b'')[:limit]
    try:
        return data.decode(response.encoding or 'utf-8', 'replace')
    except LookupError:  # a charset Python does not know
        return data.decode('utf-8', 'replace')


def json_of(response):
    """The decoded JSON body, or ``NOT_JSON``.

    Deeply nested JSON makes the decoder recurse too deep; that is "not
    JSON" too, not a crash.
    """
    try:
        return response.json()
    except (ValueError, RecursionError):
        return NOT_JSON


def _text_of_html(body):
    body = _HTML_HIDDEN.sub(' ', body)
    return html.unescape(_TAG.sub(' ', body))


def _fields(body):
    """(code, message) from a decoded JSON error body, or None."""
    if not isinstance(body, dict):
        return None
    inner = body.get('error')
    if isinstance(inner, dict):
        # Keystone and most OpenStack services.
        code = inner.get('code')
        message = inner.get('message') or inner.get('title')
        return code, message
    message = (body.get('error_msg') or body.get('error_message')
               or body.get('message'))
    code = body.get('error_name') or body.get('error_code')
    if code is None and isinstance(inner, (int, str)):
        code = inner  # Sahara's route errors: {"error": 405, ...}
    if code is None and message is None:
        return None
    return code, message


def quoted(content, limit=120, response=None):
    """An answer we cannot use, as a short one-line quote.

    Only its start is masked and shown: every token sent so far (and the
    one of ``response``'s request) and the values of secret keys.
    """
    text = transport.mask(str(content)[:_MAX_SHOWN])
    if response is not None:
        text = masked(text, response)
    return repr(one_line(secrets.mask_text(text), limit))


def masked(text, response):
    """Hide the request's token should a server echo it back."""
    token = response.request.headers.get('X-Auth-Token')
    return text.replace(token, '***') if token else text


def request_id_of(response):
    for name in REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value:
            return value
    return None


def from_response(response, action=None):
    """Build the :class:`MrsApiError` for an error answer."""
    code = message = None
    fields = _fields(json_of(response))
    if fields:
        code, message = fields
        # Sahara puts the HTTP status in error_code and the meaning in
        # error_name; the status is in the line already.
        if str(code) == str(response.status_code):
            code = None
    else:
        text = text_of(response)
        if '<' in text:
            text = _text_of_html(text)
        message = text or response.reason
    if message:
        # Only the start is ever shown: mask that much, then cut.
        message = one_line(secrets.mask_text(
            masked(str(message)[:_MAX_SHOWN], response)))
    if code is not None and not isinstance(code, int):
        code = one_line(masked(str(code), response), _MAX_CODE)
    request_id = request_id_of(response)
    if request_id:
        request_id = masked(request_id, response)
    return MrsApiError(response.status_code, code=code, message=message,
                       request_id=request_id, action=action)
