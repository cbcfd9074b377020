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

import urllib.parse

import fixtures
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from keystoneauth1 import exceptions as ks_exceptions
import requests_mock
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.osc import errors
from mrsclient.tests.unit import fakes

HOST = 'https://mrs.example.com'
PID = fakes.PROJECT_ID
JEID = fakes.JOB_EXECUTION_ID
CANCEL_URL = f'{HOST}/v1.1/{PID}/job-executions/{JEID}/cancel'


def mrs_client(endpoint, project_id=PID):
    return client.MrsClient(fakes.make_session(project_id), endpoint)


class TestEndpointForms(testtools.TestCase):
    """Every catalog form MRS uses leads to the same cancel URL."""

    scenarios_endpoints = [
        # Keystone substituted the project id into the catalog.
        f'{HOST}/v1.1/{PID}',
        f'{HOST}/v1.1/{PID}/',
        f'{HOST}/v1.1',
        f'{HOST}/v1.1/',
        HOST,
        HOST + '/',
        f'{HOST}/v1.1/%(project_id)s',
        f'{HOST}/v1.1/$(project_id)s',
        f'{HOST}/v2/{PID}',
    ]

    def test_scoped_token(self):
        for endpoint in self.scenarios_endpoints:
            with requests_mock.Mocker() as m:
                m.get(CANCEL_URL, json=fakes.CANCEL_EXAMPLE)
                got = mrs_client(endpoint).route().cancel(JEID)
                self.assertEqual(dict(fakes.CANCEL_EXAMPLE['job_execution'],
                                      status=None), got, endpoint)
                self.assertEqual(CANCEL_URL, m.last_request.url, endpoint)

    def test_service_root_keeps_a_path_prefix(self):
        c = mrs_client('https://api.example.com/mrs/v1.1/' + PID)
        self.assertEqual('https://api.example.com/mrs', c.service_root)
        self.assertEqual(
            f'https://api.example.com/mrs/v2/{PID}/clusters/c1',
            c.url('v2', 'clusters', ('c1', 'cluster id')))

    def test_token_scope_wins_over_endpoint(self):
        c = mrs_client(f'{HOST}/v1.1/other-project')
        self.assertEqual(PID, c.project_id)

    def test_unscoped_token_takes_project_from_endpoint(self):
        c = mrs_client(f'{HOST}/v1.1/{PID}', project_id=None)
        self.assertEqual(PID, c.project_id)
        self.assertEqual(HOST, c.service_root)

    def test_unscoped_token_and_no_project_in_endpoint(self):
        for endpoint in (HOST, f'{HOST}/v1.1', f'{HOST}/v1.1/%(project_id)s'):
            c = mrs_client(endpoint, project_id=None)
            with requests_mock.Mocker() as m:
                e = self.assertRaises(exceptions.MrsError,
                                      c.route().cancel, JEID)
                self.assertFalse(m.called)
            self.assertIn('not scoped to a project', str(e))
            self.assertIn('mrs_endpoint_override', errors.line(e))

    def test_no_endpoint_at_all(self):
        c = mrs_client(None)
        e = self.assertRaises(exceptions.MrsError,
                              c.route().cancel, JEID)
        self.assertIn('No MRS endpoint', str(e))


class TestIdsAreData(testtools.TestCase):

    def test_blank_id_is_refused_before_any_request(self):
        c = mrs_client(HOST)
        for bad in ('', ' ', '\t\n'):
            with requests_mock.Mocker() as m:
                e = self.assertRaises(exceptions.MrsError,
                                      c.route().cancel, bad)
                self.assertFalse(m.called)
            self.assertEqual('The job execution id must not be empty.',
                             str(e))

    def test_dot_segments_are_refused(self):
        c = mrs_client(HOST)
        for bad in ('.', '..'):
            with requests_mock.Mocker() as m:
                e = self.assertRaises(exceptions.MrsError,
                                      c.route().cancel, bad)
                self.assertFalse(m.called)
            self.assertIn('not a valid job execution id', str(e))

    def test_reserved_characters_stay_in_one_segment(self):
        c = mrs_client(HOST)
        for value, segment in [('a/b', 'a%2Fb'),
                               ('../../clusters', '..%2F..%2Fclusters'),
                               ('x?y#z', 'x%3Fy%23z'),
                               ('100%', '100%25'),
                               ('a b', 'a%20b'),
                               ('jöb', 'j%C3%B6b')]:
            with requests_mock.Mocker(case_sensitive=True) as m:
                m.get(requests_mock.ANY, json=fakes.CANCEL_EXAMPLE)
                c.route().cancel(value)
                self.assertEqual(
                    f'/v1.1/{PID}/job-executions/{segment}/cancel',
                    urllib.parse.urlsplit(m.last_request.url).path)

    @settings(max_examples=300, deadline=None)
    @given(st.text(min_size=1).filter(
        lambda s: s.strip() and s not in ('.', '..')))
    def test_any_id_is_exactly_one_segment(self, value):
        c = mrs_client(HOST)
        with requests_mock.Mocker(case_sensitive=True) as m:
            m.get(requests_mock.ANY, json=fakes.CANCEL_EXAMPLE)
            c.route().cancel(value)
            parts = urllib.parse.urlsplit(m.last_request.url)
        self.assertEqual('', parts.query)
        self.assertEqual('', parts.fragment)
        prefix = f'/v1.1/{PID}/job-executions/'
        self.assertTrue(parts.path.startswith(prefix), parts.path)
        self.assertTrue(parts.path.endswith('/cancel'), parts.path)
        segment = parts.path[len(prefix):-len('/cancel')]
        self.assertNotIn('/', segment)
        self.assertEqual(value, urllib.parse.unquote(segment))

    @given(st.text(st.characters(whitelist_categories=['Zs', 'Cc']),
                   max_size=5).filter(lambda s: not s.strip()))
    def test_any_blank_id_is_refused(self, value):
        with requests_mock.Mocker() as m:
            self.assertRaises(exceptions.MrsError,
                              mrs_client(HOST).route().cancel, value)
            self.assertFalse(m.called)


class TestCancel(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # Retries of failed connections back off without sleeping here.
        self.useFixture(fixtures.MockPatch('keystoneauth1.session.time.sleep'))
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.client = mrs_client(f'{HOST}/v1.1/{PID}')
        # After a refused or lost cancel the job's state is read: here it
        # is still running (from the job-exe, as info is null).
        self.mock.get(f'{HOST}/v1.1/{PID}/job-executions/{JEID}',
                      json=fakes.CANCEL_EXAMPLE)
        self.mock.get(f'{HOST}/v1.1/{PID}/job-exes/{JEID}',
                      json={'job_execution': {'job_state': 2}})

    def cancel(self):
        return self.client.route().cancel(JEID)

    def error(self, **answer):
        """The library's line: it names no command-line option."""
        self.mock.get(CANCEL_URL, **answer)
        line = str(self.assertRaises(exceptions.MrsError, self.cancel))
        self.assertNotIn('--', line)
        return line

    def operator_line(self, **answer):
        """The line the command prints for the same error."""
        self.mock.get(CANCEL_URL, **answer)
        return errors.line(self.assertRaises(exceptions.MrsError,
                                             self.cancel))

    def test_sends_token_and_asks_for_json(self):
        self.mock.get(CANCEL_URL, json=fakes.CANCEL_EXAMPLE)
        self.cancel()
        headers = self.mock.last_request.headers
        self.assertEqual(fakes.TOKEN, headers['X-Auth-Token'])
        self.assertEqual('application/json', headers['Accept'])
        self.assertEqual('GET', self.mock.last_request.method)

    def test_info_may_be_an_object_or_a_string(self):
        for info in ({'status': 'RUNNING'}, 'KILLED', None):
            self.mock.get(CANCEL_URL, json=fakes.cancel_example(info=info))
            self.assertEqual(info, self.cancel()['info'])

    def test_mrs_error_body(self):
        line = self.error(status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'},
            headers={'X-Request-Id': 'req-42'})
        self.assertEqual(
            f'Failed to cancel job execution {JEID}: HTTP 500 0176: The job '
            'does not exist. No such job in this project: check the id, and '
            'that the cloud, project and region are the ones the job runs '
            'in. (Request-ID: req-42)', line)

    def test_kill_failed_codes_say_what_to_do(self):
        for code in ('0160', '0175', '0200'):
            line = self.error(status_code=500, json={
                'error_code': code, 'error_msg': 'Failed to kill the job.'})
            self.assertIn(f'HTTP 500 {code}: Failed to kill the job.', line)
            self.assertIn('MRS could not kill the job, which is RUNNING: '
                          'retry the cancel.', line)

    def test_a_job_of_a_v2_only_cluster_is_killed_there(self):
        cluster = 'ef7b54f2-3d92-49b2-a6d7-94607e1ea7df'
        self.mock.get(f'{HOST}/v1.1/{PID}/job-executions/{JEID}',
                      json=fakes.cancel_example(
                          cluster_id=cluster, info={'status': 'RUNNING'}))
        self.mock.get(CANCEL_URL, status_code=400, json={
            'error_code': '12000085',
            'error_msg': 'This interface does not support the cluster of '
                         'this version.'})
        kill = self.mock.post(f'{HOST}/v2/{PID}/clusters/{cluster}/'
                              f'job-executions/{JEID}/kill', status_code=202)
        job = self.cancel()
        self.assertTrue(kill.called_once)
        # The V1.1 record, as the show before the kill read it.
        self.assertEqual((JEID, 'RUNNING'), (job['id'], job['status']))
        self.assertEqual(3, self.mock.call_count)  # cancel, show, kill

    def test_v2_only_cluster_when_even_show_fails(self):
        self.mock.get(f'{HOST}/v1.1/{PID}/job-executions/{JEID}',
                      status_code=400, json={'error_code': '12000085'})
        line = self.operator_line(status_code=400,
                                  json={'error_code': '12000085'})
        self.assertIn('add --cluster <cluster-id> to the command.', line)
        self.assertEqual(1, len(line.splitlines()))

    def test_sahara_error_body_is_one_line(self):
        body = {'error_code': 404, 'error_name': 'NOT_FOUND',
                'error_message': f'JobExecution id \'{JEID}\' not found\n'
                                 'Error ID: 7f3e'}
        line = self.error(status_code=404, json=body,
                          headers={'X-Openstack-Request-Id': 'req-sahara'})
        self.assertEqual(
            f'Failed to cancel job execution {JEID}: HTTP 404 NOT_FOUND: '
            f'JobExecution id \'{JEID}\' not found Error ID: 7f3e. '
            '(Request-ID: req-sahara)', line)

    def test_sahara_protected_execution(self):
        line = self.error(status_code=400, json={
            'error_code': 400, 'error_name': 'CANCELING_FAILED',
            'error_message': 'Job execution is protected'})
        self.assertIn('HTTP 400 CANCELING_FAILED: Job execution is protected',
                      line)

    def test_route_error_body(self):
        line = self.error(status_code=405, json={
            'error': 405, 'error_message': 'Method not allowed'})
        self.assertIn('HTTP 405: Method not allowed.', line)

    def test_keystone_style_error_body(self):
        line = self.error(status_code=401, json={'error': {
            'code': 401, 'title': 'Unauthorized',
            'message': 'The request you have made requires authentication.'}})
        self.assertIn('HTTP 401: The request you have made', line)

    def test_html_page_from_a_proxy(self):
        page = ('<html><head><title>502 Bad Gateway</title>'
                '<style>body {color: red}</style></head>\n<body>\n'
                '<center><h1>502 Bad Gateway</h1></center>\n'
                '<hr><center>nginx</center>\n</body></html>\n')
        line = self.error(status_code=502, text=page)
        self.assertEqual(
            f'Failed to cancel job execution {JEID}: HTTP 502: 502 Bad '
            'Gateway nginx.', line)
        self.assertNotIn('\n', line)

    def test_empty_error_body_uses_the_reason(self):
        line = self.error(status_code=503, reason='Service Unavailable')
        self.assertIn('HTTP 503: Service Unavailable.', line)

    def test_long_error_text_is_cut(self):
        line = self.error(status_code=500, text='x' * 5000)
        self.assertLess(len(line), 400)

    def test_ok_answer_without_a_job_execution(self):
        for answer in ({'json': {'cluster': {}}}, {'json': []},
                       {'json': {'job_execution': 'x'}}, {'text': ''}):
            line = self.error(status_code=200, **answer)
            self.assertIn('has no "job_execution" object', line)

    def test_ok_answer_that_is_not_json(self):
        line = self.error(status_code=200, text='<html>login</html>')
        self.assertIn('HTTP 200 from ', line)
        self.assertIn('is not JSON', line)

    @staticmethod
    def _failure(kind, cause):
        """A keystoneauth error raised over ``cause``, as keystoneauth does."""
        try:
            try:
                raise cause
            except Exception:
                raise kind('Unable to establish connection')
        except Exception as exc:
            return exc

    def test_connection_failures_say_what_happened(self):
        import http.client
        cases = (
            (ConnectionRefusedError(111, 'Connection refused'),
             f'The MRS endpoint {CANCEL_URL} refused the connection (1 '
             'try).'),
            (ConnectionResetError(104, 'Connection reset by peer'),
             f'The connection to {CANCEL_URL} was reset before an answer '
             'came (1 try).'),
            (http.client.RemoteDisconnected('closed'),
             f'The connection to {CANCEL_URL} was reset before an answer '
             'came (1 try).'),
        )
        for cause, expected in cases:
            line = self.error(exc=self._failure(
                ks_exceptions.ConnectFailure, cause))
            self.assertEqual(
                f'Failed to cancel job execution {JEID}: {expected}', line)

    def test_an_unknown_connection_failure_says_why(self):
        for exc in (ks_exceptions.ConnectFailure('no such host'),
                    ks_exceptions.UnknownConnectionError('odd', None)):
            line = self.error(exc=exc)
            self.assertIn(f'Failed to cancel job execution {JEID}: Cannot '
                          f'connect to the MRS endpoint {CANCEL_URL}: ', line)

    def test_timeout(self):
        line = self.error(exc=ks_exceptions.ConnectTimeout('slow'))
        self.assertEqual(
            f'Failed to cancel job execution {JEID}: No answer from '
            f'{CANCEL_URL} in 0 s (1 try of 30 s).', line)

    def test_tls_error(self):
        line = self.error(exc=ks_exceptions.SSLError('bad certificate'))
        self.assertIn('TLS error with', line)
        self.assertIn('--os-cacert', self.operator_line(
            exc=ks_exceptions.SSLError('bad certificate')))

    def test_token_echoed_by_the_server_is_masked(self):
        line = self.error(status_code=401,
                          text=f'Invalid token {fakes.TOKEN} for project')
        self.assertNotIn(fakes.TOKEN, line)
        self.assertIn('Invalid token *** for project', line)
        # Not even a part of it, where the text is cut.
        line = self.error(status_code=500, json={
            'error_code': '0001',
            'error_msg': 'x' * 280 + fakes.TOKEN})
        self.assertNotIn(fakes.TOKEN[:10], line)
