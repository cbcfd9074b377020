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

"""Requests signed as Huawei Cloud's SDKs sign them (SDK-HMAC-SHA256).

Written from the public rules of Huawei's API signing guide: the client
builds a canonical request (method, the path with every segment
percent-encoded and a closing ``/``, the sorted query, the signed headers
as ``name:value`` lines, their names, and the SHA-256 of the body), signs
``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<SHA-256 of the canonical request>``
with HMAC-SHA256 under its secret key, and sends ``Authorization:
SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>``.
The simulator builds the same from what arrived and compares.
"""

import datetime
import hashlib
import hmac
import re
import urllib.parse

from mrsclient.simulator import state as st

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
# How far X-Sdk-Date may be from the simulator's clock, as the gateway
# allows.
MAX_SKEW = 15 * 60
_AUTHORIZATION = re.compile(
    r'^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*'
    r'Signature=([0-9a-fA-F]+)\s*$')


def is_signed(headers):
    return (headers.get('Authorization') or '').startswith(ALGORITHM)


def refused(why):
    """The gateway's answer to a request it cannot authenticate."""
    return st.MrsError(401, 'APIGW.0301', 'Incorrect IAM authentication '
                                          f'information: {why}')


def _quote(text):
    return urllib.parse.quote(text, safe='~')


def canonical_request(method, path, headers, signed, body):
    """The canonical request of what arrived, as strictly as the gateway.

    The path as sent: split at each ``/`` first, then each segment
    decoded and encoded again, so that an id holding an encoded ``/`` is
    one segment (a show's signature is not a cancel's). The query as
    sent: its pairs in key order, a key's values in the order they came.
    A header value as its bytes came, read as UTF-8 where it is (Huawei's
    signer signs UTF-8). ``X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD``
    leaves the body out, as Huawei's signer allows.
    """
    raw_path, _, query = path.partition('?')
    uri = '/'.join(_quote(urllib.parse.unquote(part))
                   for part in raw_path.split('/'))
    if not uri.endswith('/'):
        uri += '/'
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True),
                   key=lambda pair: pair[0])
    canonical_query = '&'.join(f'{_quote(k)}={_quote(v)}' for k, v in pairs)
    lines = ''.join(f'{name}:{_as_signed(headers.get(name) or "").strip()}'
                    '\n' for name in signed)
    payload = 'UNSIGNED-PAYLOAD' if body and headers.get(
        'X-Sdk-Content-Sha256') == 'UNSIGNED-PAYLOAD' \
        else hashlib.sha256(body).hexdigest()
    return '\n'.join([method.upper(), uri, canonical_query, lines,
                      ';'.join(signed), payload])


def _as_signed(value):
    """A header's value as the signer had it: http.server reads Latin-1."""
    try:
        return value.encode('latin-1').decode('utf-8')
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def signature(secret_key, date, canonical):
    to_sign = '\n'.join([ALGORITHM, date, hashlib.sha256(
        canonical.encode()).hexdigest()])
    return hmac.new(secret_key.encode(), to_sign.encode(),
                    hashlib.sha256).hexdigest()


def verify(state, method, path, headers, body):
    """The user whose key signed the request, or the gateway's 401."""
    found = _AUTHORIZATION.match(headers.get('Authorization') or '')
    if not found:
        raise refused('the Authorization header is malformed')
    access_key, signed, sent = found.groups()
    names = signed.lower().split(';')
    if 'x-sdk-date' not in names:
        # Unsigned, the date could be changed: a signature for ever.
        raise refused('x-sdk-date is not among the signed headers')
    if access_key in state.temporary_keys:
        secret_key, token, expires, user = state.temporary_keys[access_key]
        if headers.get('X-Security-Token') != token \
                or 'x-security-token' not in names:
            raise refused('the security token is missing or wrong')
        if state.clock() >= expires:
            raise refused('the security token has expired')
    elif access_key in state.access_keys:
        secret_key, user = state.access_keys[access_key]
    else:
        raise refused('the access key is unknown')
    date = headers.get('X-Sdk-Date') or ''
    try:
        moment = datetime.datetime.strptime(date, DATE_FORMAT).replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise refused('X-Sdk-Date is missing or malformed')
    if abs(moment.timestamp() - state.clock()) > MAX_SKEW:
        raise refused('the request has expired (X-Sdk-Date)')
    expected = signature(secret_key, date, canonical_request(
        method, path, headers, names, body))
    if not hmac.compare_digest(expected, sent.lower()):
        raise refused('verify aksk signature fail')
    return user
