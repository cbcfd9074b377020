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

"""One job model and one rule set, whichever API has the jobs."""

import requests
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.jobs import executions
from mrsclient.api.jobs import model
from mrsclient.api.jobs import states
from mrsclient.tests.unit import fakes

HOST = 'https://mrs.example.com'
A, B = ('aaaaaaaa-0000-4000-8000-00000000000a',
        'bbbbbbbb-0000-4000-8000-00000000000b')
BAD, SLOW, GONE = ('cccccccc-0000-4000-8000-00000000000c',
                   'dddddddd-0000-4000-8000-00000000000d',
                   'eeeeeeee-0000-4000-8000-00000000000e')
V11 = f'{HOST}/v1.1/{fakes.PROJECT_ID}/job-executions'
V2 = (f'{HOST}/v2/{fakes.PROJECT_ID}/clusters/{fakes.CLUSTER_ID}/'
      'job-executions')


def instant():
    """A waiter whose sleep costs no time (the clock is the test's).

    ``slept`` holds each sleep it was asked for.
    """
    waiter = executions.Waiter(interval=1, timeout=30)
    now = [0.0]
    waiter.slept = []
    waiter.clock = lambda: now[0]

    def sleep(seconds):
        waiter.slept.append(seconds)
        now[0] += seconds

    waiter.sleep = sleep
    return waiter


class Base(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.mrs = client.MrsClient(fakes.make_session(),
                                    f'{HOST}/v1.1/{fakes.PROJECT_ID}')


class TestTheLifecycleOnBothApis(Base):
    """list -> cancel many -> wait -> delete, through MrsClient alone."""

    def v11(self):
        ids = [A, B]
        running = {k: {'json': fakes.cancel_example(
            id=k, info={'status': 'RUNNING'})} for k in ids}
        killed = {k: {'json': fakes.cancel_example(
            id=k, info={'status': 'KILLED'})} for k in ids}
        self.mock.get(V11, json=fakes.v11_page(ids, info={
            'status': 'RUNNING'}, cluster_id=fakes.CLUSTER_ID))
        for k in ids:
            self.mock.get(f'{V11}/{k}/cancel', **running[k])
            self.mock.get(f'{V11}/{k}', [running[k], killed[k]])
            self.mock.delete(f'{V11}/{k}', status_code=204)
        return self.mrs.job_executions()

    def v2(self):
        ids = [A, B]

        def job(k, state, result):
            return fakes.v2_job(k, job_state=state, job_result=result)

        self.mock.get(V2, json={'total_record': 2, 'job_list': [
            job(k, 'RUNNING', 'UNDEFINED') for k in ids]})
        for k in ids:
            self.mock.post(f'{V2}/{k}/kill', status_code=202)
            self.mock.get(f'{V2}/{k}', [
                {'json': {'job_detail': job(k, 'RUNNING', 'UNDEFINED')}},
                {'json': {'job_detail': job(k, 'KILLED', 'KILLED')}}])
        self.mock.post(f'{V2}/batch-delete', json={})
        return self.mrs.job_executions(fakes.CLUSTER_ID)

    def test_the_same_lines_on_both(self):
        for make in (self.v11, self.v2):
            jobs = make()
            running = [job.id for job in jobs.list(state='running')]
            self.assertEqual([A, B], running, make)
            waiter = instant()
            cancelled = jobs.cancel(running, parallel=2, waiter=waiter)
            # The kills are followed on the waiter's own clock.
            self.assertEqual([1], waiter.slept, make)
            self.assertEqual([(A, 'KILLED', None), (B, 'KILLED', None)],
                             [(o.key, o.job.state, o.error)
                              for o in cancelled], make)
            self.assertEqual([], jobs.delete(running, parallel=2))
            self.assertEqual(fakes.CLUSTER_ID, cancelled[0].job.cluster_id)


class TestTheModel(testtools.TestCase):

    def test_v2_fields_under_the_v11_examples_names(self):
        job = model.JobExecution.from_v2(fakes.v2_job(
            'j', job_name='etl', job_state='FINISHED',
            job_result='FAILED', submitted_time=1564714763119,
            finished_time=0, tracking_url='http://yarn/app'), 'c')
        self.assertEqual(('j', 'etl', 'c', 'FINISHED', 'FAILED',
                          '2019-08-02T02:59:23', None),
                         (job['id'], job['name'], job['cluster_id'],
                          job['state'], job['result'], job['created_at'],
                          job['end_time']))
        self.assertTrue(job.has_ended)
        self.assertFalse(job.ended_well)
        self.assertEqual('FINISHED/FAILED', job.ending)
        self.assertEqual(('its logs', 'http://yarn/app'), job.logs)
        self.assertNotIn('job_id', job)  # V1.1's template id: not V2's
        self.assertEqual(2019, job.submitted_at.year)
        self.assertIsNotNone(job.submitted_at.tzinfo)

    def test_v11_words_that_v2_has_are_v2s(self):
        for word, state, result in (('SUCCEEDED', 'FINISHED', 'SUCCEEDED'),
                                    ('KILLED', 'KILLED', 'KILLED'),
                                    ('DONEWITHERROR', 'DONEWITHERROR',
                                     'FAILED'),
                                    ('TOBEKILLED', 'TOBEKILLED',
                                     'UNDEFINED')):
            job = model.JobExecution.from_v11(
                dict(fakes.cancel_example()['job_execution'], status=word))
            self.assertEqual((state, result), (job.state, job.result))
        self.assertTrue(model.JobExecution.from_v11(
            dict(fakes.cancel_example()['job_execution'],
                 status='SUCCEEDED')).ended_well)

    def test_the_states_asked(self):
        self.assertEqual(('FINISHED', 'RUNNING'),
                         states.asked(['succeeded', 'Running']))
        self.assertIn('KILLED', states.asked(['ended']))
        e = self.assertRaises(ValueError, states.asked, ['runing'])
        self.assertIn("'runing' is no state", str(e))


class TestOneRuleSet(Base):

    def test_a_v11_submission_keeps_the_bodys_cluster(self):
        self.mock.post(f'{HOST}/v1.1/{fakes.PROJECT_ID}/jobs/submit-job',
                       json={'job_execution': {'id': A}})
        body = {'job_type': 1, 'job_name': 'wc', 'jar_path': '/wc.jar',
                'cluster_id': fakes.CLUSTER_ID}
        self.assertEqual(A, self.mrs.job_executions().submit(body))
        self.assertEqual(fakes.CLUSTER_ID,
                         self.mock.last_request.json()['cluster_id'])

    def test_a_running_v11_execution_is_not_deleted_without_force(self):
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'RUNNING'}))
        self.mock.delete(f'{V11}/x', status_code=204)
        [(ids, error)] = self.mrs.job_executions().delete(['x'])
        self.assertIsInstance(error, exceptions.NotEnded)
        self.assertEqual(['GET'], [r.method
                                   for r in self.mock.request_history])
        self.assertEqual([], self.mrs.job_executions().delete(['x'],
                                                              force=True))

    def test_the_states_of_many_v11_jobs_cost_one_list_page(self):
        ids = [f'{n:08x}-0000-4000-8000-000000000000' for n in range(20)]
        self.mock.get(V11, json=fakes.v11_page(ids, info={
            'status': 'SUCCEEDED'}))
        for key in ids:
            self.mock.delete(f'{V11}/{key}', status_code=204)
        self.assertEqual([], self.mrs.job_executions().delete(ids))
        self.assertEqual(['GET'] + ['DELETE'] * 20,
                         [r.method for r in self.mock.request_history])

    def test_a_lost_kill_sent_on_to_v2_is_told_in_v2s_state(self):
        # A V1.1 id of a job that only V2 manages; its kill's answer is
        # lost, and V2 reads it RUNNING: the line says so (not None).
        self.mock.get(f'{V11}/{A}/cancel', status_code=400, json={
            'error_code': '12000085', 'error_msg': 'Use V2.'})
        self.mock.get(f'{V11}/{A}', [
            {'json': fakes.cancel_example(id=A, cluster_id=fakes.CLUSTER_ID)},
            {'json': fakes.cancel_example(id=A, info={'status': 'KILLED'})}])
        self.mock.post(f'{V2}/{A}/kill',
                       exc=requests.exceptions.ConnectionError('reset'))
        self.mock.get(f'{V2}/{A}', json={'job_detail': fakes.v2_job(
            A, job_state='RUNNING', job_result='UNDEFINED')})
        told = []
        [outcome] = self.mrs.job_executions().cancel(
            [A], waiter=instant(), tell=lambda *line: told.append(line))
        self.assertEqual([(A, 'RUNNING (the answer to the kill was lost).')],
                         told)
        self.assertEqual('KILLED', outcome.job.state)

    def test_cancelling_an_ended_job_is_a_success_that_is_told(self):
        self.mock.get(f'{V11}/x/cancel', status_code=500, json={
            'error_code': '0160', 'error_msg': 'Failed to kill the job.'})
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'SUCCEEDED'}))
        told = []
        [outcome] = self.mrs.job_executions().cancel(
            ['x'], tell=lambda *line: told.append(line))
        self.assertIsNone(outcome.error)
        self.assertEqual('FINISHED', outcome.job.state)
        self.assertEqual([('x', 'it had already ended (FINISHED).')], told)

    def test_a_wait_judges_and_times_out(self):
        self.mock.get(f'{V2}/{BAD}', json={'job_detail': fakes.v2_job(
            BAD, job_state='FINISHED', job_result='FAILED')})
        self.mock.get(f'{V2}/{SLOW}', json={'job_detail': fakes.v2_job(
            SLOW, job_state='RUNNING', job_result='UNDEFINED')})
        self.mock.get(f'{V2}/{GONE}', status_code=400, json={
            'error_code': '0201', 'error_msg': 'The job does not exist.'})
        bad, slow, gone = self.mrs.job_executions(fakes.CLUSTER_ID).wait(
            [BAD, SLOW, GONE], instant(), parallel=3)
        self.assertIsInstance(bad.error, exceptions.EndedBadly)
        self.assertIn('ended FINISHED with the result FAILED', str(bad.error))
        self.assertIsInstance(slow.error, exceptions.TimedOut)
        self.assertEqual('RUNNING', slow.error.state)
        self.assertTrue(exceptions.has_code(gone.error, {'0201'}))

    def test_a_list_is_checked_before_any_request(self):
        for on_cluster, query, field in (
                (False, {'name': 'x'}, 'name'),
                (True, {'marker': 'm'}, 'marker'),
                (True, {'page': 2}, 'page'),
                (False, {'state': 'runing'}, 'state'),
                (True, {'sort': ('job_name', 'asc')}, 'sort')):
            e = self.assertRaises(exceptions.InvalidValue,
                                  executions.check_list, on_cluster, **query)
            self.assertEqual(field, e.field)
        self.assertEqual(0, self.mock.call_count)
