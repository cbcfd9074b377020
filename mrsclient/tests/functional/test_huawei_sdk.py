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

"""Huawei's own SDK, unchanged but for the endpoint and the keys, against
mrs-simulator: it signs every request with an access key and a secret
key (SDK-HMAC-SHA256), and sees the same state as ``openstack``."""

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions as sdk_exceptions
from huaweicloudsdkmrs.v2 import model
from huaweicloudsdkmrs.v2 import MrsClient

from mrsclient.tests.functional import test_simulator


class SdkTestCase(test_simulator.SimulatorTestCase):

    cloud = 'mrs-simulator-other'
    user = 'other'

    def setUp(self):
        super().setUp()
        simulator = test_simulator.base.servers()['simulator']
        self.endpoint = simulator['endpoint']
        self.keys = simulator['access_keys'][self.user]
        self.project = self.projects[self.user]
        self.sdk = self.client(self.keys['sk'])
        self.cluster_id = self.clusters['v2_other']

    def client(self, secret_key):
        credentials = BasicCredentials(self.keys['ak'], secret_key,
                                       self.project)
        return MrsClient.new_builder().with_credentials(
            credentials).with_endpoints([self.endpoint]).build()


class TestHuaweiSdk(SdkTestCase):

    def test_submit_show_list_kill_delete_through_the_sdk(self):
        submitted = self.sdk.create_execute_job(
            model.CreateExecuteJobRequest(
                cluster_id=self.cluster_id, body=model.JobExecution(
                    job_type='SparkSubmit', job_name='sdk-pi',
                    arguments=['--class', 'org.example.Pi', 'obs://b/p.jar'],
                    properties={'mrs.simulator.duration': '60'})))
        job = submitted.job_submit_result.job_id
        self.assertEqual('COMPLETE', submitted.job_submit_result.state)
        # The job the SDK submitted is the one openstack shows.
        shown = self.mrs('show', '--cluster', self.cluster_id, job, '-f',
                         'json')
        self.assertSucceeded(shown)
        self.assertEqual(('sdk-pi', 'RUNNING'),
                         (shown.json()['name'],
                          shown.json()['state']))
        listed = self.sdk.show_job_exe_list_new(
            model.ShowJobExeListNewRequest(cluster_id=self.cluster_id,
                                           job_name='sdk-pi'))
        self.assertEqual([job], [j.job_id for j in listed.job_list])
        detail = self.sdk.show_single_job_exe(model.ShowSingleJobExeRequest(
            cluster_id=self.cluster_id, job_execution_id=job)).job_detail
        self.assertEqual(('SparkSubmit', 'RUNNING'),
                         (detail.job_type, detail.job_state))
        self.sdk.stop_job(model.StopJobRequest(
            cluster_id=self.cluster_id, job_execution_id=job))
        waited = self.mrs('wait', '--cluster', self.cluster_id, job,
                          '--poll-interval', '0.3', '-f', 'value', '-c',
                          'state')
        # Killed: openstack's wait sees the SDK's kill, and says so.
        self.assertEqual(1, waited.code, waited)
        self.assertEqual('KILLED\n', waited.out)
        self.sdk.batch_delete_jobs(model.BatchDeleteJobsRequest(
            cluster_id=self.cluster_id,
            body=model.JobBatchDelete(job_id_list=[job])))
        self.assertOneLineError(
            self.mrs('show', '--cluster', self.cluster_id, job),
            'HTTP 500 0201')

    def test_what_openstack_submits_the_sdk_sees_with_its_sql_result(self):
        created = self.mrs('create', '--cluster', self.cluster_id, '--type',
                           'SparkSql', '--name', 'sdk-sql', '--arg',
                           'show tables; select * from t', '--wait',
                           '--poll-interval', '0.3', '-f', 'value', '-c',
                           'id')
        self.assertEqual(0, created.code, created)
        job = created.out.strip()
        result = self.sdk.show_sql_result_with_job(
            model.ShowSqlResultWithJobRequest(
                cluster_id=self.cluster_id, job_execution_id=job))
        self.assertEqual({'0': [], '1': [{'name': 'a', 'id': '1'},
                                         {'name': 'b', 'id': '2'}]},
                         result.sql_results)

    def test_an_unknown_job_is_the_sdks_own_error(self):
        # MRS answers 500: the SDK's error for a server's answer.
        e = self.assertRaises(
            sdk_exceptions.ServerResponseException,
            self.sdk.show_single_job_exe, model.ShowSingleJobExeRequest(
                cluster_id=self.cluster_id,
                job_execution_id='5e7a2fbd-0000-4000-8000-000000000000'))
        self.assertEqual(('0201', 500), (e.error_code, e.status_code))

    def test_a_wrong_secret_key_is_refused_401(self):
        e = self.assertRaises(
            sdk_exceptions.ClientRequestException,
            self.client('not-the-secret-key').show_job_exe_list_new,
            model.ShowJobExeListNewRequest(cluster_id=self.cluster_id))
        self.assertEqual((401, 'APIGW.0301'), (e.status_code, e.error_code))
