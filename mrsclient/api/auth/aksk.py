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
:mod:`mrsclient.api.auth.loader`). It holds no token:
:class:`~mrsclient.api.client.MrsClient`
asks it for :meth:`AkSk.signer`, and every request is signed as it is
sent (:mod:`mrsclient.api.auth.signing`). Keys are permanent (``access_key``,
``secret_key``), temporary (with ``security_token``), or, with no access
key, an ECS agency's, read from the metadata service and renewed before
they expire (:class:`~mrsclient.api.auth.agency.AgencyKeys`).

The project is ``project_id`` when given, else the IAM project named as
the region (``GET {auth_url}/projects?name=<region>``, signed); the MRS
endpoint ``mrs_endpoint_override``, else derived from ``auth_url``
(:func:`endpoint_for`).
"""

import datetime
import email.utils
import re
import threading
import urllib.parse

from keystoneauth1 import plugin

from mrsclient.api import auth
from mrsclient.api.auth import agency
from mrsclient.api.auth import signing
from mrsclient.api import exceptions
from mrsclient.api.http import answers
from mrsclient.api.http import paths

SERVICE_TYPE = 'mrs'
# A region's name in a host: eu-de, ap-southeast-1, cn-north-4.
_REGION = re.compile(r'[a-z]{2}-[a-z]+(-\d+)?')
# Any region's name: one host label.
_REGION_NAME = re.compile(r'[A-Za-z0-9]+(-[A-Za-z0-9]+)*')
# How far from the gateway's clock a signature's date may be.
MAX_SKEW = 15 * 60


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


class AkSk(plugin.BaseAuthPlugin):
    """keystoneauth's side of AK/SK signing (see the module).

    It keeps keystoneauth's contract for a plugin without a token:
    :meth:`get_headers` gives None, so keystoneauth refuses to send a
    request it would authenticate with the session's auth (MRS requests
    are signed through the per-request ``requests_auth``,
    :meth:`signer`); :meth:`get_endpoint` answers for the ``mrs`` service
    only.
    """

    def __init__(self, auth_url=None, access_key=None, secret_key=None,
                 security_token=None, project_id=None, metadata_url=None,
                 **_ignored):
        super().__init__()
        self.auth_url = auth_url
        self.project_id = None if project_id in (None, '') \
            else paths.checked_project_id(project_id, 'project_id')
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
        self._static = (signing.one_word('access_key', access_key),
                        signing.one_word('secret_key', secret_key),
                        signing.one_word('security_token', security_token)) \
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
                self._agency = agency.AgencyKeys(
                    session, self.metadata_url or auth.DEFAULT_METADATA_URL)
        return self._agency()

    # What the gateway's 401 to a signed request means (module function).
    refusal = staticmethod(refusal)

    def signer(self, session, project_id=lambda: None):
        """The ``requests`` auth that signs each request with the keys."""
        return signing.Signer(lambda: self.keys(session), project_id)

    def get_headers(self, session, **kwargs):
        """None: there is no token; a request must be signed instead."""
        return None

    def invalidate(self):
        return False

    def get_project_id(self, session, **kwargs):
        """The project: given, or found by :meth:`project_id_for`."""
        return self.project_id

    def get_endpoint(self, session, service_type=None, region_name=None,
                     endpoint_override=None, **kwargs):
        """MRS's endpoint: ``endpoint_override``, or IAM's in the region.

        None for any other service (its requests would go to MRS's host
        unsigned), and without a region (OSC asks so at start).
        """
        if service_type != SERVICE_TYPE:
            return None
        if endpoint_override:
            return endpoint_override
        if not region_name:
            return None
        return endpoint_for(self.auth_url, checked_region(region_name))

    def project_id_for(self, session, region_name):
        """The project named as the region, looked up in IAM (signed)."""
        if self.project_id:
            return self.project_id
        if not self.auth_url or not region_name:
            return None
        region_name = checked_region(region_name)
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
            found = [project['id'] for project in response.json()['projects']
                     if project.get('name') == region_name]
        except (ValueError, KeyError, TypeError):
            found = []
        if len(found) != 1:
            raise exceptions.ConfigurationError(
                f'{action}: IAM names '
                f'{len(found) if found else "no"} project'
                f'{"s" if len(found) > 1 else ""} {region_name}; set '
                'project_id.', 'no_region_project')
        self.project_id = paths.checked_project_id(
            found[0], f'the id IAM gives project {region_name}')
        return self.project_id


def checked_region(region_name):
    """``region_name``, refused unless it is a region's name.

    It becomes a label of the MRS host and the name of an IAM project:
    letters, digits and single hyphens, as ``eu-de`` or
    ``ap-southeast-1``.
    """
    if not _REGION_NAME.fullmatch(region_name or ''):
        raise exceptions.ConfigurationError(
            f'{exceptions.one_line(repr(region_name), 80)} is not a region '
            'name (such as eu-de or ap-southeast-1): letters, digits and '
            'single hyphens.', 'bad_region')
    return region_name
