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

import json


from mrsclient.osc.v1 import sql_result
from mrsclient.tests.unit import fakes
from mrsclient.tests.unit.osc import command_base as base
from mrsclient.tests.unit.osc.v1 import test_job_execution as command_test

URL = f'{command_test.V2}/{fakes.JOB_ID}'
EXAMPLE = {'sql_results': {
    '0': [{'result': 'succeed'}],
    '1': [{'database': 'default', 'isTemporary': 'false',
           'tableName': 'src_wordcount'}],
    '2': [],
    '10': [{'name': 'a', 'id': '1'}, {'id': '2', 'note': 'x'}],
}}


class TestSqlResult(command_test.CommandTest):

    command = sql_result.ListSqlResult

    def result(self, *argv):
        return self.output('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID,
                           *argv)

    def test_the_last_statement_by_default_keys_as_columns(self):
        self.mock.get(f'{URL}/sql-result', json=EXAMPLE)
        # Statements in number order: 10 is the last, not 2.
        self.assertEqual('"name","id","note"\n"a","1",""\n"","2","x"\n',
                         self.result('-f', 'csv'))
        self.assertEqual([{'name': 'a', 'id': '1', 'note': None},
                          {'name': None, 'id': '2', 'note': 'x'}],
                         json.loads(self.result('-f', 'json')))

    def test_one_statement_or_all(self):
        self.mock.get(f'{URL}/sql-result', json=EXAMPLE)
        self.assertEqual('default false src_wordcount\n',
                         self.result('--statement', '1', '-f', 'value'))
        everything = json.loads(self.result('--all', '-f', 'json'))
        self.assertEqual([0, 1, 10, 10],
                         [row['statement'] for row in everything])
        self.assertEqual('statement', list(everything[0])[0])

    def test_a_statement_with_no_rows_says_so(self):
        self.mock.get(f'{URL}/sql-result', json=EXAMPLE)
        self.assertEqual('[]\n', self.result('--statement', '2', '-f',
                                             'json'))
        self.assertEqual(f'Statement 2 of job {fakes.JOB_ID} returned no '
                         'rows.\n', self.app.stderr.getvalue())
        self.assertIn('has no statement 7; its statements are 0, 1, 2, 10.',
                      self.fails('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID,
                                 '--statement', '7'))

    def test_the_tables_name_of_the_field_is_read_too(self):
        self.mock.get(f'{URL}/sql-result', json={'sql-results': {
            '0': [{'k': 'v'}]}})
        self.assertEqual('v\n', self.result('-f', 'value'))

    def test_not_an_sql_job_and_a_running_job(self):
        self.mock.get(f'{URL}/sql-result', status_code=500, json={
            'error_code': '0172',
            'error_msg': 'Failed to collect the SQL job result.'})
        for state, kind, hint in (
                ('RUNNING', 'SparkSql', 'The job is still RUNNING: its '
                                        'result comes once it has ended.'),
                ('FINISHED', 'MapReduce', 'It is a MapReduce job: only '
                                          'SparkSql, SparkScript, HiveSql, '
                                          'HiveScript jobs have an SQL '
                                          'result.')):
            self.mock.get(URL, json={'job_detail': fakes.v2_job(
                fakes.JOB_ID, job_state=state, job_type=kind)})
            line = self.fails('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID)
            self.assertIn('HTTP 500 0172: Failed to collect the SQL job '
                          f'result. {hint}', line)

    def test_a_malformed_answer_is_one_line(self):
        for body in ({}, {'sql_results': [1]}, {'sql_results': {'0': 1}},
                     {'sql_results': {'0': [1]}}):
            self.mock.get(f'{URL}/sql-result', json=body)
            line = self.fails('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID)
            self.assertIn('the answer has no "sql_results" object', line)
            self.assertEqual(1, len(line.splitlines()))

    def test_rows_are_data_shown_as_sent(self):
        row = {'key': 'user_42', 'value': 'alice', 'monkey_count': '3',
               'tokens': '17', 'password': 'not-masked: it is data'}
        self.mock.get(f'{URL}/sql-result', json={'sql_results': {'0': [row]}})
        self.assertEqual([row], json.loads(self.result('-f', 'json')))
        self.assertEqual('"user_42","alice","3","17","not-masked: it is '
                         'data"\n', self.result('-f', 'csv').splitlines(
                             True)[1])

    def test_an_empty_answer_is_an_empty_result(self):
        self.mock.get(f'{URL}/sql-result', json={'sql_results': {}})
        self.assertEqual('[]\n', self.result('-f', 'json'))
        self.assertEqual(f'Job {fakes.JOB_ID} has no statement results.\n',
                         self.app.stderr.getvalue())
        self.assertEqual('[]\n', self.result('--all', '-f', 'json'))

    def test_rows_of_differing_keys_and_a_statement_key_of_their_own(self):
        self.mock.get(f'{URL}/sql-result', json={'sql_results': {
            '0': [{'statement': 'select 1', 'a': '1'}],
            '1': [{'b': {'nested': True}}]}})
        self.assertEqual(
            [{'_statement': 0, 'statement': 'select 1', 'a': '1', 'b': None},
             {'_statement': 1, 'statement': None, 'a': None,
              'b': {'nested': True}}],
            json.loads(self.result('--all', '-f', 'json')))
        # Nested values as JSON where the format prints text.
        self.assertEqual('1 None None {"nested": true}\n',
                         self.result('--all', '-f', 'value').splitlines(
                             True)[1])

    def test_cluster_is_required_and_statement_a_number(self):
        for argv in ([fakes.JOB_ID], ['--cluster', 'c', fakes.JOB_ID,
                                      '--statement', '-1'],
                     ['--cluster', 'c', fakes.JOB_ID, '--statement', '1',
                      '--all']):
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, argv, [])
