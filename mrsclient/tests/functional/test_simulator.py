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

"""``openstack mrs job execution ...`` against mrs-simulator, V1.1 and V2.

The simulator answers with MRS's own error bodies and codes, which Sahara
does not have, speaks the cluster-scoped V2 API, and lets a killed job
die after a delay (1 s here), so ``--wait`` has something to wait for.
"""

import datetime
import json
import os
import time

import fixtures

from mrsclient.tests.functional import base
from mrsclient.tests.unit import fakes

WAIT = ('--wait', '--poll-interval', '0.3')


class SimulatorTestCase(base.CLITestCase):

    cloud = 'mrs-simulator'

    def setUp(self):
        super().setUp()
        servers = base.servers()
        self.env = {'OS_CLIENT_CONFIG_FILE': servers['clouds_yaml']}
        simulator = servers['simulator']
        self.ids = simulator['job_executions']
        self.jobs = simulator['jobs']
        self.clusters = simulator['clusters']
        self.cluster = self.clusters['v2']
        self.projects = simulator['projects']


class TestV11OnSimulator(SimulatorTestCase):

    def test_cancel_then_cancel_again(self):
        running = self.ids['running'][0]
        result = self.mrs('cancel', running)
        self.assertSucceeded(result)
        for field in fakes.CANCEL_EXAMPLE['job_execution']:
            self.assertIn(f'| {field} ', result.out)
        # The answer is the job as it was before the cancel.
        self.assertIn('{"status": "RUNNING"}', result.out)
        # Empty nested objects show whole, with no dangling separator.
        self.assertIn('"params": {}}', result.out)
        self.assertNotIn(', |', result.out)
        deadline = time.monotonic() + 10
        while 'KILLED' not in self.mrs('show', running, '-c', 'info').out:
            self.assertLess(time.monotonic(), deadline)
        # It is KILLED now: another cancel has nothing to do, and what
        # was asked (the job no longer runs) holds: exit 0, one line.
        again = self.mrs('cancel', running, '-f', 'value', '-c', 'state')
        self.assertEqual((0, 'KILLED\n'), (again.code, again.out), again)
        self.assertEqual(f'{running}: it had already ended (KILLED).\n',
                         again.err)

    def test_cancel_wait_reaches_killed(self):
        running = self.ids['running'][1]
        result = self.mrs('cancel', running, *WAIT, '-f', 'json')
        self.assertEqual(0, result.code, result)
        self.assertEqual(f'{running}: RUNNING -> KILLED\n', result.err)
        self.assertEqual({'status': 'KILLED'}, result.json()['info'])

    def test_cancel_finished_execution(self):
        # The job no longer runs, as asked: a success, and one line.
        job = self.ids['succeeded'][0]
        result = self.mrs('cancel', job, '-f', 'value', '-c', 'state')
        self.assertEqual((0, 'FINISHED\n'), (result.code, result.out), result)
        self.assertEqual(f'{job}: it had already ended (FINISHED).\n',
                         result.err)

    def test_a_job_of_a_v2_only_cluster_is_cancelled_there(self):
        # What list shows, cancel takes: the V1.1 id of a V2 cluster's job.
        job = self.ids['v2_only'][0]
        result = self.mrs('cancel', job, *WAIT, '-v', '-f', 'value', '-c',
                          'state')
        self.assertEqual(0, result.code, result)
        self.assertEqual('KILLED', result.out.strip())
        self.assertIn(f'runs on cluster {self.cluster}, whose jobs only the '
                      'V2 API manages: cancelling it there.', result.err)
        shown = self.mrs('show', '--cluster', self.cluster, job, '-f', 'json')
        self.assertSucceeded(shown)
        self.assertEqual('KILLED', shown.json()['state'])

    def test_unknown_and_foreign_ids(self):
        for job_execution in ('no-such-job', self.ids['other_project'][0]):
            self.assertOneLineError(
                self.mrs('cancel', job_execution),
                'HTTP 500 0176: The job does not exist. No such job in '
                'this project')

    def test_list_and_show(self):
        result = self.mrs('list', '-f', 'json')
        self.assertSucceeded(result)
        listed = {row['id']: row for row in result.json()}
        # The demo project's 10 V1.1-cluster and 12 V2-cluster jobs.
        self.assertEqual(22, len(result.json()))
        self.assertIn(self.ids['succeeded'][0], listed)
        self.assertNotIn(self.ids['other_project'][0], listed)
        self.assertEqual('FINISHED', listed[self.ids['succeeded'][0]]
                         ['state'])
        # Each job's cluster, what --cluster takes: the columns of every
        # list, whichever API has the jobs.
        self.assertEqual(['id', 'name', 'cluster_id', 'state', 'result'],
                         list(result.json()[0]))
        self.assertEqual(self.clusters['v1'], listed[self.ids['succeeded'][0]]
                         ['cluster_id'])
        result = self.mrs('show', self.ids['killed'][0], '-f', 'json')
        self.assertSucceeded(result)
        shown = result.json()
        self.assertEqual(sorted([*fakes.CANCEL_EXAMPLE['job_execution'],
                                 'name', 'state', 'result']), sorted(shown))
        self.assertEqual(self.projects['demo'], shown['tenant_id'])
        self.assertEqual(['wordcount', 'obs://demo/in', 'obs://demo/out'],
                         shown['job_configs']['args'])

    def test_wait_reads_the_job_exe_when_info_is_null(self):
        # A killed job is KILLED whatever record its state came from.
        job = self.ids['info_null'][0]
        result = self.mrs('cancel', job, *WAIT, '-c', 'id', '-c', 'state',
                          '-f', 'value')
        self.assertEqual(0, result.code, result)
        self.assertEqual(f'{job}\nKILLED', result.out.strip())
        self.assertEqual(f'{job}: RUNNING\n{job}: RUNNING -> KILLED\n',
                         result.err)


class TestV2OnSimulator(SimulatorTestCase):

    def test_list_fits_80_columns_and_filters(self):
        result = self.mrs('list', '--cluster', self.cluster)
        self.assertSucceeded(result)
        for job in self.jobs['succeeded'] + self.jobs['failed']:
            self.assertIn(job, result.out)
        result = self.mrs('list', '--cluster', self.cluster, '--type',
                          'hivesql', '-f', 'json', '--long')
        self.assertSucceeded(result)
        (row,) = result.json()
        self.assertEqual(('HiveSql', 'FINISHED', 'SUCCEEDED'),
                         (row['job_type'], row['state'],
                          row['result']))
        # A time filter goes out in the API's milliseconds.
        submitted = datetime.datetime.fromisoformat(row['created_at'] + 'Z')
        result = self.mrs('list', '--cluster', self.cluster,
                          '--submitted-after', submitted.isoformat(),
                          '--submitted-before', (
                              submitted + datetime.timedelta(seconds=1)
                          ).isoformat(),
                          '-f', 'value', '-c', 'id')
        self.assertEqual(row['id'], result.out.strip())

    def test_list_pages(self):
        everything = self.mrs('list', '--cluster', self.cluster, '-f', 'json')
        ids = [row['id'] for row in everything.json()]
        pages = []
        for page in (1, 2, 3):
            result = self.mrs('list', '--cluster', self.cluster, '--limit',
                              '3', '--page', str(page), '-f', 'json')
            self.assertSucceeded(result)
            pages += [row['id'] for row in result.json()]
        self.assertEqual(ids[:9], pages)

    def test_show_times_in_one_form_in_every_format(self):
        job = self.jobs['succeeded'][0]
        table = self.mrs('show', '--cluster', self.cluster, job)
        self.assertSucceeded(table)
        raw = self.mrs('show', '--cluster', self.cluster, job, '-f', 'json')
        shown = raw.json()
        # V1.1's form, 2017-05-25T07:28:12 (UTC), in the table and json.
        datetime.datetime.strptime(shown['created_at'], '%Y-%m-%dT%H:%M:%S')
        self.assertIn(f'| created_at   | {shown["created_at"]} ', table.out)
        self.assertIsInstance(shown['arguments'], str)

    def test_cancel_wait_reaches_killed(self):
        job = self.jobs['running'][1]
        result = self.mrs('cancel', '--cluster', self.cluster, job, *WAIT,
                          '-f', 'json')
        self.assertEqual(0, result.code, result)
        self.assertEqual(f'{job}: RUNNING -> KILLED\n', result.err)
        self.assertEqual(('KILLED', 'KILLED'),
                         (result.json()['state'],
                          result.json()['result']))

    def test_wait_timeout_on_a_job_that_never_dies(self):
        job = self.jobs['stuck'][0]
        # The start of an openstack process, on this machine now.
        start = time.monotonic()
        self.assertSucceeded(self.mrs('show', '--cluster', self.cluster, job,
                                      '-c', 'id'))
        started = time.monotonic() - start
        start = time.monotonic()
        result = self.mrs('cancel', '--cluster', self.cluster, job,
                          '--wait', '--timeout', '3', '--poll-interval', '1',
                          '-f', 'json')
        elapsed = time.monotonic() - start
        self.assertEqual(124, result.code, result)
        self.assertEqual(('RUNNING', job), (result.json()['state'],
                                            result.json()['id']))
        self.assertEqual(
            f'Timed out after 3 s waiting for job execution {job} to end; '
            'its last state was RUNNING.\n', result.err)
        # 3 s plus one poll, beyond the start of the openstack process.
        self.assertLess(elapsed - started, 3 + 1 + 1, result)

    def test_several_ids_one_failing(self):
        a, b = self.jobs['running'][2:4]
        nope = '5e7a2fbd-0000-4000-8000-000000000000'
        result = self.mrs('cancel', '--cluster', self.cluster, a, nope, b,
                          *WAIT, '-f', 'json')
        self.assertEqual(1, result.code, result)
        self.assertEqual([(a, 'KILLED'), (b, 'KILLED')],
                         [(d['id'], d['state'])
                          for d in result.documents()])
        errors = [line for line in result.err.splitlines()
                  if ' -> ' not in line]
        self.assertEqual(2, len(errors), result.err)
        self.assertIn(f'Failed to cancel job {nope} of cluster '
                      f'{self.cluster}: HTTP 500 0201: The job does not '
                      'exist.', errors[0])
        self.assertEqual('1 of 3 job executions failed to cancel.',
                         errors[1])
        self.assertNotIn('Traceback', result.err)

    def test_an_ended_job_is_not_killed_and_that_is_fine(self):
        job = self.jobs['failed'][0]
        result = self.mrs('cancel', '--cluster', self.cluster, job, '-f',
                          'value', '-c', 'state')
        self.assertEqual((0, 'FAILED\n'), (result.code, result.out), result)
        self.assertEqual(f'{job}: it had already ended (FAILED).\n',
                         result.err)

    def test_v1_cluster_and_unknown_cluster(self):
        unknown = '5e7a2fbd-0000-4000-8000-000000000000'
        self.assertOneLineError(
            self.mrs('list', '--cluster', unknown),
            f'Failed to list the jobs of cluster {unknown}: HTTP 400 '
            '12000003: The cluster does not exist.')
        # An old cluster: its jobs through V1.1 (test_where_jobs_live).
        old = self.mrs('list', '--cluster', self.clusters['v1'], '-f',
                       'value', '-c', 'cluster_id')
        self.assertSucceeded(old)
        self.assertEqual({self.clusters['v1']}, set(old.out.split()))


class TestNamesOnSimulator(SimulatorTestCase):
    """A cluster and a job named rather than given by id."""

    def test_a_cluster_by_name(self):
        by_name = self.mrs('list', '--cluster', 'analytics-v2', '-f',
                           'value', '-c', 'id')
        by_id = self.mrs('list', '--cluster', self.cluster, '-f', 'value',
                         '-c', 'id')
        self.assertSucceeded(by_name)
        self.assertEqual(set(by_id.out.split()), set(by_name.out.split()))

    def test_a_name_two_clusters_share(self):
        self.assertOneLineError(
            self.mrs('list', '--cluster', 'analytics'),
            "2 clusters are named 'analytics' in this project: ",
            self.clusters['v1'], self.clusters['v2_twin'], 'Give the id.')
        self.assertOneLineError(
            self.mrs('list', '--cluster', 'nope'),
            "No cluster named 'nope' (or with that id) in this project.")

    def test_a_job_by_name(self):
        result = self.mrs('show', '--cluster', 'analytics-v2', 'report',
                          '-f', 'value', '-c', 'id')
        self.assertSucceeded(result)
        self.assertEqual(self.jobs['succeeded'], result.out.split())
        # Five jobs are named pi: one line naming them, the rest still run.
        result = self.mrs('show', '--cluster', 'analytics-v2', 'pi',
                          'report', '-f', 'value', '-c', 'id')
        self.assertEqual(1, result.code, result)
        self.assertEqual(self.jobs['succeeded'], result.out.split())
        errors = result.err.splitlines()
        self.assertIn("5 jobs are named 'pi' on cluster", errors[0])
        self.assertEqual('1 of 2 job executions failed to show.',
                         errors[1])


class TestOtherPluginsOnSimulator(SimulatorTestCase):
    """python-otcextensions' ``mrs cluster ...`` against the simulator."""

    def test_otcextensions_lists_the_clusters(self):
        result = self.openstack('--os-cloud', self.cloud, 'mrs', 'cluster',
                                'list', '-f', 'json')
        self.assertSucceeded(result)
        listed = {cluster['id']: cluster for cluster in result.json()}
        for key in ('v1', 'v2', 'v2_twin'):
            self.assertIn(self.clusters[key], listed)
        self.assertEqual('MRS 1.8.10',
                         listed[self.clusters['v1']]['version'])
        self.assertEqual('running', listed[self.clusters['v2']]['status'])


class TestDeleteOnSimulator(SimulatorTestCase):
    """In the other project, apart from what the demo's tests list."""

    cloud = 'mrs-simulator-other'

    def test_v11_several_ids_one_unknown(self):
        a, b = self.ids['other_scratch'][:2]
        result = self.mrs('delete', a, 'nope', b, '--parallel', '3')
        self.assertEqual(1, result.code, result)
        self.assertEqual('', result.out)
        self.assertEqual(
            ['Failed to delete job execution nope: HTTP 500 0176: The job '
             'does not exist.',
             '1 of 3 job executions failed to delete.'],
            [line.split(' No such job')[0] for line in
             result.err.splitlines()])
        for job_execution in (a, b):
            self.assertOneLineError(self.mrs('show', job_execution),
                                    'HTTP 500 0176')

    def test_v2_batch_with_one_unknown(self):
        cluster = self.clusters['v2_other']
        a, b, c, d = self.jobs['scratch']
        nope = '5e7a2fbd-0000-4000-8000-000000000000'
        result = self.mrs('delete', '--cluster', cluster, a, nope, b)
        self.assertEqual(1, result.code, result)
        self.assertEqual('', result.out)
        errors = result.err.splitlines()
        self.assertEqual(2, len(errors), result.err)
        # The delete's own line (as with --force), no batch spent on it.
        self.assertTrue(errors[0].startswith(
            f'Failed to delete job {nope} of cluster {cluster}: HTTP 500 '
            '0201: The job does not exist. No such job on this cluster'),
            errors[0])
        self.assertEqual('1 of 3 job executions failed to delete.',
                         errors[1])
        left = set(self.mrs('list', '--cluster', cluster, '-f', 'value',
                            '-c', 'id').out.split())
        self.assertTrue({c, d} <= left, left)
        self.assertFalse({a, b} & left, left)


class TestParallelOnSimulator(SimulatorTestCase):

    def test_results_come_in_the_order_given(self):
        ids = (self.ids['running'] + self.ids['succeeded']
               + self.ids['killed'])[::-1]
        result = self.mrs('show', *ids, 'nope', '--parallel', '10',
                          '-f', 'value', '-c', 'id')
        self.assertEqual(1, result.code, result)
        self.assertEqual(ids, result.out.split())
        self.assertIn('Failed to show job execution nope', result.err)


class TestCreateOnSimulator(SimulatorTestCase):
    """Submit to the other project's V2 cluster: jobs run 1 s, then end."""

    cloud = 'mrs-simulator-other'
    secret = 'SK-never-shown-0xdeadbeef'

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_submit_and_wait_secrets_never_show(self):
        keys = self.file('obs.yaml', f'fs.obs.secret.key: {self.secret}\n'
                                     'fs.obs.endpoint: obs.example.com\n')
        result = self.mrs(
            'create', '--cluster', self.clusters['v2_other'], '--type',
            'MapReduce', '--name', 'wordcount', '--arg', 'obs://b/p.jar',
            '--arg', 'wordcount', '--property-file', keys, '--property',
            f'fs.obs.access.key={self.secret}', *WAIT, '-f', 'json')
        self.assertEqual(0, result.code, result)
        job = result.json()
        self.assertEqual(('wordcount', 'MapReduce', 'FINISHED'),
                         (job['name'], job['job_type'],
                          job['state']))
        self.assertEqual('[obs://b/p.jar, wordcount]', job['arguments'])
        self.assertIn('fs.obs.secret.key=***', job['properties'])
        self.assertIn('fs.obs.endpoint=obs.example.com', job['properties'])
        self.assertEqual(f'Job {job["id"]} submitted to cluster '
                         f'{self.clusters["v2_other"]}.\n'
                         f'{job["id"]}: RUNNING -> FINISHED\n',
                         result.err)
        self.assertNotIn(self.secret, result.out + result.err)
        shown = self.mrs('show', '--cluster', self.clusters['v2_other'],
                         job['id'])
        self.assertSucceeded(shown)
        self.assertNotIn(self.secret, shown.out)

    def test_body_file_with_debug(self):
        body = self.file('job.json', json.dumps({
            'job_type': 'SparkSubmit', 'job_name': 'pi',
            'arguments': ['--class', 'org.example.Pi', 'obs://b/pi.jar'],
            'properties': {'fs.obs.secret.key': self.secret}}))
        result = self.mrs('create', '--cluster', self.clusters['v2_other'],
                          '--body-file', body, '--debug')
        self.assertEqual(0, result.code, result)
        self.assertIn('"fs.obs.secret.key": "***"', result.err)
        self.assertNotIn(self.secret, result.out + result.err)

    def test_a_bad_name_sends_nothing(self):
        self.assertOneLineError(
            self.mrs('create', '--cluster', self.clusters['v2_other'],
                     '--type', 'Flink', '--name', 'no spaces please'),
            "job_name 'no spaces please' must be 1 to 64 letters")
