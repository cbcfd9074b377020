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

"""The "Use from Python" example, run as written against mrs-simulator.

A plain keystoneauth session and mrsclient.api, no OpenStackClient.
"""

import json
import os
import subprocess
import sys

from mrsclient.tests.functional import base

EXAMPLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'doc',
                        'source', 'examples')
EXAMPLE = os.path.join(EXAMPLES, 'cancel_running_jobs.py')
SUBMIT = os.path.join(EXAMPLES, 'submit_wait_result.py')


class TestUseFromPython(base.StartedSimulator):
    """The first example, on a simulator of its own.

    It cancels every running job of a cluster: on the shared simulator,
    another test's too (the Huawei SDK test's job was killed so).
    """

    def test_the_example_cancels_every_running_job_of_a_cluster(self):
        sim = self.sim
        submitted = self.mrs(
            'create', '--cluster', self.clusters['v2_other'], '--type',
            'MapReduce', '--name', 'library', '--property',
            'mrs.simulator.duration=600', '-f', 'value', '-c', 'id',
            cloud='mrs-simulator-other')
        self.assertEqual(0, submitted.code, submitted)
        job = submitted.out.strip()
        env = self.clean_env({
            'OS_AUTH_URL': sim['auth_url'], 'OS_USERNAME': 'other',
            'OS_PASSWORD': sim['password'], 'OS_PROJECT_NAME': 'other',
            'MRS_ENDPOINT_OVERRIDE': sim['endpoint']})
        ran = subprocess.run([sys.executable, EXAMPLE,
                              self.clusters['v2_other']], env=env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(0, ran.returncode, ran.stderr)
        self.assertIn(f'{job} (library): kill sent', ran.stdout)
        # The kill takes effect: wait exits 1 (not ended well), KILLED.
        waited = self.mrs('wait', '--cluster', self.clusters['v2_other'],
                          job, '--poll-interval', '0.3', '-f', 'value', '-c',
                          'state', cloud='mrs-simulator-other')
        self.assertEqual('KILLED', waited.out.strip(), waited)


class TestSubmitWaitResult(base.StartedSimulator):
    """The second example, on a simulator of its own (it adds jobs)."""

    def submit_wait_result(self, env):
        ran = subprocess.run(
            [sys.executable, SUBMIT, self.clusters['v2'],
             'select a, b from t; show tables'],
            env=self.clean_env(env), capture_output=True, text=True,
            timeout=120)
        self.assertEqual(0, ran.returncode, ran.stderr)
        lines = ran.stdout.splitlines()
        self.assertTrue(lines[0].endswith(': submitted'), ran.stdout)
        self.assertIn("0: {'a': 'a1', 'b': 'b1'}", lines)
        self.assertIn("0: {'a': 'a2', 'b': 'b2'}", lines)
        self.assertTrue(any(line.endswith(': FINISHED') for line in lines),
                        ran.stdout)
        return lines

    def clouds(self):
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            return json.load(f)['clouds']

    def test_submit_wait_result_with_a_password_and_the_catalog(self):
        cloud = self.clouds()['mrs-simulator']
        self.submit_wait_result({
            'OS_AUTH_URL': cloud['auth']['auth_url'],
            'OS_USERNAME': cloud['auth']['username'],
            'OS_PASSWORD': cloud['auth']['password'],
            'OS_PROJECT_NAME': cloud['auth']['project_name'],
            'OS_REGION_NAME': cloud['region_name']})

    def test_submit_wait_result_with_access_keys(self):
        cloud = self.clouds()['mrs-simulator-aksk-region']
        self.submit_wait_result({
            'OS_AUTH_URL': cloud['auth']['auth_url'],
            'OS_ACCESS_KEY': cloud['auth']['access_key'],
            'OS_SECRET_KEY': cloud['auth']['secret_key'],
            'OS_REGION_NAME': cloud['region_name'],
            'MRS_ENDPOINT_OVERRIDE': cloud['mrs_endpoint_override']})
