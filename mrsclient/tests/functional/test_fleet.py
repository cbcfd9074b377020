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

"""Fleet scale: nothing lost under the API's flow control.

A simulator of its own answers beyond 20 requests a second 429 with
``Retry-After``; the faulty server throttles for ever, or once to a POST.
"""


from mrsclient.tests.functional import base
from mrsclient.tests.functional.servers import faulty
from mrsclient.tests.functional import test_faults
from mrsclient.tests.unit import fakes

RATE = 20


class TestThrottledSimulator(base.OwnSimulator):

    def setUp(self):
        super().setUp()
        self.start('--rate-limit', str(RATE), '--extra-jobs', '100',
                   '--fleet', '40')

    def test_delete_100_and_cancel_40_lose_nothing(self):
        ids = self.sim['job_executions']['extra']
        result, elapsed = self.net_time(lambda: self.mrs('delete', *ids))
        self.assertSucceeded(result)
        self.assertGreater(self.throttled(), 0)  # it was throttled
        # 100 at 20 a second: 5 s, net of openstack's start.
        self.assertLess(elapsed, 1.5 * 100 / RATE + 2, result)
        fleet = self.sim['jobs']['fleet']
        result = self.mrs('cancel', '--cluster', self.sim['clusters'][
            'fleet'], *fleet, '-f', 'value', '-c', 'id')
        self.assertSucceeded(result)
        self.assertEqual(fleet, result.out.split())
        listed = self.mrs('list', '--cluster', self.sim['clusters']['fleet'],
                          '--state', 'running', '-f', 'json')
        self.assertEqual([], listed.json())


class TestThrottlingFaults(test_faults.FaultTestCase):

    def test_429_for_ever_ends_with_one_line_within_the_bound(self):
        result, elapsed = self.net_time(lambda: self.mrs('show', 'throttle'))
        self.assertOneLineError(
            result, 'Failed to show job execution throttle: HTTP 429 '
                    'APIGW.0308', 'The API is throttling requests')
        self.assertEqual(10, self.seen('throttle'))
        # 9 waits of 0.2 s, each send spaced at most 1 s by the pace
        # (nothing got through: it keeps to 1 a second), net of the start.
        self.assertLess(elapsed, 9 * (0.2 + 1) + 2, result)

    def test_a_post_answered_429_is_sent_again(self):
        cluster, job = fakes.CLUSTER_ID, faulty.IDS['throttled-once']
        result = self.mrs('cancel', '--cluster', cluster, job, '-f',
                          'value', '-c', 'id')
        self.assertEqual(0, result.code, result)
        self.assertEqual(
            2, self.server.seen[f'/v2/{fakes.PROJECT_ID}/clusters/{cluster}/'
                                f'job-executions/{job}/kill'])


class TestNameAmongMany(base.OwnSimulator):
    """A job named among 5,000 costs a few requests, not 50 pages."""

    def test_show_by_name_on_a_cluster_of_5000(self):
        self.start('--fleet', '5000')
        before = self.admitted()
        # The cluster by name too: cluster_infos, the filtered list, show.
        result = self.mrs('show', '--cluster', 'fleet', 'fleet-4321', '-f',
                          'value', '-c', 'name')
        self.assertSucceeded(result)
        self.assertEqual('fleet-4321\n', result.out)
        self.assertLessEqual(self.admitted() - before, 3)


class TestProjectWideList(base.OwnSimulator):
    """A project-wide list costs pages, not rows."""

    def test_320_executions_their_info_null_in_9_requests(self):
        # The seeded demo project holds 22 executions: 298 more make 320.
        self.start('--extra-jobs', '298')
        before = self.admitted()
        result = self.mrs('list', '-f', 'value', '-c', 'id', '-c', 'state')
        self.assertSucceeded(result)
        rows = [line.split() for line in result.out.splitlines()]
        self.assertEqual(320, len(rows))
        extra = set(self.sim['job_executions']['extra'])
        self.assertEqual({'FINISHED'}, {status for key, status in rows
                                        if key in extra})
        # ceil(320 / 100) + 5
        self.assertLessEqual(self.admitted() - before, 9)
