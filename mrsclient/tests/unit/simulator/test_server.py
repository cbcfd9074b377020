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

"""mrs-simulator over real loopback HTTP, with paths written from the
API reference (not the plugin's client: the two must be able to
disagree)."""

import io
import json
import os
import threading

import fixtures
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import testtools

from mrsclient.simulator import cli
from mrsclient.simulator import server
from mrsclient.simulator import state as st


class TestSimulator(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.sim = server.Simulator(kill_delay=0)
        threading.Thread(target=self.sim.serve_forever, args=(0.05,),
                         daemon=True).start()
        self.addCleanup(self.sim.server_close)
        self.addCleanup(self.sim.shutdown)
        inventory = self.sim.state.inventory(self.sim.url)
        self.ids = inventory['job_executions']
        self.jobs = inventory['jobs']
        self.clusters = inventory['clusters']
        self.demo = self.sim.state.projects['demo']

    def session(self, user='demo', password=st.DEFAULT_PASSWORD):
        return ks_session.Session(auth=v3.Password(
            auth_url=self.sim.url + '/v3', username=user, password=password,
            project_name=user, user_domain_name='Default',
            project_domain_name='Default'))

    def call(self, method, path, session=None):
        """(status, decoded body or None) of ``/<path>`` as demo."""
        response = (session or self.session()).request(
            f'{self.sim.url}/{path}', method, raise_exc=False)
        return response.status_code, (response.json() if response.content
                                      else None)

    def v11(self, method, path):
        return self.call(method, f'v1.1/{self.demo}/{path}')

    def v2(self, method, path, cluster=None):
        cluster = cluster or self.clusters['v2']
        return self.call(method, f'v2/{self.demo}/clusters/{cluster}/'
                                 f'job-executions{path}')

    def test_login_puts_mrs_in_the_catalog(self):
        s = self.session()
        self.assertEqual(f'{self.sim.url}/v1.1/{self.demo}',
                         s.get_endpoint(service_type='mrs',
                                        interface='public'))
        self.assertEqual(self.demo, s.get_project_id())

    def test_wrong_password(self):
        self.assertRaises(ks_exceptions.Unauthorized,
                          self.session(password='nope').get_token)

    def test_v11_cancel_kills(self):
        running = self.ids['running'][0]
        status, body = self.v11('GET', f'job-executions/{running}/cancel')
        self.assertEqual(200, status)
        self.assertEqual({'status': 'RUNNING'},
                         body['job_execution']['info'])
        self.assertIsNone(body['job_execution']['end_time'])
        status, body = self.v11('GET', f'job-executions/{running}')
        self.assertEqual({'status': 'KILLED'}, body['job_execution']['info'])
        self.assertIsNotNone(body['job_execution']['end_time'])
        self.assertEqual(
            (500, {'error_code': '0160', 'error_msg':
                   'Failed to kill the job.'}),
            self.v11('GET', f'job-executions/{running}/cancel'))

    def test_v11_error_rules(self):
        for job_execution, status, code in [
                (self.ids['succeeded'][0], 500, '0160'),
                (self.ids['killed'][0], 500, '0160'),
                (self.ids['v2_only'][0], 400, '12000085'),
                (self.ids['other_project'][0], 500, '0176'),
                ('no-such-id', 500, '0176')]:
            got_status, body = self.v11(
                'GET', f'job-executions/{job_execution}/cancel')
            self.assertEqual((status, code),
                             (got_status, body['error_code']), job_execution)

    def test_v11_list_pages_by_marker(self):
        status, body = self.v11('GET', 'job-executions?limit=100')
        everything = [e['id'] for e in body['job_executions']]
        self.assertEqual(22, len(everything))
        self.assertEqual({self.demo}, {e['tenant_id']
                                       for e in body['job_executions']})
        self.assertIsNone(body['markers']['next'])
        # Without a limit, a page of 10, and the marker of the next.
        status, body = self.v11('GET', 'job-executions')
        self.assertEqual(everything[:10],
                         [e['id'] for e in body['job_executions']])
        self.assertEqual(everything[9], body['markers']['next'])
        walked, marker = [], ''
        while True:
            status, body = self.v11(
                'GET', f'job-executions?limit=4&sort_by=-id{marker}')
            walked += [e['id'] for e in body['job_executions']]
            if not body['markers']['next']:
                break
            marker = f'&marker={body["markers"]["next"]}'
        self.assertEqual(sorted(everything, reverse=True), walked)

    def test_v11_delete(self):
        victim = self.ids['killed'][0]
        self.assertEqual((204, None),
                         self.v11('DELETE', f'job-executions/{victim}'))
        self.assertEqual(500, self.v11('DELETE',
                                       f'job-executions/{victim}')[0])

    def test_v2_list_filters_and_pages(self):
        status, body = self.v2('GET', '')
        self.assertEqual(202, status)
        self.assertEqual(12, body['total_record'])
        self.assertEqual(10, len(body['job_list']))  # a page of 10
        submitted = [job['submitted_time'] for job in body['job_list']]
        self.assertEqual(sorted(submitted, reverse=True), submitted)
        status, body = self.v2('GET', '?job_state=RUNNING&limit=2&offset=3'
                                      '&sort_by=asc')
        self.assertEqual(8, body['total_record'])
        self.assertEqual(2, len(body['job_list']))
        status, body = self.v2(
            'GET', f'?submitted_time_begin={submitted[1]}'
                   f'&submitted_time_end={submitted[1]}')
        self.assertEqual([submitted[1]], [job['submitted_time']
                                          for job in body['job_list']])

    def test_v2_show_and_kill(self):
        job = self.jobs['running'][1]
        status, body = self.v2('GET', f'/{job}')
        self.assertEqual(202, status)
        detail = body['job_detail']
        self.assertEqual(('RUNNING', 'UNDEFINED'),
                         (detail['job_state'], detail['job_result']))
        # The api-ref's example sends these as strings.
        self.assertIsInstance(detail['arguments'], str)
        self.assertEqual('{}', detail['properties'])
        self.assertEqual((202, None), self.v2('POST', f'/{job}/kill'))
        status, body = self.v2('GET', f'/{job}')
        self.assertEqual('KILLED', body['job_detail']['job_state'])
        self.assertEqual(500, self.v2('POST', f'/{job}/kill')[0])

    def test_v2_batch_delete_is_all_or_nothing(self):
        other = ks_session.Session(auth=v3.Password(
            auth_url=self.sim.url + '/v3', username='other',
            password=st.DEFAULT_PASSWORD, project_name='other',
            user_domain_name='Default', project_domain_name='Default'))
        project = self.sim.state.projects['other']
        url = (f'{self.sim.url}/v2/{project}/clusters/'
               f'{self.clusters["v2_other"]}/job-executions/batch-delete')
        a, b = self.jobs['scratch'][:2]
        response = other.post(url, json={'job_id_list': [a, 'nope', b]},
                              raise_exc=False)
        self.assertEqual((500, '0161'), (response.status_code,
                                         response.json()['error_code']))
        self.assertIn(a, self.sim.state.jobs)
        response = other.post(url, json={'job_id_list': [a, b]},
                              raise_exc=False)
        self.assertEqual(200, response.status_code)
        self.assertNotIn(a, self.sim.state.jobs)
        self.assertNotIn(b, self.sim.state.jobs)
        response = other.post(url, json={'job_id_list': []},
                              raise_exc=False)
        self.assertEqual('0178', response.json()['error_code'])

    def test_v2_error_rules(self):
        job = self.jobs['running'][1]
        for cluster, path, status, code in [
                (self.clusters['v2'], '/nope', 500, '0201'),
                (self.clusters['v1'], f'/{job}', 500, '0167'),
                ('nope', f'/{job}', 400, '12000003'),
                (self.clusters['v1_other'], '', 400, '12000003')]:
            got_status, body = self.v2('GET', path, cluster)
            self.assertEqual((status, code), (got_status, body['error_code']))

    def test_token_rules(self):
        other = self.sim.state.projects['other']
        status, body = self.call('GET', f'v1.1/{other}/job-executions')
        self.assertEqual((400, '12000107'), (status, body['error_code']))
        status, body = self.call(
            'GET', f'v2/{self.demo}/clusters/x/job-executions',
            session=ks_session.Session())
        self.assertEqual((500, '130000002'), (status, body['error_code']))

    def test_unknown_routes(self):
        s = ks_session.Session()
        for path in ('/v3/users', '/v2/x/clusters', '/v1.1/p/clusters',
                     '/v1.1/p/clusters/x/job-executions'):
            response = s.get(self.sim.url + path, raise_exc=False)
            self.assertEqual(404, response.status_code, path)

    def test_clouds_yaml_logs_in(self):
        clouds = json.loads(self.sim.clouds_yaml())['clouds']
        self.assertEqual({'mrs-simulator', 'mrs-simulator-other',
                          'mrs-simulator-fragile', 'mrs-simulator-aksk',
                          'mrs-simulator-aksk-region',
                          'mrs-simulator-temporary', 'mrs-simulator-agency'},
                         set(clouds))
        auth = clouds['mrs-simulator-other']['auth']
        s = ks_session.Session(auth=v3.Password(**auth))
        self.assertEqual(self.sim.state.projects['other'],
                         s.get_project_id())


class TestSimulatorMain(testtools.TestCase):

    def test_writes_clouds_yaml_and_inventory(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        clouds = os.path.join(tmp, 'clouds.yaml')
        inventory = os.path.join(tmp, 'inventory.json')
        served = []

        def serve_forever(simulator):
            served.append(simulator)
            raise KeyboardInterrupt

        self.useFixture(fixtures.MockPatchObject(
            server.Simulator, 'serve_forever', serve_forever))
        self.useFixture(fixtures.MockPatch('sys.stdout'))
        self.assertEqual(0, cli.main(
            ['--latency', '0.01', '--kill-delay', '0.5', '--extra-jobs', '3',
             '--clouds-yaml', clouds, '--inventory', inventory]))
        (simulator,) = served
        self.assertEqual(0.01, simulator.latency)
        self.assertEqual(0.5, simulator.state.kill_delay)
        with open(inventory) as f:
            written = json.load(f)
        self.assertEqual(simulator.url + '/v3', written['auth_url'])
        self.assertEqual(3, len(written['job_executions']['extra']))
        with open(clouds) as f:
            self.assertIn('mrs-simulator', json.load(f)['clouds'])
        # The owner's alone: they hold passwords and keys.
        for path in (clouds, inventory):
            self.assertEqual(0o600, os.stat(path).st_mode & 0o777)
        # Its own file it writes again.
        self.assertEqual(0, cli.main(['--clouds-yaml', clouds]))

    def test_an_operators_clouds_yaml_is_kept(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        clouds = os.path.join(tmp, 'clouds.yaml')
        mine = 'clouds:\n  otc:\n    auth: {password: mine}\n'
        with open(clouds, 'w') as f:
            f.write(mine)
        stderr = self.useFixture(fixtures.MockPatch(
            'sys.stderr', new_callable=io.StringIO)).mock
        e = self.assertRaises(SystemExit, cli.main, ['--clouds-yaml', clouds])
        self.assertEqual(2, e.code)
        self.assertIn('exists and was not written by mrs-simulator: it is '
                      'kept as it is', stderr.getvalue())
        with open(clouds) as f:
            self.assertEqual(mine, f.read())


class TestSignedRequests(testtools.TestCase):
    """SDK-HMAC-SHA256 as the simulator checks it.

    The request's bytes, its date and the secret key must all agree.
    """

    def setUp(self):
        super().setUp()
        self.sim = server.Simulator()
        threading.Thread(target=self.sim.serve_forever, args=(0.05,),
                         daemon=True).start()
        self.addCleanup(self.sim.server_close)
        self.addCleanup(self.sim.shutdown)
        self.demo = self.sim.state.projects['demo']
        self.cluster = self.sim.state.inventory(self.sim.url)['clusters'][
            'v2']

    def send(self, body=b'', secret_key=None, date=None, tamper=None):
        import datetime
        import http.client
        import urllib.parse

        from mrsclient.simulator import signing

        ak, sk = st.ACCESS_KEYS['demo']
        host = urllib.parse.urlsplit(self.sim.url).netloc
        path = (f'/v2/{self.demo}/clusters/{self.cluster}/job-executions'
                '?limit=2&job_state=RUNNING')
        date = date or datetime.datetime.now(
            datetime.timezone.utc).strftime(signing.DATE_FORMAT)
        headers = {'host': host, 'content-type': 'application/json',
                   'x-sdk-date': date}
        signed = sorted(headers)
        canonical = signing.canonical_request(
            'GET', path, headers, signed, body)
        sign = signing.signature(secret_key or sk, date, canonical)
        headers['Authorization'] = (
            f'SDK-HMAC-SHA256 Access={ak}, SignedHeaders={";".join(signed)}'
            f', Signature={sign}')
        connection = http.client.HTTPConnection(host)
        connection.request('GET', path, body=tamper or body, headers=headers)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b'null')

    def test_a_signed_request_is_answered(self):
        status, body = self.send()
        self.assertEqual(202, status)
        self.assertEqual(2, len(body['job_list']))

    def test_a_wrong_key_a_changed_body_or_a_stale_date_is_401(self):
        for kwargs, why in (
                ({'secret_key': 'wrong'}, 'verify aksk signature fail'),
                ({'body': b'{}', 'tamper': b'{"x": 1}'},
                 'verify aksk signature fail'),
                ({'date': '20200101T000000Z'}, 'the request has expired')):
            status, body = self.send(**kwargs)
            self.assertEqual(401, status)
            self.assertEqual('APIGW.0301', body['error_code'])
            self.assertIn(why, body['error_msg'])
