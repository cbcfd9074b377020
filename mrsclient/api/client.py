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

"""The MRS HTTP client: endpoints, the project id, requests and errors.

Every request of the plugin goes through :class:`MrsClient`, a keystoneauth
``Adapter``: authentication, TLS options, retries, the user agent
(``mrsclient/<version>``) and the ``--debug`` request log (with the token
masked) come from keystoneauth, set up once by :mod:`.transport`. This
module adds what MRS needs on top:

* the *service root*: the catalog or override URL with any API version and
  project id cut off, so that ``/v1.1/{project_id}/...`` and, later,
  ``/v2/{project_id}/clusters/{cluster_id}/...`` hang off the same root;
* the project id for the path, from the token's scope or from the endpoint;
* path building where every id is exactly one percent-encoded segment;
* one place where error answers and transport failures become the
  one-line errors of :mod:`.exceptions` (error bodies are read by
  :mod:`.answers`).
"""

import http.client
import re
import time
import urllib.parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ks_exceptions
import requests

from mrsclient.api import answers
from mrsclient.api import exceptions
from mrsclient.api import logmask
from mrsclient.api import secrets
from mrsclient.api import throttling
from mrsclient.api import transport

SERVICE_TYPE = 'mrs'

CLUSTER_PAGE_SIZE = 100
# The most clusters a name is looked up among: a server that pages on
# with new clusters past this (a project has far fewer) is not followed.
MAX_CLUSTERS = 10_000

# Path segments that name an MRS API version in a catalog URL.
_VERSION_SEGMENT = re.compile(r'v\d+(\.\d+)?')
_PROJECT_TEMPLATES = ('%(project_id)s', '$(project_id)s')

NO_PROJECT_ID = (
    'Cannot tell which project to use for MRS: the token is not scoped to '
    'a project and the MRS endpoint ({endpoint}) does not contain a project '
    'id.')
NO_ENDPOINT = ('No MRS endpoint: the service catalog has no "mrs" service '
               'for this region and interface.')


def split_endpoint(endpoint):
    """Split an MRS endpoint URL into (service root, project id or None).

    Accepts every form seen in MRS catalogs: ``https://host``,
    ``https://host/v1.1``, ``https://host/v1.1/`` and
    ``https://host/v1.1/<project_id>`` (or ``/v2/<project_id>``). A project
    id that is still a template counts as none.
    """
    parsed = urllib.parse.urlsplit(endpoint.strip())
    segments = [s for s in parsed.path.split('/') if s]
    project_id = None
    for index in range(len(segments) - 1, -1, -1):
        if _VERSION_SEGMENT.fullmatch(segments[index]):
            rest = segments[index + 1:]
            if rest and rest[0] not in _PROJECT_TEMPLATES:
                project_id = urllib.parse.unquote(rest[0])
            segments = segments[:index]
            break
    path = '/'.join(segments)
    root = urllib.parse.urlunsplit(
        (parsed.scheme, parsed.netloc, '/' + path if path else '', '', ''))
    return root, project_id


def path_segment(value, what='id'):
    """Quote one value as exactly one URL path segment.

    Blank values are refused, and so are ``.`` and ``..``: HTTP libraries
    and servers resolve those as "this" and "parent" directory, so they can
    never reach a resource by that name.
    """
    if not isinstance(value, str) or not value.strip():
        raise exceptions.InvalidValue(f'The {what} must not be empty.')
    if value in ('.', '..'):
        raise exceptions.InvalidValue(
            f'{value!r} is not a valid {what}: it would name a directory, '
            'not a resource.')
    # surrogateescape gives back the exact bytes of an argument that was
    # not valid UTF-8 on the command line.
    raw = value.encode('utf-8', 'surrogateescape')
    return urllib.parse.quote(raw, safe='')


class MrsClient(adapter.Adapter):
    """A keystoneauth Adapter for MRS that knows its paths and errors.

    :param endpoint: the MRS endpoint OSC found: the ``mrs`` catalog entry,
        or ``mrs_endpoint_override``; it may contain ``%(project_id)s``.
    :param timeout: seconds for each connect and read (see
        :mod:`.transport` for the retries)
    :param sleep: how the client waits between 429s (a test passes its
        own); ``clock`` times the pace
    """

    def __init__(self, session, endpoint, timeout=transport.DEFAULT_TIMEOUT,
                 clock=time.monotonic, sleep=time.sleep, **kwargs):
        kwargs.setdefault('service_type', SERVICE_TYPE)
        kwargs.setdefault('client_name', 'mrsclient')
        kwargs.setdefault('client_version', _version())
        for name, value in transport.ADAPTER_OPTIONS.items():
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
        """The AK/SK auth plugin (:mod:`.aksk`) in use, or None."""
        auth = self.auth or self.session.auth
        return auth if hasattr(auth, 'signer') else None

    def _resolve(self):
        if self._root is not None:
            return
        aksk = self._aksk
        if not self.endpoint and aksk is not None:
            # No catalog: the endpoint follows from IAM's.
            self.endpoint = aksk.get_endpoint(self.session,
                                              region_name=self.region_name)
        if not self.endpoint:
            raise exceptions.ConfigurationError(NO_ENDPOINT, 'no_endpoint')
        # The project and version segments are cut off the root, so a
        # %(project_id)s template needs no filling in here.
        root, from_endpoint = split_endpoint(self.endpoint)
        try:
            project_id = self.session.get_project_id(self.auth) \
                or from_endpoint
            if not project_id and aksk is not None:
                project_id = aksk.project_id_for(self.session,
                                                 self.region_name)
        except (ks_exceptions.ClientException,
                requests.RequestException) as exc:
            raise exceptions.TransportError(
                None, f'Cannot log in: {_reason(exc)}')
        if not project_id:
            raise exceptions.ConfigurationError(
                NO_PROJECT_ID.format(endpoint=self.endpoint), 'no_project')
        self._root, self._project_id = root, project_id

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
        parts = [self.service_root, version,
                 urllib.parse.quote(self.project_id, safe='')]
        for segment in segments:
            if isinstance(segment, tuple):
                segment = path_segment(*segment)
            parts.append(segment)
        return '/'.join(parts)

    def request(self, url, method, **kwargs):
        """keystoneauth's request, with this client's timeout and hooks.

        Sent again while the API throttles it (:mod:`.transport`).
        """
        kwargs.setdefault('timeout', self.timeout)
        # No redirect is followed: it would carry the token, or a
        # signature made anew for the other host, and the body there.
        kwargs.setdefault('redirect', False)
        kwargs.setdefault('hooks', {}).setdefault(
            'response', list(transport.RESPONSE_HOOKS))
        if self._aksk is not None:
            # Each send is signed, retries and 429s too.
            kwargs.setdefault('requests_auth', self._aksk.signer(
                self.session, lambda: self.project_id))

        def send():
            self.pace.wait_turn()
            return super(MrsClient, self).request(url, method, **kwargs)

        return throttling.throttled(send, on_throttle=self.pace.slow_down,
                                    on_answer=self.pace.speed_up,
                                    sleep=self._sleep)

    def call(self, method, url, action=None, changes=False, **kwargs):
        """Send one request; return the decoded JSON body (or None).

        Every failure becomes a one-line :class:`.exceptions.MrsError`:
        ``action`` (e.g.
        "Failed to cancel job execution X") starts the line. A request
        that ``changes`` something is sent once (:mod:`.transport`).
        """
        if changes:
            kwargs.update(transport.ONCE)
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
        kwargs = dict(transport.ONCE) if changes else {}
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

    def find_cluster(self, name_or_id):
        """The id of the cluster with this id or name (one request).

        A value shaped like an id is taken as one without a request.
        Otherwise ``cluster_infos`` is read, every page (at most
        ``MAX_CLUSTERS`` clusters), and the value must be the id or the
        name of exactly one cluster.
        """
        from mrsclient.api import names  # only when a name is given

        if names.is_id(name_or_id):
            return name_or_id
        url = self.url('v1.1', 'cluster_infos')
        action = f'Failed to find cluster {name_or_id}'
        clusters, known, page = [], set(), 1
        while True:
            found, body = self.get_page(
                url, 'clusters', action=action,
                params={'pageSize': CLUSTER_PAGE_SIZE, 'currentPage': page})
            fresh = [c for c in found if c.get('clusterId') not in known]
            known.update(c.get('clusterId') for c in fresh)
            clusters.extend(fresh)
            total = str(body.get('clusterTotal', ''))
            if not fresh or len(found) < CLUSTER_PAGE_SIZE or (
                    total.isdigit() and len(clusters) >= int(total)):
                break
            if len(clusters) >= MAX_CLUSTERS:
                raise exceptions.ListTooLong(action, MAX_CLUSTERS,
                                             'clusters')
            page += 1
        return names.pick(name_or_id, clusters, 'clusterId', 'clusterName',
                          'cluster', 'in this project')

    def job_executions(self, cluster_id=None):
        """The job-execution API to use: V2 on a cluster, else V1.1.

        This is the one place where a cluster selects the V2 API; a
        cluster of MRS before 1.9.2 then has its jobs followed to V1.1
        (:mod:`.routing`).
        """
        if cluster_id is None:
            from mrsclient.api import v11
            return v11.V11JobExecutions(self)
        from mrsclient.api import routing
        return routing.OnCluster(self, cluster_id)


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
    """The :class:`.exceptions.LostAnswer` of a request that got none.

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
    text = secrets.mask_text(logmask.mask(str(exc)))
    return exceptions.one_line(f'{type(exc).__name__}: {text}', 300)


def _version():
    """This plugin's version, for the User-Agent."""
    from importlib import metadata
    try:
        return metadata.version('mrsclient')
    except metadata.PackageNotFoundError:
        return None
