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

"""What operators trip on, scripting with cron, jq and xargs."""

import subprocess

from mrsclient.tests.functional import base

POLL = ('--poll-interval', '0.3')


class TestOperators(base.StartedSimulator):

    def test_quiet_cancel_wait_says_nothing(self):
        # cron mails what a job prints on stderr: nothing when it worked.
        result = self.openstack(
            '--os-cloud', 'mrs-simulator', '-q', 'mrs', 'job', 'execution',
            'cancel', self.v11['running'][0], self.v11['running'][1],
            '--wait', *POLL, '-f', 'value', '-c', 'state')
        self.assertEqual(0, result.code, result)
        self.assertEqual('', result.err)
        self.assertEqual('KILLED\nKILLED\n', result.out)

    def test_the_id_column_is_what_show_takes(self):
        # The id column is the execution's own id on V1.1 as on V2;
        # job_id is V1.1's job template, a column of its own.
        listed = self.mrs('list', '-f', 'json', '-c', 'id', '-c', 'job_id',
                          '--state', 'running')
        self.assertEqual(0, listed.code, listed)
        row = next(row for row in listed.json()
                   if row['id'] == self.v11['running'][0])
        self.assertNotEqual(row['id'], row['job_id'])
        result = self.mrs('show', row['id'], '-f', 'value', '-c', 'id')
        self.assertEqual((0, f'{row["id"]}\n'), (result.code, result.out),
                         result)

    def test_v11_states_are_checked_and_limit_counts_them(self):
        typo = self.mrs('list', '--state', 'runing')
        self.assertEqual(2, typo.code, typo)
        self.assertIn("argument --state: 'runing' is no state: one of ",
                      typo.err)
        self.assertEqual('', typo.out)
        # --limit N: N jobs in the state, not a page filtered afterwards.
        killed = self.mrs('list', '--state', 'killed', '--limit', '1',
                          '-f', 'value', '-c', 'state')
        self.assertEqual((0, 'KILLED\n'), (killed.code, killed.out),
                         killed)
        ended = self.mrs('list', '--state', 'ended', '--limit', '2',
                         '-f', 'value', '-c', 'state')
        self.assertEqual(2, len(ended.out.split()), ended)

    def test_outcomes_are_counted_apart(self):
        killed, running = self.v11['killed'][0], self.v11['running'][0]
        result = self.mrs('wait', '--timeout', '2', '--poll-interval',
                          '0.5', killed, running, '-f', 'value', '-c', 'id')
        # A job that ended badly outranks a timeout: exit 1.
        self.assertEqual(1, result.code, result)
        self.assertEqual('1 of 2 job executions ended badly (KILLED); 1 of '
                         '2 still RUNNING after 2 s.',
                         result.err.splitlines()[-1])
        self.assertNotIn('failed to end well', result.err)

    def test_a_state_not_read_is_said_so(self):
        # V1.1 ids of V2 jobs whose kill answers are lost.
        result = self.mrs('cancel', *self.v2['lossy'], '--wait', *POLL,
                          '-f', 'value', '-c', 'state')
        self.assertEqual(0, result.code, result)
        self.assertNotIn('None', result.err)

    def test_the_readmes_clean_up_when_nothing_matches(self):
        cluster = self.clusters['v2_twin']  # no job at all
        base_command = (f'{base.OPENSTACK} --os-cloud mrs-simulator mrs job '
                        'execution')
        done = subprocess.run(
            ['bash', '-o', 'pipefail', '-c',
             f'{base_command} list --cluster {cluster} --state ended -f '
             f'value -c id | xargs -r {base_command} delete --cluster '
             f'{cluster}'],
            capture_output=True, text=True, env=self.clean_env(),
            timeout=120)
        self.assertEqual(0, done.returncode, done)
        self.assertEqual('', done.stdout + done.stderr)

    def test_times_before_now(self):
        cluster = ('--cluster', self.clusters['v2'])
        every = self.mrs('list', *cluster, '-f', 'value', '-c', 'id')
        within = self.mrs('list', *cluster, '--submitted-after', '1h', '-f',
                          'value', '-c', 'id')
        self.assertEqual(0, within.code, within)
        # The seeded jobs were all submitted in the last ten minutes.
        self.assertEqual(sorted(every.out.split()), sorted(within.out.split()))
        none = self.mrs('list', *cluster, '--submitted-after', '1s', '-f',
                        'value', '-c', 'id')
        self.assertEqual((0, ''), (none.code, none.out), none)


class TestRequestCost(base.OwnSimulator):
    """What a command costs in MRS requests, counted by the simulator."""

    def setUp(self):
        super().setUp()
        self.start('--fleet', '30', '--extra-jobs', '20', '--kill-delay',
                   '100000')

    def test_a_plain_v2_cancel_shows_its_jobs_through_the_list(self):
        fleet = self.sim['jobs']['fleet']
        before = self.admitted()
        result = self.mrs('cancel', '--cluster', self.sim['clusters'][
            'fleet'], *fleet, '-f', 'value', '-c', 'id', '-c',
            'state')
        self.assertEqual(0, result.code, result)
        self.assertEqual(len(fleet), len(result.out.splitlines()))
        # A kill each, and the cluster's list once (not a show each).
        self.assertLessEqual(self.admitted() - before, len(fleet) + 2)

    def test_a_wait_on_ended_v11_executions_reads_each_once(self):
        extra = self.sim['job_executions']['extra']
        before = self.admitted()
        result = self.mrs('wait', *extra, '-f', 'value', '-c', 'state')
        self.assertEqual(0, result.code, result)
        self.assertEqual(['FINISHED'] * len(extra), result.out.split())
        # Their info is null: a show and the job-exe's state, each once.
        self.assertLessEqual(self.admitted() - before, 2 * len(extra))
