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

"""Each job is sent where it lives: 0167 to V1.1, 12000085 to V2."""

from mrsclient.api import exceptions
from mrsclient.tests.unit.api import test_job_executions as base
from mrsclient.tests.unit import fakes

V11, V2 = base.V11, base.V2
OLD = {'status_code': 500, 'json': {
    'error_code': '0167', 'error_msg': 'The v2 job API cannot be accessed.'}}
V2_ONLY = {'status_code': 400, 'json': {
    'error_code': '12000085',
    'error_msg': 'This interface does not support the cluster of this '
                 'version.'}}


class TestOldCluster(base.Base):
    """--cluster of a cluster before MRS 1.9.2: its jobs go to V1.1."""

    def test_show_is_one_request_more_then_none(self):
        self.mock.get(f'{V2}/x', **OLD)
        self.mock.get(f'{V2}/y', **OLD)
        for key in ('x', 'y'):
            self.mock.get(f'{V11}/{key}', json=fakes.cancel_example(
                id=key, info={'status': 'RUNNING'}))
        api = self.client.route(fakes.CLUSTER_ID)
        with self.assertLogs('mrsclient.api.jobs.routing', 'INFO') as logs:
            self.assertEqual('x', api.show('x')['id'])
        self.assertIn('before 1.9.2', logs.output[0])
        self.assertEqual(2, self.mock.call_count)
        self.assertEqual('v1.1', api.version)
        self.assertEqual('RUNNING', api.state_of(api.show('y')))
        self.assertEqual(3, self.mock.call_count)

    def test_cancel_and_a_forced_delete(self):
        self.mock.post(f'{V2}/x/kill', **OLD)
        self.mock.get(f'{V11}/x/cancel', json=fakes.cancel_example(id='x'))
        api = self.client.route(fakes.CLUSTER_ID)
        api.cancel('x', show=False)
        api = self.client.route(fakes.CLUSTER_ID)
        self.mock.post(f'{V2}/batch-delete', **OLD)
        self.mock.delete(f'{V11}/x', status_code=204)
        self.mock.delete(f'{V11}/y', status_code=204)
        self.assertEqual([], api.delete(['x', 'y']))
        self.assertEqual(['DELETE', 'DELETE'], [
            r.method for r in self.mock.request_history[-2:]])

    def test_the_states_of_a_delete_without_force(self):
        self.mock.get(V2, **OLD)
        self.mock.get(f'{V2}/x', **OLD)
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'KILLED'}))
        api = self.client.route(fakes.CLUSTER_ID)
        polled = api.poll_many(['x'])
        self.assertEqual('KILLED', polled['x'][0])
        self.assertIn(polled['x'][0], api.TERMINAL)

    def test_a_list_is_the_v11_list_of_the_clusters_jobs(self):
        self.mock.get(V2, **OLD)
        mine = [fakes.cancel_example(
            id=f'm{n}', cluster_id=fakes.CLUSTER_ID,
            info={'status': status})['job_execution']
            for n, status in enumerate(('RUNNING', 'KILLED', 'RUNNING'))]
        other = fakes.cancel_example(id='o', cluster_id='elsewhere', info={
            'status': 'RUNNING'})['job_execution']
        self.mock.get(V11, json={'job_executions': [mine[0], other, *mine[1:]],
                                 'markers': {}})
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertEqual(['m0', 'm2'], [job['id'] for job in api.list(
            job_state='RUNNING')])
        self.assertEqual('v1.1', api.version)
        self.assertEqual(['m0'], [job['id'] for job in api.list(limit=1)])
        # V2's "ended" states, as V1.1 names them.
        self.assertEqual(['m1'], [job['id'] for job in api.list(
            job_state=['FINISHED', 'FAILED', 'KILLED'])])
        e = self.assertRaises(exceptions.InvalidValue, api.list,
                              job_name='pi')
        self.assertIn('has no filter job_name', str(e))

    def test_submit_and_results_are_not_followed(self):
        self.mock.post(V2, **OLD)
        self.mock.get(f'{V2}/x/sql-result', **OLD)
        api = self.client.route(fakes.CLUSTER_ID)
        for call in (lambda: api.submit({'job_type': 'MapReduce',
                                         'job_name': 'j'}),
                     lambda: api.sql_result('x')):
            e = self.assertRaises(exceptions.ApiError, call)
            self.assertEqual('0167', e.code)
        self.assertEqual('v2', api.version)


class TestV2OnlyCluster(base.Base):
    """A V1.1 id of a job whose cluster only V2 manages."""

    def test_a_running_job_is_not_deleted_without_force(self):
        # One rule, whichever API has the job: V1.1 included.
        self.mock.delete(f'{V11}/x', **V2_ONLY)
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'RUNNING'}))
        self.mock.post(f'{V2}/batch-delete', json={})
        [(ids, error)] = self.client.job_executions().delete(['x'])
        self.assertIsInstance(error, exceptions.NotEnded)
        self.assertEqual((['x'], 'RUNNING'), (ids, error.state))
        self.assertEqual(['GET'], [r.method
                                   for r in self.mock.request_history])

    def test_delete_goes_to_its_clusters_v2_api(self):
        self.mock.delete(f'{V11}/x', **V2_ONLY)
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(id='x'))
        self.mock.post(f'{V2}/batch-delete', json={})
        api = self.client.route()
        with self.assertLogs('mrsclient.api.jobs.v11', 'INFO') as logs:
            self.assertEqual([], api.delete(['x']))
        self.assertIn('deleting it there', logs.output[0])
        self.assertEqual({'job_id_list': ['x']},
                         self.mock.last_request.json())

    def test_a_v2_refusal_is_the_delete_failure(self):
        self.mock.delete(f'{V11}/x', **V2_ONLY)
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(id='x'))
        self.mock.post(f'{V2}/batch-delete', status_code=400, json={
            'error_code': '0161', 'error_msg': 'Failed to delete jobs in '
                                               'batches.'})
        self.mock.get(f'{V2}/x', json=fakes.V2_SHOW_EXAMPLE)
        [(ids, error)] = self.client.route().delete(['x'])
        self.assertEqual((['x'], '0161'), (ids, error.code))
