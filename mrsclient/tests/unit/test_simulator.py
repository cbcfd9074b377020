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

"""mrs-simulator's rules, through the plugin's own client over real HTTP."""

import json
import os
import threading

import fixtures
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
from osc_lib import exceptions
import testtools

from mrsclient.api import client
from mrsclient import simulator


class TestSimulator(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.sim = simulator.Simulator()
        threading.Thread(target=self.sim.serve_forever, daemon=True).start()
        self.addCleanup(self.sim.server_close)
        self.addCleanup(self.sim.shutdown)
        self.ids = self.sim.state.inventory(self.sim.url)['job_executions']

    def session(self, user='demo', password=simulator.DEFAULT_PASSWORD):
        return ks_session.Session(auth=v3.Password(
            auth_url=self.sim.url + '/v3', username=user, password=password,
            project_name=user, user_domain_name='Default',
            project_domain_name='Default'))

    def mrs(self, user='demo'):
        s = self.session(user)
        endpoint = s.get_endpoint(service_type='mrs', interface='public')
        return client.MrsClient(s, endpoint)

    def test_login_puts_mrs_in_the_catalog(self):
        s = self.session()
        project = self.sim.state.projects['demo']
        self.assertEqual(f'{self.sim.url}/v1.1/{project}',
                         s.get_endpoint(service_type='mrs',
                                        interface='public'))
        self.assertEqual(project, s.get_project_id())

    def test_wrong_password(self):
        self.assertRaises(ks_exceptions.Unauthorized,
                          self.session(password='nope').get_token)

    def test_cancel_kills_once(self):
        mrs = self.mrs()
        running = self.ids['running'][0]
        before = mrs.cancel_job_execution(running)
        self.assertEqual({'status': 'RUNNING'}, before['info'])
        self.assertIsNone(before['end_time'])
        after = mrs.get_object(
            mrs.url('v1.1', 'job-executions', (running, 'id')),
            'job_execution')
        self.assertEqual({'status': 'KILLED'}, after['info'])
        self.assertIsNotNone(after['end_time'])
        e = self.assertRaises(exceptions.CommandError,
                              mrs.cancel_job_execution, running)
        self.assertIn('HTTP 500 0160', str(e))

    def test_error_rules(self):
        mrs = self.mrs()
        for job_execution, expected in [
                (self.ids['succeeded'][0], 'HTTP 500 0160'),
                (self.ids['killed'][0], 'HTTP 500 0160'),
                (self.ids['v2_only'][0], 'HTTP 400 12000085'),
                (self.ids['other_project'][0], 'HTTP 500 0176'),
                ('no-such-id', 'HTTP 500 0176')]:
            e = self.assertRaises(exceptions.CommandError,
                                  mrs.cancel_job_execution, job_execution)
            self.assertIn(expected, str(e))

    def test_list_and_delete(self):
        mrs = self.mrs()
        url = mrs.url('v1.1', 'job-executions')
        listed = mrs.call('GET', url)['job_executions']
        self.assertEqual(5, len(listed))
        self.assertEqual({mrs.project_id}, {e['tenant_id'] for e in listed})
        victim = self.ids['killed'][0]
        self.assertIsNone(mrs.call('DELETE', f'{url}/{victim}'))
        e = self.assertRaises(exceptions.CommandError, mrs.call, 'DELETE',
                              f'{url}/{victim}')
        self.assertIn('HTTP 500 0176', str(e))

    def test_token_rules(self):
        other = self.sim.state.projects['other']
        demo = self.session()
        url = f'{self.sim.url}/v1.1/{other}/job-executions'
        response = demo.get(url, raise_exc=False)
        self.assertEqual(400, response.status_code)
        self.assertEqual('12000107', response.json()['error_code'])
        response = ks_session.Session().get(
            url, headers={'X-Auth-Token': 'forged'}, raise_exc=False)
        self.assertEqual(500, response.status_code)
        self.assertEqual('130000002', response.json()['error_code'])

    def test_unknown_routes(self):
        s = ks_session.Session()
        for path in ('/v3/projects', '/v2/x/clusters', '/v1.1/p/clusters'):
            response = s.get(self.sim.url + path, raise_exc=False)
            self.assertEqual(404, response.status_code, path)

    def test_clouds_yaml_logs_in(self):
        clouds = json.loads(self.sim.clouds_yaml())['clouds']
        self.assertEqual({'mrs-simulator', 'mrs-simulator-other'},
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

        def serve_forever(server):
            served.append(server)
            raise KeyboardInterrupt

        self.useFixture(fixtures.MockPatchObject(
            simulator.Simulator, 'serve_forever', serve_forever))
        self.useFixture(fixtures.MockPatch('sys.stdout'))
        self.assertEqual(0, simulator.main(
            ['--latency', '0.01', '--clouds-yaml', clouds,
             '--inventory', inventory]))
        (server,) = served
        self.assertEqual(0.01, server.latency)
        with open(inventory) as f:
            self.assertEqual(server.url + '/v3', json.load(f)['auth_url'])
        with open(clouds) as f:
            self.assertIn('mrs-simulator', json.load(f)['clouds'])
