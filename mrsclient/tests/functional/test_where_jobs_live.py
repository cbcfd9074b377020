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

"""Each job is sent where it lives, through the real ``openstack`` command.

A simulator of each test's own: these tests kill and delete what the
seeded project's other tests list.
"""

import os
import subprocess
import time

from mrsclient.tests.functional import base

MRS = 'openstack --os-cloud mrs-simulator mrs job execution'


class TestWhereJobsLive(base.StartedSimulator):

    def statuses(self):
        listed = self.mrs('list', '-f', 'json')
        self.assertSucceeded(listed)
        return {row['id']: row['state'] for row in listed.json()}

    def test_list_then_xargs_cancel_cancels_every_running_job(self):
        # What the operator types: the ids of the RUNNING jobs, V1.1 and
        # V2 clusters' alike, to one cancel.
        env = self.clean_env(
            {'PATH': os.path.dirname(base.OPENSTACK) + os.pathsep
             + os.environ['PATH']})
        running = [key for key, status in self.statuses().items()
                   if status == 'RUNNING']
        done = subprocess.run(
            f'{MRS} list -f value -c id -c state | '
            f'awk \'$2=="RUNNING"{{print $1}}\' | xargs {MRS} cancel -f '
            'value -c id', shell=True, capture_output=True, text=True,
            env=env, timeout=120)
        self.assertNotIn('12000085', done.stderr)
        # The only failures: kills whose answers the gateway lost, the
        # job still RUNNING when read (they take effect: below).
        lost = set(self.v2['lossy'])
        self.assertEqual(sorted(set(running) - lost),
                         sorted(done.stdout.split()))
        failed = [line for line in done.stderr.splitlines()
                  if line.startswith('Failed')]
        self.assertEqual(len(lost), len(failed), done.stderr)
        for line in failed:
            self.assertIn('the kill may yet take effect', line)
            self.assertTrue(any(key in line for key in lost), line)
        # Every one is killed; a "stuck" job accepts kills and never dies.
        stuck = set(self.v11['stuck']) | set(self.v2['stuck'])
        deadline = time.monotonic() + 15
        while True:
            now = self.statuses()
            alive = [key for key in running
                     if now[key] != 'KILLED' and key not in stuck]
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual([], alive)

    def test_an_old_clusters_jobs_with_its_cluster(self):
        # --cluster of a cluster before MRS 1.9.2: V2 answers 0167, and
        # the calls go to V1.1, said at -v.
        old = ('--cluster', self.clusters['v1'])
        job = self.v11['running'][0]
        shown = self.mrs('show', *old, job, '-v', '-f', 'json')
        self.assertEqual(0, shown.code, shown)
        self.assertEqual('RUNNING', shown.json()['state'])
        self.assertIn(f'Cluster {self.clusters["v1"]} runs an MRS version '
                      'before 1.9.2', shown.err)
        cancelled = self.mrs('cancel', *old, job, '--wait',
                             '--poll-interval', '0.3', '-f', 'value', '-c',
                             'state')
        self.assertEqual(0, cancelled.code, cancelled)
        self.assertEqual('KILLED\n', cancelled.out)
        waited = self.mrs('wait', *old, self.v11['succeeded'][0], '-f',
                          'value', '-c', 'state')
        self.assertSucceeded(waited)
        self.assertEqual('FINISHED\n', waited.out)
        deleted = self.mrs('delete', *old, job, self.v11['succeeded'][0])
        self.assertSucceeded(deleted)
        self.assertNotIn(job, self.statuses())

    def test_an_old_clusters_list_with_its_cluster(self):
        # As show, cancel, delete and wait route: the V1.1 list of the
        # cluster's jobs, in V1.1's fields.
        old = self.clusters['v1']
        listed = self.mrs('list', '--cluster', old, '-f', 'json')
        self.assertEqual(0, listed.code, listed)
        mine = {row['id']: row['state'] for row in self.mrs(
            'list', '-f', 'json', '-c', 'id', '-c', 'cluster_id', '-c',
            'state').json() if row['cluster_id'] == old}
        self.assertEqual(mine, {row['id']: row['state']
                                for row in listed.json()})
        self.assertIn(self.v11['running'][0], mine)
        running = self.mrs('list', '--cluster', old, '--state', 'running',
                           '--limit', '1', '-f', 'value', '-c', 'state')
        self.assertEqual((0, 'RUNNING\n'), (running.code, running.out),
                         running)
        named = self.mrs('list', '--cluster', old, '--name', 'pi')
        self.assertOneLineError(named, 'whose jobs are listed through the '
                                       'V1.1 API, which has no filter '
                                       'job_name')

    def test_a_v1_id_of_a_v2_clusters_job_is_deleted_there(self):
        job = self.v2['succeeded'][0]
        deleted = self.mrs('delete', job, '-v')
        self.assertEqual(0, deleted.code, deleted)
        self.assertIn(f'runs on cluster {self.clusters["v2"]}, whose jobs '
                      'only the V2 API manages: deleting it there.',
                      deleted.err)
        self.assertNotIn(job, self.statuses())

    def test_a_v1_id_of_a_running_v2_job_needs_force_there(self):
        # V2's rule (only ended jobs are deleted) on the routed delete too.
        job = self.v2['running'][0]
        refused = self.mrs('delete', job)
        self.assertEqual(1, refused.code, refused)
        self.assertIn(f'Job {job} of cluster {self.clusters["v2"]} is '
                      'RUNNING: not deleted, it has not ended. Cancel it '
                      'first (cancel --wait), or delete it with --force.',
                      refused.err)
        self.assertNotIn('Traceback', refused.err)
        shown = self.mrs('show', '--cluster', self.clusters['v2'], job,
                         '-f', 'value', '-c', 'state')
        self.assertEqual('RUNNING\n', shown.out, shown)
        forced = self.mrs('delete', job, '--force')
        self.assertEqual(0, forced.code, forced)
        gone = self.mrs('show', '--cluster', self.clusters['v2'], job)
        self.assertEqual(1, gone.code, gone)

    def test_no_sql_results_on_an_old_cluster(self):
        self.assertOneLineError(
            self.mrs('result', 'list', '--cluster', self.clusters['v1'],
                     self.v11['succeeded'][0]),
            '0167', 'SQL results exist only on clusters of MRS 1.9.2 and '
                    'later; this cluster runs an older version.')

    def test_an_old_cluster_takes_a_job_in_the_v11_fields(self):
        old = self.clusters['v1']
        created = self.mrs(
            'create', '--cluster', old, '--type', 'MapReduce', '--name',
            'wc', '--jar', 's3a://demo/program/wc.jar', '--input',
            's3a://demo/in', '--output', 's3a://demo/out', '--wait',
            '--poll-interval', '0.3', '-f', 'json', '--', 'wordcount')
        self.assertEqual(0, created.code, created)
        job = created.json()
        self.assertEqual(('FINISHED', old),
                         (job['state'], job['cluster_id']))
        self.assertEqual(f'Job {job["id"]} submitted to cluster {old}.',
                         created.err.splitlines()[0])
        self.assertEqual(['wordcount'], job['job_configs']['args'])
        # The V2 form there is one line saying which form it takes.
        self.assertOneLineError(
            self.mrs('create', '--cluster', old, '--type', 'MapReduce',
                     '--name', 'wc', '--', 's3a://demo/program/wc.jar'),
            '0167', 'whose jobs the V1.1 API takes: give the program with '
                    '--jar')
        # The V1.1 form on a newer cluster likewise.
        self.assertOneLineError(
            self.mrs('create', '--cluster', self.clusters['v2'], '--type',
                     'MapReduce', '--name', 'wc', '--jar', '/wc.jar'),
            '12000085', 'only the V2 API takes')
