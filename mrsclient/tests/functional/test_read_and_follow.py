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

"""Read what a job produced and follow any job, with the real command.

SQL results, ``wait`` on jobs started elsewhere, Spark's own options
after ``--``, and fields no document names (``tracking_url``), against
mrs-simulator.
"""

import json

from mrsclient.tests.functional import test_simulator

WAIT = ('--poll-interval', '0.3')


class TestSqlResult(test_simulator.SimulatorTestCase):

    def result(self, *argv):
        return self.mrs('result', 'list', '--cluster', 'analytics-v2',
                        *argv)

    def test_the_rows_of_a_statement_as_a_table_and_csv(self):
        job = self.jobs['succeeded'][0]  # HiveSql "report"
        table = self.result(job)
        self.assertSucceeded(table)
        self.assertIn('| name | id |', table.out)
        self.assertIn('| a    | 1  |', table.out)
        csv = self.result('report', '-f', 'csv')  # by its name
        self.assertSucceeded(csv)
        self.assertEqual('"name","id"\n"a","1"\n"b","2"\n', csv.out)
        one = self.result(job, '--statement', '1', '-f', 'json')
        self.assertEqual([{'database': 'default', 'isTemporary': 'false',
                           'tableName': 'src_wordcount'}], one.json())
        everything = self.result(job, '--all', '-f', 'value', '-c',
                                 'statement')
        self.assertEqual('0\n1\n2\n3\n4\n4\n', everything.out)

    def test_a_job_that_is_not_an_sql_job(self):
        self.assertOneLineError(
            self.result(self.jobs['failed'][0]),
            'HTTP 500 0172: Failed to collect the SQL job result. It is a '
            'Flink job: only SparkSql, SparkScript, HiveSql, HiveScript '
            'jobs have an SQL result.')


class TestWaitOnSimulator(test_simulator.SimulatorTestCase):

    def test_a_finished_job_and_a_failed_one(self):
        result = self.mrs('wait', '--cluster', self.cluster,
                          self.jobs['succeeded'][0], '-f', 'value', '-c',
                          'result')
        self.assertSucceeded(result)
        self.assertEqual('SUCCEEDED\n', result.out)
        failed = self.jobs['finished_failed'][0]
        result = self.mrs('wait', '--cluster', self.cluster, failed)
        self.assertEqual(1, result.code, result)
        # Where to look: how long it ran, and YARN's page of it.
        self.assertIn(f'Job {failed} of cluster {self.cluster} ended '
                      'FINISHED with the result FAILED; it ran ', result.err)
        self.assertIn('its logs: http://yarn.example:8088/proxy/application_',
                      result.err)

    def test_a_running_job_ends_within_the_timeout(self):
        job = self.jobs['stuck'][0]
        result, elapsed = self.net_time(lambda: self.mrs(
            'wait', '--cluster', self.cluster, job, '--timeout', '2s',
            '--poll-interval', '1', '-f', 'value', '-c', 'id'))
        # Its own exit code; the job on stdout in the format asked.
        self.assertEqual(124, result.code, result)
        self.assertEqual(f'{job}\n', result.out)
        self.assertEqual(
            f'Timed out after 2 s waiting for job execution {job} to end; '
            'its last state was RUNNING.\n', result.err)
        # 2 s plus one interval (and a read), net of openstack's start.
        self.assertLess(elapsed, 2 + 1 + 2, result)


class TestSparkOptionsAndEveryField(test_simulator.SimulatorTestCase):

    cloud = 'mrs-simulator-other'

    def test_program_options_after_a_double_dash(self):
        cluster = self.clusters['v2_other']
        result = self.mrs('create', '--cluster', cluster, '--type',
                          'SparkSubmit', '--name', 'pi', '--debug', '--',
                          '--class', 'org.apache.spark.examples.SparkPi',
                          'obs://bucket/spark-examples.jar', '100')
        self.assertEqual(0, result.code, result)
        sent = [line for line in result.err.splitlines()
                if 'REQ: curl -g -i -X POST' in line
                and 'job-executions' in line][0]
        body = json.loads(sent.split(" -d '")[1].rstrip("'"))
        self.assertEqual(['--class', 'org.apache.spark.examples.SparkPi',
                          'obs://bucket/spark-examples.jar', '100'],
                         body['arguments'])

    def test_tracking_url_a_field_no_document_names(self):
        job = self.jobs['scratch'][3]  # kept by TestDeleteOnSimulator
        result = self.mrs('show', '--cluster', self.clusters['v2_other'],
                          job, '-c', 'tracking_url', '-f', 'value')
        self.assertSucceeded(result)
        self.assertTrue(result.out.startswith('http://yarn.example:8088/'),
                        result.out)


class TestStatesForCleanup(test_simulator.SimulatorTestCase):

    def test_several_states_and_ended_on_both_apis(self):
        ended = self.mrs('list', '--cluster', self.cluster, '--state',
                         'ended', '-f', 'value', '-c', 'id', '-c',
                         'state')
        self.assertSucceeded(ended)
        states = {line.split()[0]: line.split()[1]
                  for line in ended.out.splitlines()}
        self.assertLessEqual(set(states.values()),
                             {'FINISHED', 'FAILED', 'KILLED'})
        for job in self.jobs['succeeded'] + self.jobs['failed']:
            self.assertIn(job, states)
        self.assertNotIn(self.jobs['stuck'][0], states)
        two = self.mrs('list', '--cluster', self.cluster, '--state',
                       'failed', '--state', 'running', '-f', 'value', '-c',
                       'state')
        self.assertSucceeded(two)
        self.assertEqual({'FAILED', 'RUNNING'}, set(two.out.split()))
        # Without --cluster: the status column, every final state.
        listed = self.mrs('list', '--state', 'ended', '-f', 'value', '-c',
                          'id', '-c', 'state')
        self.assertSucceeded(listed)
        shown = dict(line.split() for line in listed.out.splitlines())
        self.assertIn(self.ids['succeeded'][0], shown)
        self.assertNotIn('RUNNING', shown.values())
