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

"""AK/SK request signing, as the API gateway's signing SDK signs.

``SDK-HMAC-SHA256`` over the canonical request: the method; the path as
sent, each segment percent-encoded (after decoding it) and a closing
``/``; the
query, its ``key=value`` pairs percent-encoded and sorted; the signed
headers as ``name:value`` lines and their names; the SHA-256 of the body.
The string to sign is ``SDK-HMAC-SHA256``, the ``X-Sdk-Date`` and the
SHA-256 of the canonical request; the signature is its HMAC-SHA256 under
the secret key. The request then carries ``Authorization:
SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>``.

The signed headers are ``host``, ``x-sdk-date``, ``content-type`` where
there is one, ``x-project-id`` and, with temporary keys,
``x-security-token``: those the gateway needs, and none that a proxy or
``requests`` may change on the way (``Connection``, ``Accept-Encoding``).
The query is sent in its canonical form, so what was signed is what
arrives. :class:`Signer` signs each time a request is sent, retries and
429 resends included, with a fresh date.
"""

import datetime
import hashlib
import hmac
import urllib.parse

import requests

from mrsclient.api import exceptions

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
# The headers signed, where the request has them.
SIGNED = ('content-type', 'host', 'x-project-id', 'x-sdk-date',
          'x-security-token')


def _quote(text):
    return urllib.parse.quote(text, safe='~')


def canonical_path(path):
    """The path as sent: split at each ``/``, then each segment encoded.

    Huawei's signer decodes the path before it splits it, so that an id
    holding ``/`` (sent ``%2F``) signs as two segments: one request's
    signature would then be another's. Split first, it is the path that
    arrives (the same for every path without ``%2F``).
    """
    uri = '/'.join(_quote(urllib.parse.unquote(part))
                   for part in path.split('/'))
    return uri if uri.endswith('/') else uri + '/'


def canonical_query(query):
    """The sorted ``key=value`` pairs of a query, percent-encoded."""
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    return '&'.join(f'{_quote(k)}={_quote(v)}' for k, v in pairs)


def canonical_request(method, path, query, headers, body):
    """The canonical request; ``headers`` maps lower-case names to values.

    Every header of ``headers`` is signed, in name order.
    """
    names = sorted(headers)
    lines = ''.join(f'{name}:{str(headers[name]).strip()}\n'
                    for name in names)
    payload = body.encode('utf-8') if isinstance(body, str) else body or b''
    return '\n'.join([method.upper(), canonical_path(path),
                      canonical_query(query), lines, ';'.join(names),
                      hashlib.sha256(payload).hexdigest()])


def signature(secret_key, date, canonical):
    to_sign = '\n'.join([ALGORITHM, date, hashlib.sha256(
        canonical.encode('utf-8')).hexdigest()])
    return hmac.new(secret_key.encode('utf-8'), to_sign.encode('utf-8'),
                    hashlib.sha256).hexdigest()


def authorization(access_key, secret_key, method, path, query, headers,
                  body):
    """The ``Authorization`` value of a request with these headers."""
    signed = {name.lower(): value for name, value in headers.items()}
    canonical = canonical_request(method, path, query, signed, body)
    return (f'{ALGORITHM} Access={access_key}, SignedHeaders='
            f'{";".join(sorted(signed))}, Signature='
            f'{signature(secret_key, signed["x-sdk-date"], canonical)}')


class Signer(requests.auth.AuthBase):
    """Signs a ``requests`` request as it is sent.

    :param keys: ``keys()`` -> ``(access key, secret key, security token
        or None)``, asked at every request, so that keys renewed meanwhile
        are used
    :param project_id: ``project_id()`` -> the ``X-Project-Id``, or None
    :param clock: the current time (a ``datetime`` in UTC)
    """

    def __init__(self, keys, project_id=lambda: None,
                 clock=lambda: datetime.datetime.now(datetime.timezone.utc)):
        self.keys = keys
        self.project_id = project_id
        self.clock = clock

    def __call__(self, request):
        access_key, secret_key, security_token = self.keys()
        url = urllib.parse.urlsplit(request.url)
        query = canonical_query(url.query)
        request.url = urllib.parse.urlunsplit(url._replace(query=query))
        # A token from elsewhere must not travel beside the signature.
        request.headers.pop('X-Auth-Token', None)
        request.headers['Host'] = url.netloc
        request.headers['X-Sdk-Date'] = self.clock().strftime(DATE_FORMAT)
        project_id = self.project_id()
        if project_id:
            request.headers['X-Project-Id'] = project_id
        if security_token:
            request.headers['X-Security-Token'] = security_token
        if isinstance(request.body, str):
            # Sent as the bytes signed (http.client would send Latin-1).
            request.body = request.body.encode('utf-8')
        signed = {name: request.headers[name] for name in request.headers
                  if name.lower() in SIGNED}
        request.headers['Authorization'] = authorization(
            access_key, secret_key, request.method, url.path, query, signed,
            request.body)
        return request


def one_word(name, value):
    """``value``, refused unless it is printable ASCII without a space.

    Keys and tokens are: such a value goes into a header, and is signed,
    as it is, in one encoding. Anything else is most often a slip (a YAML
    ``|`` block ends in a line break) and could not be sent as signed
    (requests would refuse a line break, quoting it; ``http.client``
    sends a header in Latin-1, a signature is made over UTF-8). The line
    names the setting, never the value.
    """
    if value is None or value == '':
        return value
    if not is_one_word(value):
        raise exceptions.ConfigurationError(
            f'{name} holds a space, a line break, another control '
            'character or a character outside ASCII (a YAML "|" block ends '
            'in a line break): write it on one line, as it was given to '
            'you.', f'bad_{name}')
    return value


def is_one_word(value):
    """A string of printable ASCII without a space."""
    return isinstance(value, str) and all(
        33 <= ord(char) <= 126 for char in value)
