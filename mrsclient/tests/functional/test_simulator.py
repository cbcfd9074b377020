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

"""``openstack mrs job execution cancel`` against mrs-simulator.

The simulator answers with MRS's own error bodies and codes, which Sahara
does not have; its clouds.yaml entries log in through its small Keystone.
"""

from mrsclient.tests.functional import base
from mrsclient.tests.unit import fakes


class TestCancelOnSimulator(base.CLITestCase):

    def setUp(self):
        super().setUp()
        servers = base.servers()
        self.env = {'OS_CLIENT_CONFIG_FILE': servers['clouds_yaml']}
        self.ids = servers['simulator']['job_executions']
        self.projects = servers['simulator']['projects']

    def cancel(self, job_execution, *extra):
        return self.openstack('--os-cloud', 'mrs-simulator', 'mrs', 'job',
                              'execution', 'cancel', job_execution, *extra)

    def test_cancel_then_cancel_again(self):
        running = self.ids['running'][0]
        result = self.cancel(running)
        self.assertSucceeded(result)
        for field in fakes.CANCEL_EXAMPLE['job_execution']:
            self.assertIn(f'| {field} ', result.out)
        self.assertIn("status='RUNNING'", result.out)
        # It is KILLED now, so a second cancel cannot kill it.
        self.assertOneLineError(
            self.cancel(running),
            f'Failed to cancel job execution {running}: HTTP 500 0160: '
            'Failed to kill the job. MRS could not kill the job')

    def test_cancel_finished_execution(self):
        self.assertOneLineError(self.cancel(self.ids['succeeded'][0]),
                                'HTTP 500 0160: ')

    def test_v2_only_cluster(self):
        self.assertOneLineError(self.cancel(self.ids['v2_only'][0]),
                                'HTTP 400 12000085: ', 'V2 API')

    def test_unknown_and_foreign_ids(self):
        for job_execution in ('no-such-job', self.ids['other_project'][0]):
            self.assertOneLineError(
                self.cancel(job_execution),
                'HTTP 500 0176: The job does not exist. No such job in '
                'this project')

    def test_json_output(self):
        result = self.cancel(self.ids['running'][1], '-f', 'json')
        self.assertSucceeded(result)
        shown = result.json()
        self.assertEqual(sorted(fakes.CANCEL_EXAMPLE['job_execution']),
                         sorted(shown))
        self.assertEqual(self.projects['demo'], shown['tenant_id'])
        self.assertEqual(['obs://demo/in', 'obs://demo/out'],
                         shown['job_configs']['args'])
