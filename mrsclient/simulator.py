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

"""mrs-simulator: a local MRS job-execution API, to try without a cloud.

A test tool, as moto is for AWS: one threaded HTTP server that speaks

* enough Keystone v3 for OSC to log in: version discovery and password
  authentication (``POST /v3/auth/tokens``), answering a token whose
  catalog has the service type ``mrs`` pointing back at the simulator;
* the V1.1 job-execution API of MRS: list, show, cancel and delete under
  ``/v1.1/{project_id}/job-executions``, with MRS's error bodies
  (``{"error_code": "...", "error_msg": "..."}``) and the state rules below.

State rules (decided here; the api-ref does not spell them out):

* cancel of a RUNNING, PENDING or PREP execution kills it: the answer is
  the execution as it was (as Sahara does), and it is KILLED from then on;
* cancel of a finished execution (SUCCEEDED, FAILED, KILLED) answers
  500 ``0160`` "Failed to kill the job.";
* an execution on a cluster of the V2-only kind answers 400 ``12000085``;
* an unknown id answers 500 ``0176`` "The job does not exist.";
* a token of another project answers 400 ``12000107`` "Invalid project
  ID"; a missing or unknown token 500 ``130000002`` (as the error-code
  table lists them);
* delete answers 204, and 500 ``0176`` when the id is unknown.

Run ``mrs-simulator --help``. Everything lives in memory and is seeded
anew at each start; ``--latency`` delays every answer, for benchmarks.
"""

import argparse
import copy
import datetime
import http.server
import json
import secrets
import sys
import threading
import time
import urllib.parse
import uuid

DEFAULT_PASSWORD = 'secret'
REGION = 'RegionOne'
RUNNING_STATES = ('RUNNING', 'PENDING', 'PREP')

_KILL_FAILED = ('0160', 'Failed to kill the job.')
_NO_SUCH_JOB = ('0176', 'The job does not exist.')
_V2_ONLY = ('12000085', 'This interface does not support the cluster of '
            'this version.Please use the /v2/{project_id}/clusters/'
            '{cluster_id}/job-executions job submit interface.')
_BAD_TOKEN = ('130000002', 'The token is invalid.')


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%S')


def _execution(project_id, cluster_id, status, **extra):
    execution = {
        'id': str(uuid.uuid4()),
        'tenant_id': project_id,
        'job_id': str(uuid.uuid4()),
        'cluster_id': cluster_id,
        'created_at': _now(),
        'updated_at': _now(),
        'start_time': _now(),
        'end_time': None if status in RUNNING_STATES else _now(),
        'oozie_job_id': None,
        'engine_job_id': None,
        'return_code': None,
        'input_id': None,
        'output_id': None,
        'is_protected': False,
        'is_public': None,
        'job_configs': {'configs': {'mapreduce.job.maps': '2'},
                        'args': ['obs://demo/in', 'obs://demo/out'],
                        'params': {}},
        'data_source_urls': None,
        'info': {'status': status},
    }
    execution.update(extra)
    return execution


class State:
    """Users, projects, tokens and job executions, behind one lock."""

    def __init__(self, password=DEFAULT_PASSWORD):
        self.lock = threading.Lock()
        self.password = password
        self.projects = {'demo': uuid.uuid4().hex, 'other': uuid.uuid4().hex}
        # user name -> project name it has a role in
        self.users = {'demo': 'demo', 'other': 'other'}
        self.tokens = {}
        self.v2_only_clusters = {str(uuid.uuid4())}
        self.executions = {}
        self.seed()

    def seed(self):
        demo, other = self.projects['demo'], self.projects['other']
        cluster = str(uuid.uuid4())
        (v2_cluster,) = self.v2_only_clusters
        seeded = [
            _execution(demo, cluster, 'RUNNING'),
            _execution(demo, cluster, 'RUNNING'),
            _execution(demo, cluster, 'SUCCEEDED', return_code='0'),
            _execution(demo, cluster, 'KILLED'),
            _execution(demo, v2_cluster, 'RUNNING'),
            _execution(other, str(uuid.uuid4()), 'RUNNING'),
        ]
        self.executions = {e['id']: e for e in seeded}

    def inventory(self, base_url):
        """What a client needs to know: endpoints, users, seeded ids."""
        by_status = {}
        for e in self.executions.values():
            key = e['info']['status'].lower()
            if e['cluster_id'] in self.v2_only_clusters:
                key = 'v2_only'
            if e['tenant_id'] == self.projects['other']:
                key = 'other_project'
            by_status.setdefault(key, []).append(e['id'])
        return {'auth_url': base_url + '/v3',
                'projects': self.projects,
                'password': self.password,
                'job_executions': by_status}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'mrs-simulator'

    # -- plumbing --------------------------------------------------------

    @property
    def state(self):
        return self.server.state

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f'http://{host}:{port}'

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

    def identity_error(self, status, title, message):
        self.answer(status, {'error': {'code': status, 'title': title,
                                       'message': message}})

    def body(self):
        length = int(self.headers.get('Content-Length') or 0)
        try:
            return json.loads(self.rfile.read(length) or b'null')
        except ValueError:
            return None

    def route(self, method):
        if self.server.latency:
            time.sleep(self.server.latency)
        path = urllib.parse.urlsplit(self.path).path
        parts = [urllib.parse.unquote(p) for p in path.split('/') if p]
        if not parts or parts[0] == 'v3':
            return self.identity(method, parts[1:])
        if parts[0] == 'v1.1' and len(parts) >= 3 \
                and parts[2] == 'job-executions':
            return self.job_executions(method, parts[1], parts[3:])
        self.answer(404, _mrs_body(('404', f'No route for {method} {path}')))

    def do_GET(self):
        self.route('GET')

    def do_POST(self):
        self.route('POST')

    def do_DELETE(self):
        self.route('DELETE')

    # -- Keystone v3, just enough for OSC ---------------------------------

    def identity(self, method, parts):
        version = {'id': 'v3.14', 'status': 'stable', 'updated': '2026-01-01'
                   'T00:00:00Z', 'links': [{'rel': 'self',
                                            'href': self.base_url + '/v3/'}],
                   'media-types': [{'base': 'application/json', 'type':
                                    'application/vnd.openstack.identity-v3'
                                    '+json'}]}
        if method == 'GET' and not parts:
            return self.answer(200, {'version': version})
        if method == 'POST' and parts == ['auth', 'tokens']:
            return self.issue_token(self.body())
        self.identity_error(404, 'Not Found', 'Not supported here.')

    def issue_token(self, body):
        try:
            auth = body['auth']
            user = auth['identity']['password']['user']
            name, password = user['name'], user['password']
        except (KeyError, TypeError):
            return self.identity_error(
                400, 'Bad Request',
                'Only password authentication by user name is simulated.')
        if self.state.users.get(name) is None \
                or password != self.state.password:
            return self.identity_error(
                401, 'Unauthorized',
                'The request you have made requires authentication.')
        project_name = self.state.users[name]
        project_id = self.state.projects[project_name]
        scope = (auth.get('scope') or {}).get('project')
        if scope and project_name != scope.get('name') \
                and project_id != scope.get('id'):
            return self.identity_error(
                401, 'Unauthorized', 'User has no access to that project.')
        token = secrets.token_urlsafe(32)
        expires = (datetime.datetime.now(datetime.timezone.utc)
                   + datetime.timedelta(hours=1))
        body = {'token': {
            'methods': ['password'],
            'expires_at': expires.strftime('%Y-%m-%dT%H:%M:%S.000000Z'),
            'issued_at': _now() + '.000000Z',
            'user': {'id': name, 'name': name,
                     'domain': {'id': 'default', 'name': 'Default'}},
        }}
        scoped = scope is not None
        if scoped:
            body['token'].update({
                'project': {'id': project_id, 'name': project_name,
                            'domain': {'id': 'default', 'name': 'Default'}},
                'roles': [{'id': 'member', 'name': 'member'}],
                'catalog': [{
                    'type': 'mrs', 'name': 'mrs', 'id': 'mrs',
                    'endpoints': [{
                        'id': f'mrs-{interface}', 'interface': interface,
                        'region': REGION, 'region_id': REGION,
                        'url': f'{self.base_url}/v1.1/{project_id}'}
                        for interface in ('public', 'internal', 'admin')],
                }],
            })
        with self.state.lock:
            self.state.tokens[token] = project_id if scoped else None
        self.answer(201, body, headers={'X-Subject-Token': token})

    # -- MRS V1.1 job executions ------------------------------------------

    def job_executions(self, method, project_id, rest):
        # Decide under the lock, on copies; answer after it.
        with self.state.lock:
            status, body = self._job_executions(method, project_id, rest)
        self.answer(status, body)

    def _job_executions(self, method, project_id, rest):
        """(status, body) of a job-execution request; state lock held."""
        token = self.headers.get('X-Auth-Token')
        if token not in self.state.tokens:
            return 500, _mrs_body(_BAD_TOKEN)
        if self.state.tokens[token] != project_id:
            return 400, _mrs_body(('12000107',
                                   f'Invalid project ID: {project_id}.'))
        if method == 'GET' and not rest:
            found = sorted((e for e in self.state.executions.values()
                            if e['tenant_id'] == project_id),
                           key=lambda e: (e['created_at'], e['id']))
            return 200, {'markers': {'prev': None, 'next': None},
                         'job_executions': copy.deepcopy(found)}
        execution = self.state.executions.get(rest[0]) if rest else None
        if execution is None or execution['tenant_id'] != project_id:
            return 500, _mrs_body(_NO_SUCH_JOB)
        action = (method, tuple(rest[1:]))
        if action == ('GET', ()):
            return 200, {'job_execution': copy.deepcopy(execution)}
        if action == ('DELETE', ()):
            del self.state.executions[execution['id']]
            return 204, None
        if action == ('GET', ('cancel',)):
            return self._cancel(execution)
        return 404, _mrs_body(('404', f'No route for {method} {self.path}'))

    def _cancel(self, execution):
        if execution['cluster_id'] in self.state.v2_only_clusters:
            return 400, _mrs_body(_V2_ONLY)
        if execution['info']['status'] not in RUNNING_STATES:
            return 500, _mrs_body(_KILL_FAILED)
        before = copy.deepcopy(execution)
        execution['info'] = {'status': 'KILLED'}
        execution['end_time'] = execution['updated_at'] = _now()
        return 200, {'job_execution': before}


def _mrs_body(code_and_message):
    code, message = code_and_message
    return {'error_code': code, 'error_msg': message}


class Simulator(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host='127.0.0.1', port=0, latency=0.0, quiet=True,
                 password=DEFAULT_PASSWORD):
        super().__init__((host, port), Handler)
        self.state = State(password)
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
                'region_name': REGION,
                'auth': {'auth_url': self.url + '/v3', 'username': user,
                         'password': self.state.password,
                         'project_name': project,
                         'user_domain_name': 'Default',
                         'project_domain_name': 'Default'},
            }
        return json.dumps({'clouds': clouds}, indent=2)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='mrs-simulator',
        description='A local MRS V1.1 job-execution API with just enough '
                    'Keystone for OpenStackClient. A test tool: state is '
                    'in memory and seeded anew at each start.')
    parser.add_argument('--host', metavar='<address>', default='127.0.0.1',
                        help='Address to listen on (default: 127.0.0.1)')
    parser.add_argument('--port', metavar='<port>', type=int, default=0,
                        help='Port to listen on (default: any free port)')
    parser.add_argument('--latency', metavar='<seconds>', type=float,
                        default=0.0,
                        help='Delay every answer by this long (default: 0)')
    parser.add_argument('--clouds-yaml', metavar='<file>',
                        help='Write a clouds.yaml for the seeded users here '
                             '(clouds "mrs-simulator" and '
                             '"mrs-simulator-other")')
    parser.add_argument('--inventory', metavar='<file>',
                        help='Write the seeded projects and job execution '
                             'ids here, as JSON')
    parser.add_argument('--verbose', action='store_true',
                        help='Log every request to stderr')
    args = parser.parse_args(argv)

    server = Simulator(args.host, args.port, args.latency,
                       quiet=not args.verbose)
    if args.clouds_yaml:
        with open(args.clouds_yaml, 'w') as f:
            f.write(server.clouds_yaml())
    if args.inventory:
        with open(args.inventory, 'w') as f:
            json.dump(server.state.inventory(server.url), f, indent=2)
    print(f'mrs-simulator listening on {server.url}', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
