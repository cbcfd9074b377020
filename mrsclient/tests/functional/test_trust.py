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

"""Exit codes, masks and output a script can trust (issue "Trust").

One test per row of what was seen to lie, through the real ``openstack``
command against mrs-simulator and the faulty server.
"""

import json
import signal
import subprocess
import time

from mrsclient.tests.functional import base
from mrsclient.tests.functional import test_faults
from mrsclient.tests.functional import test_simulator

WAIT = test_simulator.WAIT
SECRET = 'SK-never-shown-0xfeedface'
UNKNOWN_CLUSTER = '5e7a2fbd-0000-4000-8000-00000000c1a5'


class TestSuccessIsTheIntent(test_simulator.SimulatorTestCase):

    cloud = 'mrs-simulator-other'

    def create(self, *argv):
        return self.mrs('create', '--cluster', self.clusters['v2_other'],
                        '--type', 'SparkSubmit', '--name', 'etl', *argv)

    def test_create_wait_on_finished_failed_exits_1(self):
        result = self.create('--property', 'mrs.simulator.result=FAILED',
                             *WAIT, '-f', 'json')
        self.assertEqual(1, result.code, result)
        job = json.loads(result.out)
        self.assertEqual(('FINISHED', 'FAILED'),
                         (job['state'], job['result']))
        err = result.err.splitlines()
        self.assertEqual(f'Job {job["id"]} submitted to cluster '
                         f'{self.clusters["v2_other"]}.', err[0])
        # Where to look comes with it: how long, and YARN's page.
        self.assertEqual(f'Job {job["id"]} of cluster '
                         f'{self.clusters["v2_other"]} ended FINISHED with '
                         f'the result FAILED; it ran 1s, its logs: '
                         f'{job["tracking_url"]}.', err[-1])

    def test_lost_answers_of_changes_that_took_effect(self):
        # V1.1 cancel answered 502 after it took effect (demo project).
        job = self.ids['lossy'][0]
        result = self.mrs('cancel', job, '-v', '-f', 'value', '-c', 'id',
                          cloud='mrs-simulator')
        self.assertEqual(0, result.code, result)
        self.assertEqual(job, result.out.strip())
        self.assertIn('was lost', result.err)
        # V2 kill answered 504 after it took effect, under --wait.
        job = self.jobs['lossy'][0]
        result = self.mrs('cancel', '--cluster', self.cluster, job, *WAIT,
                          '-f', 'value', '-c', 'state',
                          cloud='mrs-simulator')
        self.assertEqual(0, result.code, result)
        self.assertEqual('KILLED', result.out.strip())
        # V1.1 delete and V2 batch delete answered 504 after taking effect.
        v11, v2 = self.ids['lossy_scratch'][0], self.jobs['lossy_scratch']
        self.assertSucceeded(self.mrs('delete', v11))
        self.assertSucceeded(self.mrs('delete', '--cluster',
                                      self.clusters['v2_other'], *v2))
        self.assertOneLineError(self.mrs('show', v11), 'HTTP 500 0176')


class TestChecksBeforeChanges(test_simulator.SimulatorTestCase):

    def test_a_bad_poll_interval_kills_and_submits_nothing(self):
        job = self.jobs['running'][0]
        for argv in (['cancel', '--cluster', self.cluster, job],
                     ['create', '--cluster', self.cluster, '--type',
                      'Flink', '--name', 'never-submitted']):
            result = self.mrs(*argv, '--wait', '--poll-interval', '0')
            self.assertEqual(2, result.code, result)
            self.assertIn("'0' is not a number of seconds above 0",
                          result.err)
            result = self.mrs(*argv, '--timeout', '5')
            self.assertEqual(2, result.code, result)
            self.assertIn('--timeout can only be used with --wait',
                          result.err)
        shown = self.mrs('show', '--cluster', self.cluster, job, '-f',
                         'value', '-c', 'state')
        self.assertEqual('RUNNING', shown.out.strip())
        listed = self.mrs('list', '--cluster', self.cluster, '--name',
                          'never-submitted', '-f', 'json')
        self.assertEqual([], listed.json())

    def test_a_column_the_answer_lacks_after_a_cancel(self):
        # cliff would fail on -c after the kill was sent: exit 1 for a
        # job that is being killed.
        job = self.ids['running'][2]
        result = self.mrs('cancel', job, '-c', 'id', '-c', 'no_such_field',
                          '-f', 'json')
        self.assertSucceeded(result)
        self.assertEqual({'id': job, 'no_such_field': None}, result.json())


class TestSecretsEverywhere(test_simulator.SimulatorTestCase):

    cloud = 'mrs-simulator-other'

    def test_a_secret_argument_never_shows(self):
        cluster = self.clusters['v2_other']
        result = self.mrs('create', '--cluster', cluster, '--type',
                          'SparkSubmit', '--name', 'secretive',
                          '--arg=--conf', '--arg',
                          f'spark.hadoop.fs.obs.secret.key={SECRET}',
                          f'--arg=-Dfs.obs.access.key={SECRET}',
                          '-f', 'json')
        self.assertEqual(0, result.code, result)
        job = result.json()['id']
        outputs = [result]
        for formatter in ('json', 'yaml', 'value', 'shell', 'table'):
            outputs.append(self.mrs('show', '--cluster', cluster, job, '-f',
                                    formatter))
        for formatter in ('json', 'csv', 'value', 'table'):
            outputs.append(self.mrs('list', '--cluster', cluster, '--long',
                                    '-f', formatter))
        outputs.append(self.mrs('show', '--cluster', cluster, job, '--debug'))
        for output in outputs:
            self.assertEqual(0, output.code, output)
            self.assertNotIn(SECRET, output.out + output.err)
        self.assertIn('spark.hadoop.fs.obs.secret.key=***', outputs[1].out)


class TestOneDocument(test_simulator.SimulatorTestCase):

    def test_several_ids_are_one_document(self):
        a, b = self.jobs['succeeded'][0], self.jobs['failed'][0]
        result = self.mrs('show', '--cluster', self.cluster, a, b, '-f',
                          'json')
        self.assertSucceeded(result)
        self.assertEqual([a, b], [job['id'] for job in result.json()])
        result = self.mrs('show', '--cluster', self.cluster, a, b, '-f',
                          'value', '-c', 'id', '-c', 'state')
        self.assertEqual(f'{a} FINISHED\n{b} FAILED\n', result.out)
        result = self.mrs('show', '--cluster', self.cluster, a, b, '-f',
                          'shell')
        self.assertEqual(2, result.code, result)
        self.assertIn('-f shell shows one job', result.err)
        # Cancel of two ended jobs under --wait: both already ended.
        result = self.mrs('cancel', '--cluster', self.cluster, a, b, *WAIT,
                          '-f', 'json', '-c', 'id')
        self.assertEqual(0, result.code, result)
        self.assertEqual([{'id': a}, {'id': b}], result.json())


class TestBatchFailsOnce(test_simulator.SimulatorTestCase):

    @staticmethod
    def mrs_requests(result):
        """The MRS requests of a --debug log (not Keystone's)."""
        return len([line for line in result.err.splitlines()
                    if 'REQ: curl' in line and '/clusters/' in line])

    def test_100_ids_on_an_unknown_cluster(self):
        ids = [f'5e7a2fbd-0000-4000-8000-{n:012d}' for n in range(100)]
        # --force: no read first, one batch that fails once. Without it,
        # the read of the states fails once, as one line.
        for force, first in (
                (['--force'], f'Failed to delete 100 jobs of cluster '
                              f'{UNKNOWN_CLUSTER}'),
                ([], f'Failed to list the jobs of cluster {UNKNOWN_CLUSTER}')):
            result = self.mrs('delete', '--cluster', UNKNOWN_CLUSTER, *ids,
                              *force, '--debug')
            self.assertEqual(1, result.code)
            self.assertEqual(1, self.mrs_requests(result))
            result = self.mrs('delete', '--cluster', UNKNOWN_CLUSTER, *ids,
                              *force)
            self.assertEqual(
                [f'{first}: HTTP 400 12000003: The cluster does not exist.',
                 '100 of 100 job executions failed to delete.'],
                [line.split(' (Request-ID')[0]
                 for line in result.err.splitlines()])

    def test_a_job_of_another_cluster(self):
        job = self.jobs['running'][0]
        result = self.mrs('show', '--cluster', self.clusters['v2_twin'], job)
        self.assertOneLineError(result, 'No such job on this cluster')
        self.assertNotIn('in this project', result.err)


class TestEveryFateReported(test_simulator.SimulatorTestCase):
    """A token revoked halfway: keystoneauth's Unauthorized on re-auth."""

    cloud = 'mrs-simulator-fragile'

    def test_delete_of_8_ids_reports_each(self):
        ids = (self.ids['fragile'][:3] + self.ids['revoke']
               + self.ids['fragile'][3:7])
        result = self.mrs('delete', *ids, '--parallel', '1')
        self.assertEqual(1, result.code, result)
        lines = result.err.splitlines()
        self.assertNotIn('Traceback', result.err)
        # Three deleted, then the revoke: each of the five has its line.
        self.assertEqual(6, len(lines), result.err)
        for key, line in zip(ids[3:], lines):
            self.assertIn(f'Failed to delete job execution {key}: ', line)
        self.assertEqual('5 of 8 job executions failed to delete.',
                         lines[-1])


class TestCtrlC(test_faults.FaultTestCase):

    def interrupted(self, argv, job, reads):
        """``(code, stdout, stderr)``: SIGINT once ``job`` is read ``reads``.

        ``argv`` follows ``openstack mrs job execution``.
        """
        process = subprocess.Popen(
            [base.OPENSTACK, 'mrs', 'job', 'execution', *argv],
            env=self.clean_env(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
            preexec_fn=base.interruptible)
        self.addCleanup(process.kill)
        deadline = time.monotonic() + 30
        path = f'/v1.1/{test_faults.fakes.PROJECT_ID}/job-executions/{job}'
        while self.server.seen[path] < reads:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        return process.returncode, out, err

    def test_ctrl_c_in_the_first_round_of_a_wait(self):
        # A read takes no effect: the line names each job followed and
        # that its state was never read, not requests that "may still
        # take effect". The first read hangs at "stall".
        code, out, err = self.interrupted(
            ['wait', 'stall', 'running', '--poll-interval', '0.2'],
            'stall', 1)
        self.assertEqual((130, ''), (code, out), err)
        self.assertEqual(['Stopped waiting for stall; its state was never '
                          'read.', 'Stopped waiting for running; its state '
                          'was never read.'], err.splitlines())

    def test_ctrl_c_during_wait_names_the_job(self):
        # Read twice: polling, inside the wait.
        code, out, err = self.interrupted(
            ['cancel', 'running', '--wait', '--poll-interval', '0.2'],
            'running', 2)
        self.assertEqual((130, ''), (code, out), err)
        self.assertEqual('Stopped waiting for running; its last state was '
                         'RUNNING.\n', err)
