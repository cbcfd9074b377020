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

"""The real ``openstack`` binary against a local server with fixed answers.

The server answers the api-ref's cancel example and error bodies of the
shapes MRS, Sahara and proxies send; no authentication is involved (token
or ``none`` auth), so these tests isolate what the plugin does with HTTP.
"""

import http.server
import json
import socket
import threading

from mrsclient.tests.functional import base
from mrsclient.tests.unit import fakes

PID = fakes.PROJECT_ID
JEID = fakes.JOB_EXECUTION_ID
JSON = 'application/json'

# path under /v1.1/<pid>/job-executions/ -> (status, content type, body)
ANSWERS = {
    f'{JEID}/cancel': (200, JSON, json.dumps(fakes.CANCEL_EXAMPLE)),
    'gone/cancel': (500, JSON, json.dumps(
        {'error_code': '0176', 'error_msg': 'The job does not exist.'})),
    'stuck/cancel': (500, JSON, json.dumps(
        {'error_code': '0160', 'error_msg': 'Failed to kill the job.'})),
    'protected/cancel': (400, JSON, json.dumps(
        {'error_code': 400, 'error_name': 'CANCELING_FAILED',
         'error_message': 'Job execution is protected\nError ID: e-1'})),
    'proxy/cancel': (502, 'text/html',
                     '<html><head><title>502 Bad Gateway</title></head>\n'
                     '<body><h1>502 Bad Gateway</h1></body></html>\n'),
    'odd/cancel': (200, JSON, json.dumps({'cluster': {}})),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        self.server.seen.append((self.path, dict(self.headers)))
        prefix = f'/v1.1/{PID}/job-executions/'
        answer = (self.path.startswith(prefix)
                  and ANSWERS.get(self.path[len(prefix):]))
        status, ctype, body = answer or (404, JSON, json.dumps(
            {'error_code': '0176', 'error_msg': 'not here'}))
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.send_header('X-Request-Id', 'req-canned')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class TestCancelAgainstCannedServer(base.CLITestCase):

    def setUp(self):
        super().setUp()
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        server.seen = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.server = server
        self.endpoint = (f'http://127.0.0.1:{server.server_port}'
                         f'/v1.1/{PID}')

    def cancel(self, job_execution, *extra, endpoint=None):
        return self.openstack(
            '--os-auth-type', 'none',
            '--os-endpoint', endpoint or self.endpoint,
            'mrs', 'job', 'execution', 'cancel', job_execution, *extra)

    def test_cancel_shows_every_documented_field(self):
        result = self.cancel(JEID, '-f', 'json')
        self.assertSucceeded(result)
        # Every field of the example, and the state its info gives.
        self.assertEqual(dict(fakes.CANCEL_EXAMPLE['job_execution'],
                              name=None, state=None, result=None),
                         result.json())
        self.assertEqual(
            [f'/v1.1/{PID}/job-executions/{JEID}/cancel'],
            [path for path, _ in self.server.seen])

    def test_cancel_table(self):
        result = self.cancel(JEID)
        self.assertSucceeded(result)
        lines = result.out.splitlines()
        self.assertIn('| id ', lines[3])
        for field in fakes.CANCEL_EXAMPLE['job_execution']:
            self.assertIn(f'| {field} ', result.out)

    def test_bare_host_endpoint(self):
        # No project in the endpoint and no scope: a clear error, no call.
        result = self.cancel(
            JEID, endpoint=f'http://127.0.0.1:{self.server.server_port}')
        self.assertOneLineError(result, 'not scoped to a project')
        self.assertEqual([], self.server.seen)

    def test_mrs_errors(self):
        self.assertOneLineError(
            self.cancel('gone'),
            'Failed to cancel job execution gone: HTTP 500 0176: The job '
            'does not exist.', 'No such job', '(Request-ID: req-canned)')
        self.assertOneLineError(
            self.cancel('stuck'), 'HTTP 500 0160: Failed to kill the job.')

    def test_sahara_error(self):
        self.assertOneLineError(
            self.cancel('protected'),
            'HTTP 400 CANCELING_FAILED: Job execution is protected '
            'Error ID: e-1.')

    def test_proxy_page(self):
        self.assertOneLineError(self.cancel('proxy'),
                                'HTTP 502: 502 Bad Gateway. (Request-ID')

    def test_unexpected_ok_answer(self):
        self.assertOneLineError(self.cancel('odd'),
                                'has no "job_execution" object')

    def test_connection_refused(self):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        self.assertOneLineError(
            self.cancel(JEID, endpoint=f'http://127.0.0.1:{port}/v1.1/p'),
            f'The MRS endpoint http://127.0.0.1:{port}/', 'refused the '
            'connection')

    def test_blank_id(self):
        self.assertOneLineError(self.cancel(' '),
                                'The job execution id must not be empty.')
        self.assertEqual([], self.server.seen)

    def test_odd_ids_are_one_segment(self):
        result = self.cancel('../../clusters?x=1#y')
        self.assertOneLineError(result)
        self.assertEqual(
            [f'/v1.1/{PID}/job-executions/..%2F..%2Fclusters%3Fx%3D1%23y'
             '/cancel'], [path for path, _ in self.server.seen])

    def test_debug_never_shows_the_token(self):
        result = self.openstack(
            '--debug', '--os-auth-type', 'admin_token',
            '--os-token', fakes.TOKEN, '--os-endpoint', self.endpoint,
            'mrs', 'job', 'execution', 'cancel', 'gone')
        self.assertEqual(1, result.code)
        self.assertIn('HTTP 500 0176', result.err)
        self.assertIn('REQ: curl', result.err)
        self.assertNotIn(fakes.TOKEN, result.out + result.err)
        # ...yet it was sent.
        _, headers = self.server.seen[-1]
        self.assertEqual(fakes.TOKEN, headers['X-Auth-Token'])


class TestBesideOtcExtensions(base.CLITestCase):
    """python-otcextensions (API name "mrs") is installed in this env."""

    def test_help_lists_both_plugins(self):
        result = self.openstack('--help')
        self.assertEqual(0, result.code, result)
        self.assertIn('mrs cluster list', result.out)
        self.assertIn('mrs job execution cancel', result.out)

    def test_both_plugins_commands_have_help(self):
        for argv in (['mrs', 'cluster', 'list', '--help'],
                     ['mrs', 'job', 'execution', 'cancel', '--help']):
            result = self.openstack(*argv)
            self.assertEqual(0, result.code, result)
            self.assertIn('usage: openstack ' + ' '.join(argv[:-1]),
                          result.out)
