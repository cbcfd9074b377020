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

"""The HTTP side of every MRS request, on a keystoneauth ``Adapter``.

Authentication, TLS options, retries, the user agent
(``mrsclient/<version>``) and the ``--debug`` request log (with the token
masked) come from keystoneauth, set up once by
:mod:`mrsclient.api.http.retries`. :class:`Adapter` adds what MRS needs
on top:

* the endpoint, found as keystoneauth adapters find theirs (the catalog's
  ``mrs`` in the region and interface, ``endpoint_override``, or one given
  outright), and the project id, both checked (:mod:`.paths`);
* each request signed when the auth is ``mrs-aksk``
  (:mod:`mrsclient.api.auth`), no redirect followed, 429s paced;
* one place where error answers and transport failures become the
  one-line errors of :mod:`mrsclient.api.exceptions` (error bodies are
  read by :mod:`.answers`).
"""

import http.client
from importlib import metadata
import re
import time

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions
import requests

from mrsclient.api import exceptions
from mrsclient.api.http import answers
from mrsclient.api.http import paths
from mrsclient.api.http import request_log
from mrsclient.api.http import retries
from mrsclient.api.http import throttling
from mrsclient.api import secret_names

SERVICE_TYPE = 'mrs'

NO_PROJECT_ID = (
    'Cannot tell which project to use for MRS: the token is not scoped to '
    'a project and the MRS endpoint ({endpoint}) does not contain a project '
    'id.')
NO_ENDPOINT = ('No MRS endpoint: the service catalog has no "mrs" service '
               'for this region and interface.')
# With access keys there is no token, so no catalog and no scope.
AKSK_NO_PROJECT = (
    'Cannot tell which project to use for MRS: access keys carry none. '
    'The project is project_id, or the IAM project named as the region '
    '(region_name).')
AKSK_NO_ENDPOINT = (
    'No MRS endpoint: access keys have no service catalog. It follows from '
    'an IAM auth_url (https://iam.<region>.<domain>/v3) and region_name, '
    'or is mrs_endpoint_override.')


class Adapter(adapter.Adapter):
    """A keystoneauth Adapter for MRS that knows its paths and errors.

    :param endpoint: an MRS endpoint to use outright (it may contain
        ``%(project_id)s``); without one, found as keystoneauth finds an
        adapter's: ``endpoint_override``, else the catalog's ``mrs`` for
        ``region_name`` and ``interface`` (with ``mrs-aksk``, the one
        that follows from IAM's).
    :param timeout: seconds for each connect and read (see
        :mod:`mrsclient.api.http.retries` for the retries)
    :param sleep: how the client waits between 429s (a test passes its
        own); ``clock`` times the pace
    """

    def __init__(self, session, endpoint=None,
                 timeout=retries.DEFAULT_TIMEOUT, clock=time.monotonic,
                 sleep=time.sleep, **kwargs):
        kwargs.setdefault('service_type', SERVICE_TYPE)
        kwargs.setdefault('client_name', 'mrsclient')
        kwargs.setdefault('client_version', _version())
        for name, value in retries.ADAPTER_OPTIONS.items():
            kwargs.setdefault(name, value)
        super().__init__(session, **kwargs)
        self.endpoint = endpoint
        self.timeout = timeout
        # How fast requests go, slower while the API throttles.
        self.pace = throttling.Pace(clock=clock, sleep=sleep)
        self._sleep = sleep
        self._clock = clock
        self._root = None
        self._project_id = None

    @property
    def _aksk(self):
        """The ``mrs-aksk`` plugin (:mod:`mrsclient.api.auth`), or None."""
        auth = self.auth or self.session.auth
        return auth if hasattr(auth, 'signer') else None

    def _resolve(self):
        if self._root is not None:
            return
        aksk = self._aksk
        try:
            endpoint = paths.checked_endpoint(
                self.endpoint or self._found_endpoint())
            # The project and version segments are cut off the root, so
            # a %(project_id)s template needs no filling in here.
            root, from_endpoint = paths.split_endpoint(endpoint)
            project_id, source = self.session.get_project_id(self.auth), \
                'the token\'s project'
            if not project_id and from_endpoint:
                project_id, source = from_endpoint, f'in {endpoint}'
            if not project_id and aksk is not None:
                project_id, source = aksk.project_id_for(
                    self.session, self.region_name), 'from IAM'
        except (ks_exceptions.ClientException,
                requests.RequestException) as exc:
            raise exceptions.TransportError(
                None, f'Cannot log in: {_reason(exc)}')
        if not project_id and aksk is not None:
            raise exceptions.ConfigurationError(AKSK_NO_PROJECT,
                                                'aksk_no_project')
        if not project_id:
            raise exceptions.ConfigurationError(
                NO_PROJECT_ID.format(endpoint=endpoint), 'no_project')
        self._root = root
        self._project_id = paths.checked_project_id(project_id, source)

    def _found_endpoint(self):
        """The catalog's or the override's, as keystoneauth finds it."""
        try:
            endpoint = super().get_endpoint()
        except ks_exceptions.EndpointNotFound:
            endpoint = None
        if not endpoint and self._aksk is not None:
            raise exceptions.ConfigurationError(AKSK_NO_ENDPOINT,
                                                'aksk_no_endpoint')
        if not endpoint:
            raise exceptions.ConfigurationError(NO_ENDPOINT, 'no_endpoint')
        return endpoint

    @property
    def service_root(self):
        """The endpoint with API version and project id cut off."""
        self._resolve()
        return self._root

    @property
    def project_id(self):
        self._resolve()
        return self._project_id

    def url(self, version, *segments):
        """The absolute URL of ``/<version>/<project_id>/<segments...>``.

        Plain strings are path words of ours; values an operator typed are
        passed as ``(value, what)`` pairs and become one quoted segment
        each.
        """
        parts = [self.service_root, version, self.project_id]
        for segment in segments:
            if isinstance(segment, tuple):
                segment = paths.path_segment(*segment)
            parts.append(segment)
        return '/'.join(parts)

    def request(self, url, method, **kwargs):
        """keystoneauth's request, with this client's timeout and hooks.

        Sent again while the API throttles it
        (:mod:`mrsclient.api.http.throttling`).
        """
        kwargs.setdefault('timeout', self.timeout)
        # No redirect is followed: it would carry the token, or a
        # signature made anew for the other host, and the body there.
        kwargs.setdefault('redirect', False)
        kwargs.setdefault('hooks', {}).setdefault(
            'response', list(retries.RESPONSE_HOOKS))
        if self._aksk is not None:
            # Signed through keystoneauth's per-request auth, each send
            # anew (retries and 429s too); the plugin gives no headers.
            kwargs.setdefault('authenticated', False)
            kwargs.setdefault('requests_auth', self._aksk.signer(
                self.session, lambda: self.project_id))

        def send():
            self.pace.wait_turn()
            return super(Adapter, self).request(url, method, **kwargs)

        return throttling.throttled(send, on_throttle=self.pace.slow_down,
                                    on_answer=self.pace.speed_up,
                                    sleep=self._sleep)

    def call(self, method, url, action=None, changes=False, **kwargs):
        """Send one request; return the decoded JSON body (or None).

        Every failure becomes a one-line
        :class:`~mrsclient.api.exceptions.MrsError`: ``action`` (e.g.
        "Failed to cancel job execution X") starts the line. A request
        that ``changes`` something is sent once
        (:mod:`mrsclient.api.http.retries`).
        """
        if changes:
            kwargs.update(retries.ONCE)
        return self._send(method, url, action, **kwargs)[1]

    def _send(self, method, url, action, **kwargs):
        """``(response, decoded body or None)``."""
        kwargs.setdefault('headers', {}).setdefault(
            'Accept', 'application/json')
        tries = 1 + kwargs.get('connect_retries', self.connect_retries or 0)
        started = self._clock()
        try:
            response = self.request(url, method, raise_exc=False, **kwargs)
        except ks_exceptions.SSLError as exc:
            raise exceptions.TransportError(
                action, f'TLS error with {url}: {_tls_reason(exc)}',
                reason='tls')
        except ks_exceptions.ConnectionError as exc:
            # ConnectTimeout (connecting or reading), ConnectFailure
            # (refused, reset, unknown host) and anything else
            # keystoneauth could not tell apart.
            raise _no_answer(action, url, exc, self._clock() - started,
                             tries, self.timeout)
        except (ks_exceptions.ClientException,
                requests.RequestException) as exc:
            # Anything else keystoneauth or requests raise, e.g. a failed
            # re-authentication halfway through a command over many ids.
            raise exceptions.TransportError(action, _reason(exc))
        if 300 <= response.status_code < 400:
            raise answers.redirected(action, response)
        if response.status_code >= 400:
            error = answers.from_response(response, action=action)
            if response.status_code == 401 and self._aksk is not None:
                error = self._aksk.refusal(response, error)
            raise error
        if not response.content:
            return response, None
        body = answers.json_of(response)
        if body is answers.NOT_JSON:
            raise _unexpected(action, response, 'is not JSON',
                              answers.text_of(response, 1000))
        return response, body

    def get_object(self, url, key, action=None, changes=False):
        """GET ``url`` and return ``body[key]``, which must be an object.

        A GET that ``changes`` something (the V1.1 cancel) is sent once.
        """
        kwargs = dict(retries.ONCE) if changes else {}
        return self._get_member(url, key, dict, action, **kwargs)[0]

    def get_page(self, url, key, action=None, params=None):
        """GET one page of a list: ``(body[key], body)``.

        ``body[key]`` must be a list; ``body`` carries the page markers or
        totals.
        """
        return self._get_member(url, key, list, action, params=params)

    def _get_member(self, url, key, kind, action, **kwargs):
        response, body = self._send('GET', url, action, **kwargs)
        value = body.get(key) if isinstance(body, dict) else None
        what = 'list of objects' if kind is list else 'object'
        if not isinstance(value, kind) or (kind is list and not all(
                isinstance(item, dict) for item in value)):
            raise _unexpected(action, response, f'has no "{key}" {what}',
                              body)
        return value, body


def _causes(exc):
    """``exc`` and every exception behind it, nearest first.

    keystoneauth raises its own over requests', which wraps urllib3's,
    which wraps the socket's: the socket's says what happened.
    """
    found, todo = [], [exc]
    while todo and len(found) < 20:
        current = todo.pop(0)
        if not isinstance(current, BaseException) or any(
                current is seen for seen in found):
            continue
        found.append(current)
        todo.extend([current.__cause__, current.__context__,
                     getattr(current, 'reason', None), *current.args])
    return found


def _fault(exc):
    """``'timeout'``, ``'refused'``, ``'reset'`` or ``'connect'``."""
    causes = _causes(exc)
    kinds = (('refused', (ConnectionRefusedError,)),
             ('reset', (ConnectionResetError, ConnectionAbortedError,
                        BrokenPipeError, http.client.RemoteDisconnected,
                        http.client.IncompleteRead)),
             ('timeout', (TimeoutError, requests.Timeout,
                          ks_exceptions.ConnectTimeout)))
    for reason, types in kinds:
        if any(isinstance(cause, types) for cause in causes):
            return reason
    if any('Connection aborted' in str(cause) for cause in causes):
        return 'reset'  # urllib3's ProtocolError of a cut connection
    return 'connect'


def _no_answer(action, url, exc, elapsed, tries, timeout):
    """The :class:`~mrsclient.api.exceptions.LostAnswer` of a lost answer.

    Its words say what happened: refused (nothing listens), reset (the
    connection was cut before an answer), no answer in time (how long in
    all, and how many tries of how long), or no connection at all.
    """
    reason = _fault(exc)
    sent = f'{tries} {"try" if tries == 1 else "tries"}'
    detail = {
        'timeout': f'No answer from {url} in {elapsed:.0f} s ({sent} of '
                   f'{timeout:g} s)',
        'refused': f'The MRS endpoint {url} refused the connection ({sent})',
        'reset': f'The connection to {url} was reset before an answer came '
                 f'({sent})',
    }.get(reason) or f'Cannot connect to the MRS endpoint {url}: ' \
        f'{_reason(exc)}'
    return exceptions.LostAnswer(action, detail, reason=reason)


_SSL_REASON = re.compile(r'\[SSL: ([A-Z_]+)\]\s*([^\'"()]*)')


def _tls_reason(exc):
    """OpenSSL's reason, which keystoneauth buries under two URLs."""
    found = _SSL_REASON.search(str(exc))
    if found:
        return exceptions.one_line(f'{found.group(1)}: {found.group(2)}',
                                   200)
    return exceptions.one_line(exc, 200)


def _unexpected(action, response, what, content):
    """A 2xx answer we cannot use, quoted short, the token masked."""
    return exceptions.TransportError(
        action, f'HTTP {response.status_code} from {response.url} {what}: '
                f'{answers.quoted(content, response=response)}',
        reason='unexpected')


def _reason(exc):
    """An exception as one line, its kind first, secrets masked."""
    text = secret_names.mask_text(request_log.mask(str(exc)))
    return exceptions.one_line(f'{type(exc).__name__}: {text}', 300)


def _version():
    """This plugin's version, for the User-Agent."""
    try:
        return metadata.version('mrsclient')
    except metadata.PackageNotFoundError:
        return None
