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

"""Sign in as the MRS API reference recommends: access keys, no token.

:class:`AkSk` is a keystoneauth auth plugin (the ``mrs-aksk`` auth type,
:mod:`.aksk_loader`). It holds no token: :class:`.client.MrsClient`
asks it for :meth:`AkSk.signer`, and every request is signed as it is
sent (:mod:`.signing`). Keys are permanent (``access_key``,
``secret_key``), temporary (with ``security_token``), or, with no access
key, an ECS agency's, read from the metadata service and renewed before
they expire (:class:`AgencyKeys`).

The project is ``project_id`` when given, else the IAM project named as
the region (``GET {auth_url}/projects?name=<region>``, signed); the MRS
endpoint ``mrs_endpoint_override``, else derived from ``auth_url``
(:func:`endpoint_for`).
"""

import datetime
import email.utils
import json
import logging
import re
import socket
import threading
import urllib.parse

from keystoneauth1 import plugin

from mrsclient.api import answers
from mrsclient.api import exceptions
from mrsclient.api import signing

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
# A region's name in a host: eu-de, ap-southeast-1, cn-north-4.
_REGION = re.compile(r'[a-z]{2}-[a-z]+(-\d+)?')
# How far from the gateway's clock a signature's date may be.
MAX_SKEW = 15 * 60


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def endpoint_for(auth_url, region_name=None):
    """The MRS endpoint of a cloud whose IAM is ``auth_url``, or None.

    IAM and MRS share a domain: ``https://iam.eu-de.otc.t-systems.com/v3``
    gives ``https://mrs.eu-de.otc.t-systems.com``; another region's IAM
    host gets this region in its place, and a global one
    (``iam.myhuaweicloud.com``) gets it put in
    (``mrs.<region>.myhuaweicloud.com``). Any other host: None.
    """
    parts = urllib.parse.urlsplit(auth_url or '')
    host = parts.hostname or ''
    if not host.startswith('iam.'):
        return None
    labels = host.split('.')[1:]
    if region_name and labels[0] != region_name:
        if _REGION.fullmatch(labels[0]):
            labels[0] = region_name
        else:
            labels.insert(0, region_name)
    return f'{parts.scheme or "https"}://mrs.{".".join(labels)}'


def refusal(response, error):
    """The line of a signed request the gateway refused (401).

    The gateway refuses a wrong key and, with the same code, a request
    dated more than 15 minutes from its clock: its ``Date`` header tells
    which. A temporary key that has expired is refused as a wrong one.
    """
    ours = theirs = None
    try:
        ours = datetime.datetime.strptime(
            response.request.headers.get('X-Sdk-Date', ''),
            signing.DATE_FORMAT).replace(tzinfo=datetime.timezone.utc)
        theirs = email.utils.parsedate_to_datetime(response.headers['Date'])
    except (KeyError, TypeError, ValueError, IndexError, OverflowError):
        pass
    if theirs is not None and theirs.tzinfo is None:
        theirs = None  # "-0000" or no zone: no clock to compare with
    if ours and theirs and abs((ours - theirs).total_seconds()) > MAX_SKEW:
        return error.with_hint(
            f'This machine\'s clock read {ours:%Y-%m-%d %H:%M:%S} UTC and '
            f'the gateway\'s {theirs:%Y-%m-%d %H:%M:%S} UTC: it refuses a '
            'request signed more than 15 minutes from its own time. Set '
            'the clock (NTP).')
    what = 'the temporary key and its security_token (it may have ' \
        'expired)' if response.request.headers.get('X-Security-Token') \
        else 'access_key and secret_key'
    return error.with_hint(f'The gateway refused the signature: check '
                           f'{what}.')


def _one_word(name, value):
    """``value``, refused if it holds a space or a control character.

    Such a value cannot go into a header as it is (requests would refuse
    it, quoting it), and is most often a slip: a YAML ``|`` block ends in
    a line break. The line names the setting, never the value.
    """
    if value is None or value == '':
        return value
    if not _is_one_word(value):
        raise exceptions.ConfigurationError(
            f'{name} holds a space, a line break or another control '
            'character (a YAML "|" block ends in a line break): write it '
            'on one line, as it was given to you.', f'bad_{name}')
    return value


def _is_one_word(value):
    """A string with no space and no control character."""
    return isinstance(value, str) and not any(
        char.isspace() or ord(char) < 32 or ord(char) == 127
        for char in value)


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
    if not all(value and _is_one_word(value) for value in (access, secret)) \
            or not (token is None or _is_one_word(token)):
        return None, None
    return (access, secret, token or None), expires


class AkSk(plugin.BaseAuthPlugin):
    """keystoneauth's side of AK/SK signing (see the module)."""

    def __init__(self, auth_url=None, access_key=None, secret_key=None,
                 security_token=None, project_id=None, metadata_url=None,
                 **_ignored):
        super().__init__()
        self.auth_url = auth_url
        self.project_id = _one_word('project_id', project_id)
        self.metadata_url = metadata_url
        self._static = None
        self._agency = None
        self._lock = threading.Lock()
        self.set_keys(access_key, secret_key, security_token)

    def set_keys(self, access_key, secret_key, security_token=None):
        """Sign with this key (none: the ECS agency's); checked whole."""
        if access_key and not secret_key:
            raise exceptions.ConfigurationError(
                'The access key has no secret key: set secret_key (or '
                'OS_SECRET_KEY) beside access_key.', 'no_secret_key')
        if secret_key and not access_key:
            raise exceptions.ConfigurationError(
                'The secret key has no access key: set access_key (or '
                'OS_ACCESS_KEY) beside secret_key.', 'no_access_key')
        self._static = (_one_word('access_key', access_key),
                        _one_word('secret_key', secret_key),
                        _one_word('security_token', security_token)) \
            if access_key else None

    @property
    def has_keys(self):
        """Whether a key was given (else the agency's are used)."""
        return self._static is not None

    def keys(self, session):
        """``(access key, secret key, security token or None)``."""
        if self._static is not None:
            return self._static
        with self._lock:
            if self._agency is None:
                from mrsclient.api import aksk_loader
                self._agency = AgencyKeys(
                    session, self.metadata_url
                    or aksk_loader.DEFAULT_METADATA_URL)
        return self._agency()

    # What the gateway's 401 to a signed request means (module function).
    refusal = staticmethod(refusal)

    def signer(self, session, project_id=lambda: None):
        """The ``requests`` auth that signs each request with the keys."""
        return signing.Signer(lambda: self.keys(session), project_id)

    # keystoneauth: no token, and nothing to log in with again.
    def get_headers(self, session, **kwargs):
        return {}

    def invalidate(self):
        return False

    def get_project_id(self, session):
        return self.project_id

    def get_endpoint(self, session, region_name=None, **kwargs):
        """MRS's endpoint in the region (OSC asks without one: None)."""
        if not region_name:
            return None
        return endpoint_for(self.auth_url, region_name)

    def project_id_for(self, session, region_name):
        """The project named as the region, looked up in IAM (signed)."""
        if self.project_id:
            return self.project_id
        if not self.auth_url or not region_name:
            return None
        base = self.auth_url.rstrip('/')
        if not base.endswith('/v3'):
            base += '/v3'
        action = f'Failed to look up the project of region {region_name}'
        response = session.get(
            f'{base}/projects', params={'name': region_name},
            authenticated=False, raise_exc=False, redirect=False,
            requests_auth=self.signer(session))
        if 300 <= response.status_code < 400:
            raise answers.redirected(action, response)
        if response.status_code >= 400:
            error = answers.from_response(response, action=action)
            raise refusal(response, error) if response.status_code == 401 \
                else error
        try:
            projects = response.json()['projects']
            self.project_id = next(p['id'] for p in projects
                                   if p.get('name') == region_name)
        except (ValueError, KeyError, TypeError, StopIteration):
            raise exceptions.ConfigurationError(
                f'{action}: IAM names no project {region_name}; set '
                'project_id.', 'no_region_project')
        return self.project_id
