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

"""An ECS agency's temporary keys, read from the metadata service.

An ECS with an agency attached gets temporary keys (access, secret,
security token) from its metadata service,
``GET http://169.254.169.254/openstack/latest/securitykey``; the
``mrs-aksk`` plugin signs with them when it is given no key of its own.
"""

import datetime
import json
import logging
import socket
import threading

from mrsclient.api.auth import signing
from mrsclient.api import exceptions

LOG = logging.getLogger(__name__)
# When an agency's keys are renewed (seconds before they expire): from
# the advisory window on (Huawei's SDK renews 40 minutes before), a
# failed renewal keeps the keys in hand; in the mandatory one it fails.
ADVISORY_RENEWAL = 40 * 60
MANDATORY_RENEWAL = 10 * 60
# After a failed advisory renewal, the next try (seconds).
RENEWAL_RETRY = 60
# How long a whole fetch from the metadata service may take (Huawei's
# SDK: 3 s), and how large its answer may be.
METADATA_TIMEOUT = 3
METADATA_MAX_BODY = 64 * 1024
METADATA_PATH = '/openstack/latest/securitykey'
# What a line about a metadata service that gives no keys advises.
NO_AGENCY = 'Outside an ECS with an agency, set access_key and secret_key.'


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


class AgencyKeys:
    """An ECS agency's temporary keys, from the metadata service.

    Read when first needed, then renewed as botocore renews refreshable
    credentials, in two windows before they expire: in the advisory one
    (:data:`ADVISORY_RENEWAL`, Huawei's SDK's 40 minutes) a renewal that
    fails keeps the keys in hand (said at INFO, tried again after
    :data:`RENEWAL_RETRY` seconds); in the mandatory one
    (:data:`MANDATORY_RENEWAL`) it is the error. No request is signed
    with a key that has expired.

    A fetch is bounded whole: :data:`METADATA_TIMEOUT` seconds from the
    request to the last byte, at most :data:`METADATA_MAX_BODY` bytes, no
    redirect followed, and what it answers checked.
    """

    def __init__(self, session, metadata_url, clock=_now):
        self.session = session
        self.url = metadata_url.rstrip('/') + METADATA_PATH
        self.clock = clock
        self.lock = threading.Lock()
        self.keys = None
        self.expires = None
        self._next_try = None

    def __call__(self):
        with self.lock:
            now = self.clock()
            left = None if self.keys is None \
                else (self.expires - now).total_seconds()
            if left is None or left < MANDATORY_RENEWAL:
                self.keys, self.expires = self._read(now)
            elif left < ADVISORY_RENEWAL and (
                    self._next_try is None or now >= self._next_try):
                try:
                    self.keys, self.expires = self._read(now)
                    self._next_try = None
                except exceptions.ConfigurationError as exc:
                    self._next_try = now + datetime.timedelta(
                        seconds=RENEWAL_RETRY)
                    LOG.info('%s Signing with the keys in hand, which '
                             'expire at %s.', exc, self.expires.isoformat())
            return self.keys

    def _fail(self, why):
        return exceptions.ConfigurationError(
            f'Cannot read the ECS agency\'s temporary keys from the metadata '
            f'service ({self.url}): {why}', 'no_agency')

    def _read(self, now):
        status, body, location = self._fetch()
        if 300 <= status < 400:
            raise self._fail(f'it answered HTTP {status}, a redirect to '
                             f'{exceptions.one_line(location, 200)}, which '
                             'is not followed.')
        if status != 200:
            raise self._fail(f'it answered HTTP {status}. Is an agency '
                             f'attached to this ECS? {NO_AGENCY}')
        keys, expires = _credential(body)
        if keys is None:
            raise self._fail('its answer has no usable credential (access, '
                             'secret, securitytoken and expires_at).')
        if expires <= now:
            raise self._fail(f'the keys it gave expired at '
                             f'{expires.isoformat()}.')
        LOG.debug('Read the ECS agency\'s temporary keys from %s; they '
                  'expire at %s.', self.url, expires.isoformat())
        return keys, expires

    def _fetch(self):
        """``(status, body, Location)``, within one time limit in all.

        The request runs in a thread of its own: a server that sends a
        byte a second never lets a per-read timeout fire, and this bound
        is on the whole fetch.
        """
        box = {}

        def fetch():
            try:
                # log=False: keystoneauth would print the keys it answers.
                response = box['response'] = self.session.get(
                    self.url, authenticated=False, raise_exc=False,
                    log=False, timeout=METADATA_TIMEOUT, connect_retries=0,
                    redirect=False, stream=True)
                body = bytearray()
                for chunk in response.iter_content(1024):
                    body += chunk
                    if len(body) > METADATA_MAX_BODY:
                        box['too_large'] = True
                        break
                box['answer'] = (response.status_code, bytes(body),
                                 response.headers.get('Location'))
            except Exception as exc:  # keystoneauth's, requests', alike
                box['error'] = exc
            finally:
                if 'response' in box:
                    box['response'].close()

        worker = threading.Thread(target=fetch, daemon=True)
        worker.start()
        worker.join(METADATA_TIMEOUT)
        if worker.is_alive():
            _cut(box.get('response'))
            raise self._fail(f'no whole answer within {METADATA_TIMEOUT} s. '
                             f'{NO_AGENCY}')
        if box.get('too_large'):
            raise self._fail(f'its answer is over {METADATA_MAX_BODY} '
                             'bytes.')
        if 'error' in box:
            raise self._fail(f'no answer ({type(box["error"]).__name__}). '
                             f'{NO_AGENCY}')
        return box['answer']


def _cut(response):
    """Shut the socket of a fetch given up on, so that its thread ends."""
    try:
        response.raw.connection.sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # nothing to cut, or already cut
        pass


def _credential(body):
    """``((access, secret, token or None), expiry)``, or ``(None, None)``.

    The metadata service's ``{"credential": {"access", "secret",
    "securitytoken", "expires_at"}}``; every value checked.
    """
    try:
        found = json.loads(body)['credential']
        access, secret = found['access'], found['secret']
        token = found.get('securitytoken')
        expires = datetime.datetime.strptime(
            found['expires_at'].replace('Z', '+0000')[:19] + '+0000',
            '%Y-%m-%dT%H:%M:%S%z')
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None, None
    # What goes into a header as it is: a token with a line break would
    # be refused by requests, quoting it.
    if not all(value and signing.is_one_word(value)
               for value in (access, secret)) \
            or not (token is None or signing.is_one_word(token)):
        return None, None
    return (access, secret, token or None), expires
