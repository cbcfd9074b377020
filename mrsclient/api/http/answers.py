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

"""Read what the service answered: error bodies, text, JSON, quotes.

keystoneauth only understands ``{"error": {...}}`` bodies, so the client
asks it not to raise and reads every error answer here, into an
:class:`~mrsclient.api.exceptions.ApiError`. Three body shapes are known:

* MRS: ``{"error_code": "0176", "error_msg": "The job does not exist."}``
* Sahara: ``{"error_code": 404, "error_name": "NOT_FOUND",
  "error_message": "...\\nError ID: <uuid>"}``; on a route or method error
  ``{"error": 405, "error_message": "..."}``
* Keystone style: ``{"error": {"code": 401, "title": "...",
  "message": "..."}}``

Anything else (an HTML page from a proxy, an empty body) is reduced to its
text. Whatever is shown of an answer is masked first: every token sent
(:mod:`mrsclient.api.http.request_log`) and the values of secrets
(:mod:`mrsclient.api.secret_names`).
"""

import html
import re

from mrsclient.api import exceptions
from mrsclient.api.http import request_log
from mrsclient.api import secret_names

REQUEST_ID_HEADERS = ('X-Openstack-Request-Id', 'X-Request-Id',
                      'X-Compute-Request-Id')

# What of a message is masked and then cut.
_MAX_SHOWN = 4096
_MAX_CODE = 64
# Only this much of an error body is read for its message.
_MAX_BODY = 64 * 1024
# json_of's answer for a body that is not JSON (None is JSON's null).
NOT_JSON = object()
_TAG = re.compile(r'<[^>]*>')
_HTML_HIDDEN = re.compile(r'<(script|style|head)\b.*?</\1\s*>',
                          re.IGNORECASE | re.DOTALL)
one_line = exceptions.one_line


def state_name(value):
    """A state as the service names it, made one short line; or None."""
    return one_line(value, 40) if isinstance(value, str) else None


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
    text = request_log.mask(str(content)[:_MAX_SHOWN])
    if response is not None:
        text = masked(text, response)
    return repr(one_line(secret_names.mask_text(text), limit))


def masked(text, response):
    """Hide what the request carried should a server echo it back.

    Its token or security token, and its AK/SK signature
    (:func:`~mrsclient.api.http.request_log.sent_secrets`).
    """
    for secret in request_log.sent_secrets(response.request.headers):
        text = text.replace(secret, secret_names.MASK)
    return text


def request_id_of(response):
    for name in REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value:
            return value
    return None


def from_response(response, action=None):
    """The :class:`~mrsclient.api.exceptions.ApiError` of an answer."""
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
        message = one_line(secret_names.mask_text(
            masked(str(message)[:_MAX_SHOWN], response)))
    if code is not None and not isinstance(code, int):
        code = one_line(masked(str(code), response), _MAX_CODE)
    request_id = request_id_of(response)
    if request_id:
        request_id = masked(request_id, response)
    return exceptions.ApiError(response.status_code, code=code,
                               message=message, request_id=request_id,
                               action=action)


def redirected(action, response):
    """The error of an answer that points elsewhere (not followed)."""
    where = response.headers.get('Location') or '(no Location)'
    return exceptions.TransportError(
        action, f'HTTP {response.status_code} from {response.url}: a '
                f'redirect to {quoted(where, 200, response)}, which '
                'is not followed (nothing is sent to another address)',
        reason='redirect')
