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

"""The simulator's rules over time, without HTTP, on a moved clock."""

import testtools

from mrsclient.simulator import state as st
from mrsclient.simulator import v1_1
from mrsclient.simulator import v2


class TestKillOverTime(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.now = 1_700_000_000.0
        self.state = st.State(kill_delay=2, clock=lambda: self.now)
        self.demo = self.state.projects['demo']
        inventory = self.state.inventory('http://sim')
        self.v11 = inventory['job_executions']
        self.v2 = inventory['jobs']
        self.v2_cluster = inventory['clusters']['v2']

    def v11_status(self, job_id):
        status, body = v1_1.route(self.state, 'GET', self.demo,
                                  ['job-executions', job_id], {})
        return body['job_execution']['info']['status']

    def v2_state(self, job_id):
        status, body = v2.route(
            self.state, 'GET', self.demo,
            ['clusters', self.v2_cluster, 'job-executions', job_id], {})
        self.assertEqual(202, status)
        return body['job_detail']['job_state']

    def test_v11_cancel_takes_effect_after_the_delay(self):
        job = self.v11['running'][0]
        status, body = v1_1.route(self.state, 'GET', self.demo,
                                  ['job-executions', job, 'cancel'], {})
        self.assertEqual(200, status)
        self.assertEqual({'status': 'RUNNING'}, body['job_execution']['info'])
        self.now += 1.9
        self.assertEqual('RUNNING', self.v11_status(job))
        # A second cancel while it is dying is accepted again.
        v1_1.route(self.state, 'GET', self.demo,
                   ['job-executions', job, 'cancel'], {})
        self.now += 0.1
        self.assertEqual('KILLED', self.v11_status(job))
        e = self.assertRaises(st.MrsError, v1_1.route, self.state, 'GET',
                              self.demo, ['job-executions', job, 'cancel'],
                              {})
        self.assertEqual((500, '0160'), (e.status, e.code))

    def test_v2_kill_takes_effect_after_the_delay(self):
        job = self.v2['running'][1]
        path = ['clusters', self.v2_cluster, 'job-executions', job, 'kill']
        self.assertEqual((202, None),
                         v2.route(self.state, 'POST', self.demo, path, {}))
        self.assertEqual('RUNNING', self.v2_state(job))
        self.now += 2
        self.assertEqual('KILLED', self.v2_state(job))
        e = self.assertRaises(st.MrsError, v2.route, self.state, 'POST',
                              self.demo, path, {})
        self.assertEqual((500, '0175'), (e.status, e.code))

    def test_a_stuck_job_never_dies(self):
        job = self.v2['stuck'][0]
        path = ['clusters', self.v2_cluster, 'job-executions', job, 'kill']
        v2.route(self.state, 'POST', self.demo, path, {})
        self.now += 10_000
        self.assertEqual('RUNNING', self.v2_state(job))

    def test_info_null_state_is_in_the_job_exe(self):
        job = self.v11['info_null'][0]
        _, body = v1_1.route(self.state, 'GET', self.demo,
                             ['job-executions', job], {})
        self.assertIsNone(body['job_execution']['info'])
        v1_1.route(self.state, 'GET', self.demo,
                   ['job-executions', job, 'cancel'], {})
        _, body = v1_1.route(self.state, 'GET', self.demo, ['job-exes', job],
                             {})
        self.assertEqual((2, 0), (body['job_execution']['job_state'],
                                  body['job_execution']['job_final_status']))
        self.now += 2
        _, body = v1_1.route(self.state, 'GET', self.demo, ['job-exes', job],
                             {})
        self.assertEqual((-1, 3), (body['job_execution']['job_state'],
                                   body['job_execution']['job_final_status']))


class TestV11Pages(testtools.TestCase):
    """The page sizes of the api-ref's V1.1 lists."""

    def setUp(self):
        super().setUp()
        self.state = st.State(extra_jobs=150)
        self.demo = self.state.projects['demo']
        self.v1 = self.state.inventory('http://sim')['clusters']['v1']

    def route(self, parts, query):
        return v1_1.route(self.state, 'GET', self.demo, parts, query)[1]

    def refused(self, parts, query):
        e = self.assertRaises(st.MrsError, self.route, parts, query)
        return e.status, e.code

    def test_job_exes_in_pages_of_at_most_100_with_the_total(self):
        first = self.route(['job-exes'], {'cluster_id': self.v1,
                                          'page_size': '100'})
        last = self.route(['job-exes'], {'clusterId': self.v1,
                                         'page_size': '100',
                                         'current_page': '2'})
        self.assertEqual((100, 160 - 100), (len(first['job_executions']),
                                            len(last['job_executions'])))
        self.assertEqual(160, first['totalRecord'])
        ids = [e['id'] for e in first['job_executions'] +
               last['job_executions']]
        self.assertEqual(160, len(set(ids)))
        self.assertEqual(10, len(self.route(
            ['job-exes'], {'cluster_id': self.v1})['job_executions']))

    def test_job_exes_need_a_cluster_and_a_page_size_in_range(self):
        for query in ({}, {'cluster_id': self.v1, 'page_size': '101'},
                      {'cluster_id': self.v1, 'current_page': '0'}):
            self.assertEqual((400, '12000002'),
                             self.refused(['job-exes'], query))

    def test_job_execution_limit_in_the_api_refs_range(self):
        self.assertEqual(172, len(self.route(
            ['job-executions'], {'limit': '1073741822'})['job_executions']))
        self.assertEqual((400, '12000002'), self.refused(
            ['job-executions'], {'limit': '1073741823'}))
