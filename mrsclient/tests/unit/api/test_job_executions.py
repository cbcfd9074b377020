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

"""The V1.1 and V2 job-execution calls, on the wire (requests-mock)."""

import json
import re

import fixtures
import requests
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.tests.unit import fakes

HOST = 'https://mrs.example.com'
PID = fakes.PROJECT_ID
V11 = f'{HOST}/v1.1/{PID}/job-executions'
V2 = f'{HOST}/v2/{PID}/clusters/{fakes.CLUSTER_ID}/job-executions'


class Base(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.client = client.MrsClient(fakes.make_session(),
                                       f'{HOST}/v1.1/{PID}')

    def queries(self):
        return [r.qs for r in self.mock.request_history]


class TestOneWayToSayV2(Base):

    def test_no_cluster_is_v11(self):
        self.assertEqual('v1.1', self.client.route().version)

    def test_a_cluster_is_v2(self):
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertEqual('v2', api.version)
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json=fakes.V2_SHOW_EXAMPLE)
        api.show(fakes.JOB_ID)
        self.assertEqual(f'{V2}/{fakes.JOB_ID}', self.mock.last_request.url)

    def test_cluster_id_is_one_segment(self):
        api = self.client.route('a/b?c')
        self.mock.get(f'{HOST}/v2/{PID}/clusters/a%2Fb%3Fc/job-executions/x',
                      json=fakes.V2_SHOW_EXAMPLE)
        api.show('x')
        e = self.assertRaises(exceptions.MrsError,
                              self.client.route(' ').show, 'x')
        self.assertEqual('The cluster id must not be empty.', str(e))


class TestV11List(Base):

    def test_follows_markers_to_the_last_page(self):
        self.mock.get(V11, [
            {'json': fakes.v11_page(['a', 'b'], next_marker='b')},
            {'json': fakes.v11_page(['c'], next_marker='c')},
            {'json': fakes.v11_page([])},
        ])
        found = self.client.route().list(sort_by='-id',
                                         status=False)
        self.assertEqual(['a', 'b', 'c'], [e['id'] for e in found])
        # Pages as large as the API gives: not the service's default.
        page = {'sort_by': ['-id'], 'limit': ['1000']}
        self.assertEqual([page, {**page, 'marker': ['b']},
                          {**page, 'marker': ['c']}], self.queries())

    def test_sahara_without_markers_is_one_page(self):
        body = fakes.v11_page(['a'])
        del body['markers']
        self.mock.get(V11, json=body)
        self.assertEqual(1, len(self.client.route().list(
            status=False)))
        self.assertEqual(1, self.mock.call_count)

    def test_limit_fetches_one_page(self):
        self.mock.get(V11, json=fakes.v11_page(['a'], next_marker='a'))
        found = self.client.route().list(limit=1, marker='z',
                                         status=False)
        self.assertEqual(['a'], [e['id'] for e in found])
        self.assertEqual([{'limit': ['1'], 'marker': ['z']}], self.queries())

    def test_a_marker_seen_before_ends_the_walk(self):
        self.mock.get(V11, json=fakes.v11_page(['a'], next_marker='a'))
        # The second page brings nothing new: each execution once.
        self.assertEqual(1, len(self.client.route().list(
            status=False)))
        self.assertEqual(2, self.mock.call_count)

    def test_answer_without_a_list(self):
        self.mock.get(V11, json={'job_executions': None})
        e = self.assertRaises(exceptions.MrsError,
                              self.client.route().list)
        self.assertIn('Failed to list job executions: HTTP 200 from', str(e))
        self.assertIn('has no "job_executions" list of objects', str(e))


class TestV11StatusOfNullInfo(Base):
    """A list's info-null rows cost the job-exe list's pages, not rows."""

    EXES = f'{HOST}/v1.1/{PID}/job-exes'

    def exes(self, ids, total=None, state=2):
        return {'totalRecord': len(ids) if total is None else total,
                'job_executions': [{'id': i, 'job_state': state}
                                   for i in ids]}

    def listed(self, ids, cluster='c1'):
        self.mock.get(V11, json=fakes.v11_page(ids, cluster_id=cluster,
                                               info=None))
        return self.client.route().list()

    def test_one_page_of_the_clusters_job_exes(self):
        self.mock.get(self.EXES, json=self.exes(['a', 'b', 'c', 'z']))
        found = self.listed(['a', 'b', 'c'])
        self.assertEqual(['RUNNING'] * 3, [e['status'] for e in found])
        self.assertEqual(2, self.mock.call_count)
        self.assertEqual({'cluster_id': ['c1'], 'page_size': ['100'],
                          'current_page': ['1']}, self.queries()[1])

    def test_the_other_pages_when_fewer_than_the_reads(self):
        first = [f'x{n}' for n in range(100)]
        self.mock.get(self.EXES, [
            {'json': self.exes(first, total=250)},
            {'json': self.exes(['b'] + first[:99], total=250)},
            {'json': self.exes(['a', 'c'], total=250, state=3)}])
        found = self.listed(['a', 'b', 'c'])
        self.assertEqual(['COMPLETED', 'RUNNING', 'COMPLETED'],
                         [e['status'] for e in found])
        self.assertEqual(['1', '2', '3'], sorted(
            q['current_page'][0] for q in self.queries()[1:]))

    def test_reads_each_when_the_pages_would_cost_more(self):
        self.mock.get(self.EXES, json=self.exes(
            [f'x{n}' for n in range(100)], total=5000))
        self.mock.get(re.compile(f'{self.EXES}/'),
                      json={'job_execution': {'job_state': -1}})
        found = self.listed(['a', 'b'])
        self.assertEqual(['KILLED', 'KILLED'], [e['status'] for e in found])
        # The list, its first page, and one read each.
        self.assertEqual(4, self.mock.call_count)

    def test_one_job_is_one_read_and_a_refused_list_reads_each(self):
        self.mock.get(re.compile(f'{self.EXES}/'),
                      json={'job_execution': {'job_state': 2}})
        self.assertEqual(['RUNNING'], [e['status']
                                       for e in self.listed(['a'])])
        self.assertEqual(2, self.mock.call_count)
        self.mock.get(self.EXES, status_code=400, json={
            'error_code': '12000002', 'error_msg': 'invalid'})
        self.assertEqual(['RUNNING'] * 2, [e['status']
                                           for e in self.listed(['a', 'b'])])


class TestV11Poll(Base):

    def test_state_from_info(self):
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            info={'status': 'TOBEKILLED'}))
        state, job = self.client.route().poll('x')
        self.assertEqual('TOBEKILLED', state)
        self.assertEqual(1, self.mock.call_count)

    def test_state_from_the_job_exe_when_info_is_null(self):
        self.mock.get(f'{V11}/x', json=fakes.cancel_example())
        for code, state in ((-1, 'KILLED'), (1, 'STARTING'),
                            (2, 'RUNNING'), (3, 'COMPLETED'),
                            (4, 'ABNORMAL'), (5, 'ERROR'), (9, 'UNKNOWN (9)')):
            self.mock.get(f'{HOST}/v1.1/{PID}/job-exes/x',
                          json={'job_execution': {'job_state': code}})
            self.assertEqual(state, self.client.route().poll('x')[0])

    def test_a_completed_job_exe_ends_as_its_final_status_says(self):
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(id='x'))
        api = self.client.route()
        for final, state, well in ((2, 'SUCCEEDED', True),
                                   (1, 'FAILED', False),
                                   (3, 'KILLED', False),
                                   (0, 'COMPLETED', False)):
            self.mock.get(f'{HOST}/v1.1/{PID}/job-exes/x', json={
                'job_execution': {'job_state': 3,
                                  'job_final_status': final}})
            state_seen, job = api.poll('x')
            self.assertEqual(state, state_seen)
            self.assertEqual(well, api.model(job).ended_well)

    def test_a_wait_ends_at_each_final_state_and_only_there(self):
        from mrsclient.api.jobs import waiting

        api = self.client.route()
        for final in ('KILLED', 'SUCCEEDED', 'FAILED', 'DONEWITHERROR'):
            # Polled: RUNNING, TOBEKILLED, PENDING, then the final state.
            self.mock.get(f'{V11}/x', [
                {'json': fakes.cancel_example(info={'status': state})}
                for state in ('RUNNING', 'TOBEKILLED', 'PENDING', final)])
            seen = []
            done, failed, _ = waiting.wait_for(
                ['x'], api.poll_many, api.TERMINAL.__contains__,
                timeout=60, interval=1,
                report=lambda key, old, new: seen.append(new),
                clock=lambda: 0.0, sleep=lambda seconds: None)
            self.assertEqual({}, failed)
            self.assertEqual(['RUNNING', 'TOBEKILLED', 'PENDING', final],
                             seen)
            self.assertEqual(final, done['x']['status'])


class TestV2(Base):

    def api(self):
        return self.client.route(fakes.CLUSTER_ID)

    def test_list_fetches_every_page(self):
        jobs = [fakes.v2_job(str(n)) for n in range(150)]
        self.mock.get(V2, [
            {'json': {'total_record': 150, 'job_list': jobs[:100]},
             'status_code': 202},
            {'json': {'total_record': 150, 'job_list': jobs[100:]},
             'status_code': 202},
        ])
        found = self.api().list(job_state='RUNNING', job_name=None,
                                submitted_time_begin=1564714020099)
        self.assertEqual(150, len(found))
        self.assertEqual(
            [{'job_state': ['running'], 'limit': ['100'], 'offset': ['1'],
              'submitted_time_begin': ['1564714020099']},
             {'job_state': ['running'], 'limit': ['100'], 'offset': ['2'],
              'submitted_time_begin': ['1564714020099']}],
            self.queries())

    def test_list_stops_at_total_record(self):
        page = [fakes.v2_job(str(n)) for n in range(100)]
        self.mock.get(V2, json={'total_record': 100, 'job_list': page})
        self.assertEqual(100, len(self.api().list()))
        self.assertEqual(1, self.mock.call_count)

    def test_a_server_ignoring_offset_cannot_loop_forever(self):
        page = [fakes.v2_job(str(n)) for n in range(100)]
        self.mock.get(V2, json={'total_record': 10_000, 'job_list': page})
        found = self.api().list(parallel=10)
        # The first page, then the 10 under way when page 2 brings
        # nothing new (and at most one more): not the 100 pages
        # total_record claims. Each job once.
        self.assertTrue(2 <= self.mock.call_count <= 12,
                        self.mock.call_count)
        self.assertEqual(page, found)

    def test_ids_seen_are_told_apart_exactly(self):
        from mrsclient.api.jobs import v2
        low = 'f2a7b9c4-1d3e-4f5a-8b6c-7d8e9f0a1b2c'
        jobs = [{'job_id': low}, {'job_id': low.upper()},
                # the same hex digits, a dash moved: another id
                {'job_id': 'f2a7b9c-41d3e-4f5a-8b6c-7d8e9f0a1b2c'},
                {'job_id': None}, {'job_id': None}, {}, {'job_id': 7},
                {'job_id': low}]
        seen = v2.Seen()
        fresh = seen.new(jobs)
        # Every one but the exact repeat of the first.
        self.assertEqual(jobs[:-1], fresh)
        self.assertEqual([], seen.new([{'job_id': low}]))

    def test_a_server_paging_without_end_is_stopped_at_the_bound(self):
        def answer(request, context):
            number = int(request.qs['offset'][0])
            return {'total_record': 10 ** 9, 'job_list': [
                fakes.v2_job(f'{number}-{n}') for n in range(100)]}

        self.mock.get(V2, json=answer)
        self.useFixture(fixtures.MockPatch(
            'mrsclient.api.jobs.v2.MAX_LISTED', 1000))
        listed = []
        e = self.assertRaises(exceptions.ListTooLong,
                              lambda: listed.extend(self.api().each(
                                  parallel=10)))
        self.assertEqual(1000, len(listed))
        self.assertLessEqual(self.mock.call_count, 11 + 10)
        self.assertIn('the list goes on past 1000 items', str(e))

    def test_v11_paging_without_end_is_stopped_at_the_bound(self):
        def answer(request, context):
            marker = (request.qs.get('marker') or ['0'])[0]
            return fakes.v11_page([f'{marker}-{n}' for n in range(1000)],
                                  next_marker=f'{int(marker) + 1}')

        self.mock.get(V11, json=answer)
        self.useFixture(fixtures.MockPatch(
            'mrsclient.api.jobs.v11.MAX_LISTED', 5000))
        e = self.assertRaises(exceptions.ListTooLong, self.client.
                              route().list, status=False)
        self.assertEqual(6, self.mock.call_count)
        self.assertIn('Failed to list job executions: the list goes on',
                      str(e))

    def test_a_wait_round_through_the_list_where_it_is_cheaper(self):
        ids = [f'j{n}' for n in range(25)]
        jobs = [fakes.v2_job(key, job_state='KILLED') for key in ids]
        self.mock.get(V2, json={'total_record': 30, 'job_list': jobs})
        polled = self.api().poll_many(ids, parallel=10)
        self.assertEqual({'KILLED'}, {state for state, _ in
                                      polled.values()})
        self.assertEqual(1, self.mock.call_count)  # not 25 shows

    def test_a_wait_round_whose_list_fails_fails_each_job(self):
        ids = [f'j{n}' for n in range(25)]
        self.mock.get(V2, status_code=503, text='busy')
        polled = self.api().poll_many(ids, parallel=10)
        self.assertEqual(set(ids), set(polled))
        self.assertTrue(all(isinstance(answer, exceptions.ApiError)
                            and exceptions.transient(answer)
                            for answer in polled.values()))

    def test_a_wait_round_through_shows_on_a_big_cluster(self):
        ids = [f'j{n}' for n in range(25)]
        self.mock.get(V2, json={'total_record': 10_000, 'job_list': []})
        for key in ids:
            self.mock.get(f'{V2}/{key}', json={'job_detail': fakes.v2_job(
                key, job_state='RUNNING')})
        polled = self.api().poll_many(ids, parallel=10)
        self.assertEqual(set(ids), set(polled))
        # One page to learn the size, then a show each.
        self.assertEqual(26, self.mock.call_count)

    def test_pages_at_once_in_the_apis_order_each_job_once(self):
        def answer(request, context):
            number = int(request.qs['offset'][0])
            ids = range((number - 1) * 100, min(number * 100, 250))
            # A job that moved to the next page shows on both.
            extra = [99] if number == 2 else []
            return {'total_record': 250, 'job_list': [
                fakes.v2_job(str(n)) for n in [*extra, *ids]]}

        self.mock.get(V2, json=answer)
        found = self.api().list(parallel=3)
        self.assertEqual([str(n) for n in range(250)],
                         [job['job_id'] for job in found])
        self.assertEqual(['1', '2', '3'], sorted(
            r.qs['offset'][0] for r in self.mock.request_history))

    def test_list_with_limit_and_offset_is_one_page(self):
        self.mock.get(V2, json=fakes.V2_LIST_EXAMPLE)
        found = self.api().list(limit=2, offset=3, sort='asc')
        self.assertEqual(fakes.V2_LIST_EXAMPLE['job_list'], found)
        self.assertEqual([{'limit': ['2'], 'offset': ['3'],
                           'sort_by': ['asc']}], self.queries())

    def test_show_answering_202(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', status_code=202,
                      json=fakes.V2_SHOW_EXAMPLE)
        self.assertEqual(fakes.V2_SHOW_EXAMPLE['job_detail'],
                         self.api().show(fakes.JOB_ID))

    def test_cancel_kills_then_shows(self):
        self.mock.post(f'{V2}/{fakes.JOB_ID}/kill', status_code=202)
        self.mock.get(f'{V2}/{fakes.JOB_ID}', status_code=202,
                      json=fakes.V2_SHOW_EXAMPLE)
        self.api().cancel(fakes.JOB_ID)
        self.assertEqual(['POST', 'GET'],
                         [r.method for r in self.mock.request_history])

    def test_kill_failure(self):
        self.mock.post(f'{V2}/{fakes.JOB_ID}/kill', status_code=500, json={
            'error_msg': 'Failed to terminate the job.',
            'error_code': '0175'})
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, job_state='RUNNING', job_result='UNDEFINED')})
        e = self.assertRaises(exceptions.MrsError, self.api().cancel,
                              fakes.JOB_ID)
        self.assertEqual(f'Failed to cancel job {fakes.JOB_ID} of cluster '
                         f'{fakes.CLUSTER_ID}: HTTP 500 0175: Failed to '
                         'terminate the job. MRS could not kill the job, '
                         'which is RUNNING: retry the cancel.', str(e))
        # The kill once, then a read of its state.
        self.assertEqual(['POST', 'GET'],
                         [r.method for r in self.mock.request_history])

    def test_poll(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json=fakes.V2_SHOW_EXAMPLE)
        self.assertEqual('FINISHED', self.api().poll(fakes.JOB_ID)[0])
        self.assertEqual({'KILLED', 'FINISHED', 'FAILED'},
                         set(self.api().TERMINAL))


class TestDelete(Base):

    def test_v11_deletes_each_and_names_each_failure(self):
        for name in ('a', 'c'):
            self.mock.delete(f'{V11}/{name}', status_code=204)
        self.mock.delete(f'{V11}/b', status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'})
        result = self.client.route().delete(['a', 'b', 'c'],
                                            parallel=3)
        self.assertEqual([['b']], [ids for ids, _ in result])
        self.assertIn('Failed to delete job execution b: HTTP 500 0176',
                      str(result[0][1]))
        self.assertEqual(3, self.mock.call_count)

    def test_v2_one_batch_with_the_documented_body(self):
        self.mock.post(f'{V2}/batch-delete', status_code=200)
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertEqual([], api.delete(['a', 'b']))
        self.assertEqual({'job_id_list': ['a', 'b']},
                         self.mock.last_request.json())

    def test_v2_long_lists_go_in_batches(self):
        self.mock.post(f'{V2}/batch-delete', status_code=200)
        api = self.client.route(fakes.CLUSTER_ID)
        ids = [str(n) for n in range(250)]
        api.delete(ids + ['0'])  # a repeated id is sent once
        self.assertEqual([100, 100, 50],
                         [len(r.json()['job_id_list'])
                          for r in self.mock.request_history])

    def answer_0161_if(self, bad):
        def answer(request, context):
            ids = request.json()['job_id_list']
            failing = bad & set(ids)
            context.status_code = 500 if failing else 200
            return json.dumps({'error_code': '0161', 'error_msg':
                               'Failed to delete jobs in batches.'}) \
                if failing else ''
        self.mock.post(f'{V2}/batch-delete', text=answer)

    def test_v2_a_0161_batch_is_split_until_each_failure_is_named(self):
        self.answer_0161_if({'bad'})
        self.mock.get(f'{V2}/bad', status_code=500,
                      json={'error_code': '0201'})
        api = self.client.route(fakes.CLUSTER_ID)
        result = api.delete(['a', 'b', 'bad', 'c', 'd'])
        self.assertEqual([['bad']], [ids for ids, _ in result])
        # 0161 does not say why: a read of the job does.
        self.assertEqual(
            f'Failed to delete job bad of cluster {fakes.CLUSTER_ID}: '
            'HTTP 500 0161: Failed to delete jobs in batches. Job bad does '
            'not exist on this cluster.',
            str(result[0][1]))
        sent = [r.json()['job_id_list'] for r in self.mock.request_history
                if r.method == 'POST']
        self.assertEqual([['a', 'b', 'bad', 'c', 'd'], ['a', 'b'],
                          ['bad', 'c', 'd'], ['bad'], ['c', 'd']], sent)

    def test_v2_splitting_is_bounded(self):
        ids = [f'bad{n}' for n in range(100)]
        self.answer_0161_if(set(ids))
        # Each job is there (0161 for another reason): the hint reads it.
        self.mock.get(re.compile(f'{V2}/bad'), json={
            'job_detail': fakes.v2_job('bad', job_state='RUNNING')})
        api = self.client.route(fakes.CLUSTER_ID)
        result = api.delete(ids)
        posts = [r for r in self.mock.request_history if r.method == 'POST']
        self.assertEqual(1 + api.SPLIT_REQUESTS, len(posts))
        self.assertEqual(100, sum(len(part) for part, _ in result))

    def test_v2_a_batch_that_fails_as_a_whole_fails_once(self):
        for answer in ({'status_code': 400, 'json': {
                           'error_code': '12000003',
                           'error_msg': 'The cluster does not exist.'}},
                       {'status_code': 400, 'json': {
                           'error_code': '0178',
                           'error_msg': 'The job ID cannot be left blank.'}},
                       {'status_code': 403, 'text': 'Forbidden'}):
            before = self.mock.call_count
            self.mock.post(f'{V2}/batch-delete', **answer)
            api = self.client.route(fakes.CLUSTER_ID)
            ids = [str(n) for n in range(100)]
            result = api.delete(ids)
            self.assertEqual(1, self.mock.call_count - before)
            ((failed, error),) = result
            self.assertEqual(ids, failed)
            self.assertIn('Failed to delete 100 jobs of cluster', str(error))

    def test_v2_a_lost_answer_is_judged_by_the_jobs(self):
        self.mock.post(f'{V2}/batch-delete', status_code=504)
        gone = {'status_code': 500, 'json': {'error_code': '0201'}}
        self.mock.get(f'{V2}/a', **gone)
        self.mock.get(f'{V2}/b', **gone)
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertEqual([], api.delete(['a', 'b']))
        self.assertEqual(['POST', 'GET', 'GET'],
                         [r.method for r in self.mock.request_history])


class TestLostAnswers(Base):
    """A request that took effect, its answer lost: judged by the state."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch('keystoneauth1.session.time.sleep'))

    def test_v11_cancel_answered_502_then_killed(self):
        self.mock.get(f'{V11}/x/cancel', status_code=502, text='Bad Gateway')
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'KILLED'}))
        job = self.client.route().cancel('x')
        self.assertEqual('KILLED', job['status'])
        self.assertEqual([f'{V11}/x/cancel', f'{V11}/x'],
                         [r.url for r in self.mock.request_history])

    def test_v11_cancel_lost_and_still_running_is_sent_again(self):
        self.mock.get(f'{V11}/x/cancel', [
            {'exc': requests.exceptions.ReadTimeout('slow')},
            {'json': fakes.cancel_example(id='x', info={
                'status': 'RUNNING'})}])
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'RUNNING'}))
        self.assertEqual('RUNNING',
                         self.client.route().cancel('x')['status'])
        self.assertEqual(2, sum(r.url.endswith('/cancel')
                                for r in self.mock.request_history))

    def test_v11_cancel_always_lost_is_sent_three_times(self):
        self.mock.get(f'{V11}/x/cancel', status_code=504)
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'RUNNING'}))
        e = self.assertRaises(exceptions.MrsError,
                              self.client.route().cancel, 'x')
        self.assertIn('HTTP 504', str(e))
        self.assertEqual(3, sum(r.url.endswith('/cancel')
                                for r in self.mock.request_history))

    def test_v11_delete_answered_504_and_gone(self):
        self.mock.delete(f'{V11}/x', status_code=504)
        self.mock.get(f'{V11}/x', status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'})
        self.assertEqual([], self.client.route().delete(['x']))
        self.assertEqual(1, sum(r.method == 'DELETE'
                                for r in self.mock.request_history))

    def test_v2_kill_reset_and_then_killed(self):
        self.mock.post(f'{V2}/x/kill',
                       exc=requests.exceptions.ConnectionError('reset'))
        self.mock.get(f'{V2}/x', json={'job_detail': fakes.v2_job(
            'x', job_state='KILLED', job_result='KILLED')})
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertEqual('KILLED', api.cancel('x')['job_state'])
        self.assertEqual(1, sum(r.method == 'POST'
                                for r in self.mock.request_history))

    def test_a_refused_cancel_of_an_ended_job_says_so(self):
        self.mock.get(f'{V11}/x/cancel', status_code=500, json={
            'error_code': '0160', 'error_msg': 'Failed to kill the job.'})
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'SUCCEEDED'}))
        e = self.assertRaises(exceptions.AlreadyEnded,
                              self.client.route().cancel, 'x')
        self.assertEqual('Failed to cancel job execution x: it has already '
                         'ended (SUCCEEDED).', str(e))
        self.assertEqual('SUCCEEDED', e.job.raw['status'])

    def test_a_submission_is_never_sent_again(self):
        self.mock.post(V2, status_code=504)
        api = self.client.route(fakes.CLUSTER_ID)
        self.assertRaises(exceptions.MrsError, api.submit, {
            'job_type': 'MapReduce', 'job_name': 'x'})
        self.assertEqual(1, self.mock.call_count)


class TestNames(Base):

    CLUSTERS = f'{HOST}/v1.1/{PID}/cluster_infos'

    def clusters(self, *pairs, total=None):
        return {'clusterTotal': str(total if total is not None
                                    else len(pairs)),
                'clusters': [{'clusterId': i, 'clusterName': n}
                             for i, n in pairs]}

    def test_an_id_needs_no_request(self):
        self.assertEqual(fakes.CLUSTER_ID,
                         self.client.find_cluster(fakes.CLUSTER_ID))
        self.assertFalse(self.mock.called)

    def test_a_name_across_pages(self):
        from mrsclient.api import client as client_module
        first = [(f'id-{n}', f'c{n}')
                 for n in range(client_module.CLUSTER_PAGE_SIZE)]
        self.mock.get(self.CLUSTERS, [
            {'json': self.clusters(*first, total=101)},
            {'json': self.clusters(('id-x', 'analytics'), total=101)}])
        self.assertEqual('id-x', self.client.find_cluster('analytics'))
        self.assertEqual(['1', '2'], [r.qs['currentpage'][0]
                                      for r in self.mock.request_history])

    def test_a_server_that_never_stops_paging_clusters(self):
        from mrsclient.api import client as client_module
        from mrsclient.osc import errors

        def answer(request, context):
            page = request.qs['currentpage'][0]
            return self.clusters(*[(f'id-{page}-{n}', f'c{n}') for n in range(
                client_module.CLUSTER_PAGE_SIZE)], total=10 ** 9)

        self.mock.get(self.CLUSTERS, json=answer)
        e = self.assertRaises(exceptions.ListTooLong,
                              self.client.find_cluster, 'analytics')
        self.assertEqual(client_module.MAX_CLUSTERS
                         // client_module.CLUSTER_PAGE_SIZE,
                         self.mock.call_count)
        self.assertEqual(
            'Failed to find cluster analytics: the list goes on past 10000 '
            'clusters, the most one list reads (a server that never stops '
            'paging looks like this). Give the cluster by its id.',
            errors.line(e))

    def test_none_or_several(self):
        self.mock.get(self.CLUSTERS, json=self.clusters(
            ('id-1', 'analytics'), ('id-2', 'analytics')))
        e = self.assertRaises(exceptions.MrsError,
                              self.client.find_cluster, 'analytics')
        self.assertEqual("2 clusters are named 'analytics' in this project: "
                         "id-1, id-2. Give the id.", str(e))
        e = self.assertRaises(exceptions.MrsError,
                              self.client.find_cluster, 'nope')
        self.assertEqual("No cluster named 'nope' (or with that id) in this "
                         "project.", str(e))
        self.assertEqual('id-2', self.client.find_cluster('id-2'))

    def test_job_names_through_the_lists_name_filter(self):
        api = self.client.route(fakes.CLUSTER_ID)
        jobs = [fakes.v2_job('j1', job_name='pi'),
                fakes.v2_job('j2', job_name='pi'),
                fakes.v2_job('j3', job_name='report'),
                # A filter that matches more than the exact name.
                fakes.v2_job('j4', job_name='report-2')]

        def answer(request, context):
            name = request.qs['job_name'][0]
            found = [job for job in jobs if name in job['job_name']]
            return {'total_record': len(found), 'job_list': found}

        self.mock.get(V2, json=answer)
        found = api.find([fakes.JOB_ID, 'report', 'pi', 'nope'])
        self.assertEqual('j3', found['report'])
        self.assertIn('2 jobs are named', str(found['pi']))
        self.assertIn("No job named 'nope'", str(found['nope']))
        self.assertNotIn(fakes.JOB_ID, found)
        # One request per name, whatever the size of the cluster.
        self.assertEqual(3, self.mock.call_count)
