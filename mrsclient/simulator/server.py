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

"""HTTP in and out: routes a request to Keystone, V1.1 or V2.

MRS requests are checked for a token of the project in the path, decided
with the state lock held, and answered after it is released.
"""

import collections
import http.server
import json
import sys
import threading
import time
import urllib.parse
import uuid

from mrsclient.simulator import keystone
from mrsclient.simulator import signing
from mrsclient.simulator import state as st
from mrsclient.simulator import v1_1
from mrsclient.simulator import v2

MRS_APIS = {'v1.1': v1_1, 'v2': v2}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'mrs-simulator'

    def date_time_string(self, timestamp=None):
        """The Date header, by the simulator's clock (--clock-skew)."""
        return super().date_time_string(self.server.state.clock())

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write('mrs-simulator: %s\n' % (fmt % args))

    def answer(self, status, body=None, headers=None):
        data = b'' if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header('X-Request-Id', 'req-' + uuid.uuid4().hex)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        """The JSON body of the request (its bytes are ``self.raw``)."""
        try:
            return json.loads(self.raw or b'null')
        except ValueError:
            return None

    def route(self, method):
        # Read whole before anything: a signature covers the bytes.
        self.raw = self.rfile.read(int(self.headers.get('Content-Length')
                                       or 0))
        if self.server.latency:
            time.sleep(self.server.latency)
        url = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in url.path.split('/') if p]
        if parts[:1] != ['_simulator']:
            self.server.gate.count()
        if parts == ['_simulator', 'stats']:
            self.body()
            with self.server.state.lock:
                issued = len(self.server.state.temporary_keys)
            self.answer(200, {**self.server.gate.stats(),
                              'temporary_keys': issued})
            return
        if parts[:2] == ['_simulator', 'jobs'] and len(parts) == 3:
            # What a submission really sent, unmasked: for tests.
            with self.server.state.lock:
                job = self.server.state.jobs.get(parts[2])
                self.answer(*(404, None) if job is None else (200, {
                    'arguments': job.arguments,
                    'properties': job.properties}))
            return
        if parts[:2] == ['_simulator', 'jobs'] and len(parts) == 4 \
                and parts[3] == 'end' and method == 'POST':
            # A running job ends now, as it would have: for tests that
            # must not race the clock.
            with self.server.state.lock:
                job = self.server.state.jobs.get(parts[2])
                if job is not None:
                    job.end_now(self.server.state.clock())
                self.answer(*(404, None) if job is None else (204, None))
            return
        if parts == ['openstack', 'latest', 'securitykey']:
            # The ECS metadata service of an ECS with an agency.
            self.body()
            with self.server.state.lock:
                credential = self.server.state.temporary_key('demo')
            self.answer(200, {'credential': credential})
            return
        if parts and parts[0] in MRS_APIS and not self.server.gate.admit():
            self.body()
            self.answer(429, {
                'error_code': 'APIGW.0308',
                'error_msg': 'The throttling threshold has been reached: '
                             'policy user over ratelimit,limit:'
                             f'{self.server.gate.rate:g},time:1 second',
                'request_id': uuid.uuid4().hex},
                self.server.gate.headers)
            return
        if not parts or parts[0] in ('v3', 'v3.0'):
            self.answer(*self.iam(method, parts, url.query))
            return
        query = dict(urllib.parse.parse_qsl(url.query))
        sent = self.body()
        with self.server.state.lock:
            status, body = self.mrs(method, parts, query, sent)
        self.answer(status, body)

    def iam(self, method, parts, query):
        """Keystone's and IAM's answers: ``(status, body, headers)``."""
        state = self.server.state
        if parts[:1] == ['v3'] and parts[1:] == ['projects'] \
                and method == 'GET':
            # IAM's project lookup by region name, signed (AK/SK).
            try:
                user = signing.verify(state, self.command, self.path,
                                      self.headers, self.raw)
            except st.MrsError as exc:
                return exc.status, exc.body(), {}
            name = dict(urllib.parse.parse_qsl(query)).get('name')
            return 200, {'projects': [
                {'id': state.projects[state.users[user]], 'name': name,
                 'domain_id': 'default', 'enabled': True}
                for _ in [0] if name == st.REGION]}, {}
        if parts == ['v3.0', 'OS-CREDENTIAL', 'securitytokens'] \
                and method == 'POST':
            # IAM's temporary keys, for a token.
            project_id = state.tokens.get(self.headers.get('X-Auth-Token'))
            users = [u for u, p in state.users.items()
                     if state.projects[p] == project_id]
            if not users:
                return 401, {'error': {'code': 401, 'message': 'The '
                                       'request you have made requires '
                                       'authentication.'}}, {}
            with state.lock:
                return 201, {'credential': state.temporary_key(
                    users[0])}, {}
        return keystone.route(state, method, parts[1:], self.body(),
                              self.server.url)

    def mrs(self, method, parts, query, body):
        """(status, body) of an MRS request; the state lock is held."""
        state = self.server.state
        api = MRS_APIS.get(parts[0])
        try:
            if api is None or not api.handles(parts[2:]):
                raise _no_route(method, self.path)
            token = self.headers.get('X-Auth-Token')
            if token is None and signing.is_signed(self.headers):
                user = signing.verify(state, self.command, self.path,
                                      self.headers, self.raw)
                project_id = state.projects[state.users[user]]
            elif token not in state.tokens:
                raise st.MrsError(500, '130000002', 'The token is invalid.')
            else:
                project_id = state.tokens[token]
            if project_id != parts[1]:
                raise st.MrsError(400, '12000107',
                                  f'Invalid project ID: {parts[1]}.')
            answer = api.route(state, method, parts[1], parts[2:], query,
                               body)
            if answer is None:
                raise _no_route(method, self.path)
            return answer
        except st.MrsError as exc:
            return exc.status, exc.body()
        except st.AnswerLost as lost:
            return lost.status, {'error_code': f'APIGW.{lost.status}',
                                 'error_msg': 'The gateway lost the answer '
                                              'of the service.'}
        except st.Revoke:
            state.revoke(token)
            return 401, {'error_code': 'APIGW.0301',
                         'error_msg': 'Incorrect IAM authentication '
                                      'information: the token is revoked.'}

    def do_GET(self):
        self.route('GET')

    def do_POST(self):
        self.route('POST')

    def do_DELETE(self):
        self.route('DELETE')


class Gate:
    """The API gateway's flow control.

    At most ``rate`` MRS requests in any second; the others are answered
    429 (with ``Retry-After: 1`` unless ``retry_after`` is off).
    """

    def __init__(self, rate=None, retry_after=True):
        self.rate = rate
        self.headers = {'Retry-After': '1'} if retry_after else {}
        self.lock = threading.Lock()
        self.recent = collections.deque()
        self.admitted = 0
        self.throttled = 0
        self.requests = 0

    def admit(self):
        now = time.monotonic()
        with self.lock:
            if self.rate:
                while self.recent and self.recent[0] <= now - 1:
                    self.recent.popleft()
                if len(self.recent) >= self.rate:
                    self.throttled += 1
                    return False
                self.recent.append(now)
            self.admitted += 1
            return True

    def count(self):
        """One more request of any kind (Keystone and IAM included)."""
        with self.lock:
            self.requests += 1

    def stats(self):
        with self.lock:
            return {'admitted': self.admitted, 'throttled': self.throttled,
                    'requests': self.requests}


def _no_route(method, path):
    return st.MrsError(404, '404', f'No route for {method} {path}')


class Simulator(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host='127.0.0.1', port=0, latency=0.0, quiet=True,
                 password=st.DEFAULT_PASSWORD,
                 kill_delay=st.DEFAULT_KILL_DELAY, extra_jobs=0,
                 job_duration=st.DEFAULT_JOB_DURATION, rate_limit=None,
                 retry_after=True, fleet=0, key_life=st.DEFAULT_KEY_LIFE,
                 clock_skew=0.0):
        super().__init__((host, port), Handler)
        self.state = st.State(password, kill_delay, extra_jobs=extra_jobs,
                              job_duration=job_duration, fleet=fleet,
                              key_life=key_life,
                              clock=lambda: time.time() + clock_skew)
        self.gate = Gate(rate_limit, retry_after)
        self.latency = latency
        self.quiet = quiet

    @property
    def url(self):
        host, port = self.server_address[:2]
        return f'http://{host}:{port}'

    def clouds_yaml(self, cloud='mrs-simulator'):
        """A clouds.yaml (JSON is YAML) with one cloud per seeded user."""
        clouds = {}
        for user, project in self.state.users.items():
            clouds[cloud if user == 'demo' else f'{cloud}-{user}'] = {
                'region_name': st.REGION,
                'auth': {'auth_url': self.url + '/v3', 'username': user,
                         'password': self.state.password,
                         'project_name': project,
                         'user_domain_name': 'Default',
                         'project_domain_name': 'Default'},
            }
        clouds.update(self.aksk_clouds(cloud))
        return json.dumps({'clouds': clouds}, indent=2)

    def aksk_clouds(self, cloud):
        """The demo user's AK/SK clouds (auth type mrs-aksk).

        ``-aksk``: a permanent key and the project id, ``-aksk-region``:
        the project looked up by region, ``-temporary``: a temporary key
        and its security token, ``-agency``: no key, the simulator
        playing the ECS metadata service.
        """
        access_key, secret_key = st.ACCESS_KEYS['demo']
        with self.state.lock:
            temporary = self.state.temporary_key('demo')
        auth = {'auth_url': self.url + '/v3'}
        keys = {'access_key': access_key, 'secret_key': secret_key}
        base = {'region_name': st.REGION, 'auth_type': 'mrs-aksk',
                'mrs_endpoint_override': self.url}
        return {
            f'{cloud}-aksk': {**base, 'auth': {
                **auth, **keys,
                'project_id': self.state.projects['demo']}},
            f'{cloud}-aksk-region': {**base, 'auth': {**auth, **keys}},
            f'{cloud}-temporary': {**base, 'auth': {
                **auth, 'access_key': temporary['access'],
                'secret_key': temporary['secret'],
                'security_token': temporary['securitytoken']}},
            f'{cloud}-agency': {**base, 'auth': {
                **auth, 'metadata_url': self.url}},
        }
