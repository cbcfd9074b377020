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

import io
import json
import os

import fixtures

from mrsclient.osc.v1 import job_create
from mrsclient.tests.unit import fakes
from mrsclient.tests.unit.osc.v1 import test_job_execution as base

SECRET = 'SK-never-shown-0xdeadbeef'
URL = base.V2


class TestCreate(base.CommandTest):

    command = job_create.CreateJobExecution

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.mock.post(URL, json={'job_submit_result': {
            'job_id': fakes.JOB_ID, 'state': 'COMPLETE'}})
        self.mock.get(f'{URL}/{fakes.JOB_ID}', json={
            'job_detail': fakes.v2_job(
                fakes.JOB_ID, job_state='RUNNING',
                properties=f'{{fs.obs.secret.key={SECRET}, a=b}}')})

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_the_documented_body_goes_out_and_secrets_never_show(self):
        keys = self.file('obs.yaml', f'fs.obs.secret.key: {SECRET}\n'
                                     'fs.obs.access.key: AK\n')
        out = self.output(
            '--cluster', fakes.CLUSTER_ID, '--type', 'mapreduce', '--name',
            'wordcount', '--arg', 'obs://b/p.jar', '--arg', 'wordcount',
            '--property-file', keys, '--property', 'mapreduce.job.maps=2',
            '-f', 'json')
        documented = {
            'job_type': 'MapReduce', 'job_name': 'wordcount',
            'arguments': ['obs://b/p.jar', 'wordcount'],
            'properties': {'fs.obs.secret.key': SECRET,
                           'fs.obs.access.key': 'AK',
                           'mapreduce.job.maps': '2'}}
        self.assertEqual(documented, self.mock.request_history[0].json())
        self.assertEqual('{fs.obs.secret.key=***, a=b}',
                         json.loads(out)['properties'])
        self.assertNotIn(SECRET, out + self.log.output)

    def test_body_file(self):
        body = self.file('job.json', json.dumps({
            'job_type': 'SparkSubmit', 'job_name': 'pi',
            'arguments': ['--class', 'x'],
            'properties': {'fs.obs.secret.key': SECRET}}))
        self.output('--cluster', fakes.CLUSTER_ID, '--body-file', body)
        self.assertEqual('pi', self.mock.request_history[0].json()
                         ['job_name'])

    def test_bad_submissions_are_one_line_and_send_nothing(self):
        body = self.file('job.json', json.dumps({
            'job_type': 'Pig', 'job_name': 'x'}))
        bad_yaml = self.file('bad.yaml', 'a: [1\n')
        a_list = self.file('list.yaml', '- a\n')
        broken_json = self.file('broken.json',
                                '{"job_type": "Flink",\n "job_name": "x"\n'
                                '"arguments": []}')
        misspelt = self.file('misspelt.json', json.dumps({
            'job_type': 'Flink', 'jobname': 'x'}))
        for argv, line in [
                (['--name', 'x'], 'Give --type (or --body-file).'),
                (['--type', 'Flink', '--name', 'a b'],
                 "job_name 'a b' must be 1 to 64 letters"),
                (['--type', 'Flink', '--name', 'x' * 65],
                 'must be 1 to 64 letters'),
                (['--type', 'Flink', '--name', 'x', '--property',
                  f'fs.obs.secret.key={SECRET}!'],
                 'Property fs.obs.secret.key holds !, which MRS does not '
                 'allow in properties.'),
                (['--type', 'Flink', '--name', 'x', '--arg', 'y' * 4097],
                 'arguments hold more than 4096 characters.'),
                (['--body-file', body], "job_type 'Pig' is not one of"),
                (['--body-file', body, '--arg', 'x'],
                 '--body-file holds the whole job; do not add --arg (only '
                 '--name and --type may replace its own).'),
                (['--body-file', bad_yaml],
                 'is not valid JSON or YAML: line 2, column 1: expected'),
                (['--body-file', broken_json],
                 'is not valid JSON: line 3, column 1: Expecting'),
                (['--body-file', misspelt],
                 'jobname: not a field of a job; did you mean job_name?'),
                (['--body-file', '/nonexistent'],
                 'Cannot read --body-file /nonexistent: No such file'),
                (['--type', 'Flink', '--name', 'x', '--property-file',
                  a_list], 'must hold a mapping of property names to '
                           'values.')]:
            message = self.fails('--cluster', fakes.CLUSTER_ID, *argv)
            self.assertIn(line, message)
            self.assertEqual(1, len(message.splitlines()))
            self.assertNotIn(SECRET, message)
        self.assertFalse(self.mock.called)

    def sent_properties(self, *argv):
        self.output('--cluster', fakes.CLUSTER_ID, '--type', 'Flink',
                    '--name', 'x', *argv)
        return self.mock.request_history[0].json()['properties']

    def test_yaml_values_are_the_text_written(self):
        written = {'umask': '022', 'mode': '0755', 'flag': 'on',
                   'other': 'no', 'compress': 'true', 'time': '12:30',
                   'weight': '1_000', 'ak': '0123456', 'empty': '',
                   'tilde': '~', 'quoted': '007', 'date': '2026-12-01'}
        text = ''.join(f'{k}: {v}\n' for k, v in written.items()
                       if k not in ('empty', 'quoted'))
        path = self.file('p.yaml', text + 'empty:\nquoted: "007"\n')
        self.assertEqual(written, self.sent_properties('--property-file',
                                                       path))

    def test_json_values_are_their_json_text(self):
        path = self.file('p.json', '{"flag": true, "off": false, "n": 10, '
                                   '"r": 1e3, "f": 0.50, "s": "007"}')
        self.assertEqual({'flag': 'true', 'off': 'false', 'n': '10',
                          'r': '1e3', 'f': '0.50', 's': '007'},
                         self.sent_properties('--property-file', path))

    def test_values_without_one_text_are_refused_naming_the_key(self):
        for name, text, kind in (
                ('n.json', '{"fs.obs.endpoint": null}', 'null'),
                ('o.json', '{"fs.obs.endpoint": {"a": 1}}', 'an object'),
                ('l.yaml', 'fs.obs.endpoint: [a, b]\n', 'a list')):
            path = self.file(name, text)
            self.assertEqual(
                f'Property fs.obs.endpoint of --property-file {path} is '
                f'{kind}: give its value as a string.',
                self.fails('--cluster', fakes.CLUSTER_ID, '--type', 'Flink',
                           '--name', 'x', '--property-file', path))
        body = self.file('job.json', json.dumps({
            'job_type': 'Flink', 'job_name': 'x', 'arguments': ['a', 100],
            'properties': {'mapreduce.job.maps': 2, 'x': None}}))
        self.assertEqual(
            f'Property x of --body-file {body} is null: give its value as '
            'a string.', self.fails('--cluster', fakes.CLUSTER_ID,
                                    '--body-file', body))
        self.assertFalse(self.mock.called)

    def test_a_body_file_keeps_the_text_of_its_values(self):
        body = self.file('job.yaml', 'job_type: Flink\njob_name: x\n'
                                     'arguments: [--parallelism, 0010]\n'
                                     'properties: {flag: on}\n')
        self.output('--cluster', fakes.CLUSTER_ID, '--body-file', body)
        sent = self.mock.request_history[0].json()
        self.assertEqual((['--parallelism', '0010'], {'flag': 'on'}),
                         (sent['arguments'], sent['properties']))

    def test_a_name_is_matched_whole(self):
        self.assertIn("job_name 'wc\\n' must be 1 to 64",
                      self.fails('--cluster', fakes.CLUSTER_ID, '--type',
                                 'Flink', '--name', 'wc\n'))
        self.assertFalse(self.mock.called)

    def test_output_options_after_double_dash_are_warned_of(self):
        self.output('--cluster', fakes.CLUSTER_ID, '--type', 'SparkSubmit',
                    '--name', 'x', '--', '--class', 'a.B', 'app.jar',
                    '-f', 'value', '--column=job_id', '-fjson')
        self.assertIn('Warning: -f, --column=job_id, -fjson come after -- '
                      'and go to the program', self.app.stderr.getvalue())
        self.assertEqual(['--class', 'a.B', 'app.jar', '-f', 'value',
                          '--column=job_id', '-fjson'],
                         self.mock.request_history[0].json()['arguments'])

    def test_a_warned_word_never_shows_a_secret(self):
        self.output('--cluster', fakes.CLUSTER_ID, '--type', 'SparkSubmit',
                    '--name', 'x', '--', f'-fs.obs.secret.key={SECRET}')
        self.assertIn('Warning: -fs.obs.secret.key=*** come after --',
                      self.app.stderr.getvalue())
        self.assertNotIn(SECRET, self.app.stderr.getvalue())
        self.assertEqual([f'-fs.obs.secret.key={SECRET}'],
                         self.mock.request_history[0].json()['arguments'])

    def test_ctrl_c_during_the_submission_says_what_to_look_for(self):
        self.mock.post(URL, exc=KeyboardInterrupt)
        self.assertRaises(KeyboardInterrupt, self.output, '--cluster',
                          fakes.CLUSTER_ID, '--type', 'Flink', '--name',
                          'etl')
        self.assertEqual(
            f'Interrupted: job etl may have been submitted to cluster '
            f'{fakes.CLUSTER_ID}; before submitting it again, look: '
            f'openstack mrs job execution list --cluster {fakes.CLUSTER_ID}'
            '\n', self.app.stderr.getvalue())

    def test_property_without_a_value_is_a_usage_error(self):
        self.assertRaises(base.base.ParserException, self.check_parser,
                          self.cmd, ['--cluster', 'c', '--type', 'Flink',
                                     '--name', 'x', '--property', 'k'], [])

    def test_the_programs_own_options_after_a_double_dash(self):
        self.output('--cluster', fakes.CLUSTER_ID, '--type', 'SparkSubmit',
                    '--name', 'pi', '--arg', 'first', '--', '--class',
                    'org.apache.spark.examples.SparkPi', 'obs://b/x.jar',
                    '100')
        self.assertEqual(['first', '--class',
                          'org.apache.spark.examples.SparkPi',
                          'obs://b/x.jar', '100'],
                         self.mock.request_history[0].json()['arguments'])

    def test_name_and_type_replace_the_body_files(self):
        body = self.file('job.json', json.dumps({
            'job_type': 'SparkSubmit', 'job_name': 'pi', 'arguments': []}))
        self.output('--cluster', fakes.CLUSTER_ID, '--body-file', body,
                    '--name', 'pi2', '--type', 'flink')
        sent = self.mock.request_history[0].json()
        self.assertEqual(('pi2', 'Flink'), (sent['job_name'],
                                            sent['job_type']))

    def test_wait_options_are_checked_before_the_submission(self):
        self.assertIn('--timeout can only be used with --wait',
                      self.usage_error('--cluster', fakes.CLUSTER_ID,
                                       '--type', 'Flink', '--name', 'x',
                                       '--timeout', '5'))
        self.assertRaises(base.base.ParserException, self.check_parser,
                          self.cmd, ['--cluster', 'c', '--type', 'Flink',
                                     '--name', 'x', '--wait',
                                     '--poll-interval', '0'], [])

    def test_the_id_is_said_at_once_and_kept_when_show_fails(self):
        self.mock.get(f'{URL}/{fakes.JOB_ID}', status_code=500, json={
            'error_code': '0162', 'error_msg': 'Failed to query the job.'})
        out = self.output('--cluster', fakes.CLUSTER_ID, '--type', 'Flink',
                          '--name', 'x', '-f', 'json')
        self.assertEqual(fakes.JOB_ID, json.loads(out)['id'])
        err = self.app.stderr.getvalue().splitlines()
        self.assertEqual(f'Job {fakes.JOB_ID} submitted to cluster '
                         f'{fakes.CLUSTER_ID}.', err[0])
        self.assertIn(f'Job {fakes.JOB_ID} was submitted, but showing it '
                      'failed: ', err[1])

    def test_secret_arguments_never_show(self):
        self.mock.get(f'{URL}/{fakes.JOB_ID}', json={
            'job_detail': fakes.v2_job(
                fakes.JOB_ID, arguments=f'[--conf, spark.hadoop.fs.obs.'
                                        f'secret.key={SECRET}, x]')})
        for formatter in ('json', 'yaml', 'value', 'shell', 'table'):
            out = self.output('--cluster', fakes.CLUSTER_ID, '--type',
                              'SparkSubmit', '--name', 'x',
                              '--arg=--conf', '--arg',
                              f'spark.hadoop.fs.obs.secret.key={SECRET}',
                              '-f', formatter)
            self.assertIn('spark.hadoop.fs.obs.secret.key=***', out)
            self.assertNotIn(SECRET, out + self.app.stderr.getvalue())

    def test_wait_until_it_ends_and_fail_unless_it_succeeded(self):
        running = {'json': {'job_detail': fakes.v2_job(
            fakes.JOB_ID, job_state='RUNNING', job_result='UNDEFINED')}}
        for state, result, how in (
                ('FINISHED', 'FAILED', 'FINISHED with the result FAILED'),
                ('FAILED', 'FAILED', 'FAILED'),
                ('KILLED', 'KILLED', 'KILLED')):
            self.app.stderr, self.app.stdout = io.StringIO(), io.StringIO()
            self.mock.get(f'{URL}/{fakes.JOB_ID}', [
                running, running, {'json': {'job_detail': fakes.v2_job(
                    fakes.JOB_ID, job_state=state, job_result=result)}}])
            line = self.fails('--cluster', fakes.CLUSTER_ID, '--type',
                              'Flink', '--name', 'x', '--wait',
                              '--poll-interval', '0.01', '-c', 'state',
                              '-f', 'value')
            # Where to look: the fields the service sent.
            self.assertEqual(f'Job {fakes.JOB_ID} of cluster '
                             f'{fakes.CLUSTER_ID} ended {how}; it ran 1m '
                             f'26s, its YARN '
                             'application: application_1564622673393_0007.',
                             line)
            self.assertEqual(f'{state}\n', self.app.stdout.getvalue())
            self.assertEqual(f'Job {fakes.JOB_ID} submitted to cluster '
                             f'{fakes.CLUSTER_ID}.\n{fakes.JOB_ID}: RUNNING '
                             f'-> {state}\n', self.app.stderr.getvalue())

    def test_wait_succeeds_on_finished_and_succeeded(self):
        self.mock.get(f'{URL}/{fakes.JOB_ID}', json={
            'job_detail': fakes.v2_job(fakes.JOB_ID, job_state='FINISHED',
                                       job_result='SUCCEEDED')})
        out = self.output('--cluster', fakes.CLUSTER_ID, '--type', 'Flink',
                          '--name', 'x', '--wait', '-c', 'result', '-f',
                          'value')
        self.assertEqual('SUCCEEDED\n', out)

    def test_a_submit_the_service_refused(self):
        self.mock.post(URL, json={'job_submit_result': {
            'state': 'JOBSTAT_SUBMIT_FAILED'}})
        self.assertIn('the answer has no submitted job',
                      self.fails('--cluster', fakes.CLUSTER_ID, '--type',
                                 'Flink', '--name', 'x'))


class TestCreateOnAnOldCluster(base.CommandTest):
    """A cluster before MRS 1.9.2: jobs/submit-job, the api-ref's fields."""

    command = job_create.CreateJobExecution
    SUBMIT = f'{base.ENDPOINT}/jobs/submit-job'
    OLD = ('--cluster', fakes.CLUSTER_ID)

    def setUp(self):
        super().setUp()
        self.mock.post(self.SUBMIT, json={'job_execution': {
            'id': fakes.JOB_EXECUTION_ID, 'job_state': 2}})
        self.mock.get(f'{base.V11}/{fakes.JOB_EXECUTION_ID}',
                      json=fakes.cancel_example(info={'status': 'RUNNING'}))
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def test_the_options_are_the_api_refs_fields_as_typed(self):
        out = self.output(
            *self.OLD, '--type', 'MapReduce', '--name', 'wc', '--jar',
            's3a://b/program/wc.JAR', '--input', 's3a://b/in/', '--output',
            '/user/out', '--job-log', 's3a://b/log/', '-f', 'value', '-c',
            'state', '--', 'wordcount', '-D', 'x=1')
        self.assertEqual({
            'job_type': 1, 'job_name': 'wc', 'cluster_id': fakes.CLUSTER_ID,
            'jar_path': 's3a://b/program/wc.JAR', 'input': 's3a://b/in/',
            'output': '/user/out', 'job_log': 's3a://b/log/',
            'arguments': 'wordcount -D x=1'},
            self.mock.request_history[0].json())
        self.assertEqual('RUNNING\n', out)
        self.assertEqual([self.SUBMIT, f'{base.V11}/{fakes.JOB_EXECUTION_ID}'],
                         [r.url for r in self.mock.request_history])

    def test_a_body_file_of_v11_fields(self):
        path = os.path.join(self.tmp, 'job.json')
        with open(path, 'w') as f:
            f.write('{"job_type": 5, "job_name": "import", "input": '
                    '"s3a://b/data", "output": "/user", '
                    '"file_action": "import"}')
        self.output(*self.OLD, '--body-file', path)
        self.assertEqual({'job_type': 5, 'job_name': 'import',
                          'input': 's3a://b/data', 'output': '/user',
                          'file_action': 'import',
                          'cluster_id': fakes.CLUSTER_ID},
                         self.mock.request_history[0].json())

    def test_a_yaml_body_file_gives_the_code_as_text(self):
        path = os.path.join(self.tmp, 'job.yaml')
        with open(path, 'w') as f:
            f.write('job_type: 1\njob_name: wc\njar_path: /wc.jar\n'
                    'arguments: 022 on\n')
        self.output(*self.OLD, '--body-file', path)
        self.assertEqual({'job_type': 1, 'job_name': 'wc',
                          'jar_path': '/wc.jar', 'arguments': '022 on',
                          'cluster_id': fakes.CLUSTER_ID},
                         self.mock.request_history[0].json())
        for code in ('01', '4', '１'):
            with open(path, 'w') as f:
                f.write(f'job_type: {code}\njob_name: wc\njar_path: /a.jar\n')
            self.assertIn("is a V1.1 job's code: one of 1, 2, 3, 5, 6.",
                          self.fails(*self.OLD, '--body-file', path))

    def test_what_the_v11_api_refuses_is_one_line_and_no_request(self):
        path = os.path.join(self.tmp, 'job.json')
        with open(path, 'w') as f:
            f.write('{"job_type": "MapReduce", "job_name": "x", '
                    '"jar_path": "/a.jar"}')
        job = ('--type', 'MapReduce', '--name', 'x')
        for argv, line in [
                (('--type', 'HiveSql', '--name', 'x', '--jar', '/a.sql'),
                 'HiveSql jobs cannot be given to a cluster before MRS '
                 '1.9.2: its V1.1 API takes MapReduce, SparkSubmit, '
                 'HiveScript, DistCp, SparkScript.'),
                ((*job, '--input', '/in'),
                 'MapReduce jobs need jar_path (--jar).'),
                ((*job, '--jar', 'obs://b/a.jar'),
                 'jar_path (--jar) must start with / or s3a://.'),
                ((*job, '--jar', '/a.py'), 'jar_path (--jar) must end with '
                                           '.jar.'),
                ((*job, '--jar', '/a.jar', '--output', 's3a://b/o,p'),
                 'output (--output) holds ,'),
                ((*job, '--jar', '/a.jar', '--', 'two words'),
                 "'two words' is not one word"),
                ((*job, '--jar', '/a.jar', '--property', 'a=b'),
                 'takes no properties: drop --property'),
                (('--type', 'DistCp', '--name', 'x', '--input', '/a'),
                 'DistCp jobs need file_action (--file-action).'),
                (('--type', 'HiveScript', '--name', 'x', '--jar', '/a.sql'),
                 'HiveScript jobs need hive_script_path (--hive-script).'),
                (('--body-file', path),
                 "job_type of --body-file {} is a V1.1 job's code: one of "
                 "1, 2, 3, 5, 6.".format(path)),
                (('--body-file', path, '--jar', '/b.jar'),
                 'do not add --jar')]:
            message = self.fails(*self.OLD, *argv)
            self.assertIn(line, message)
            self.assertEqual(1, len(message.splitlines()))
        self.assertFalse(self.mock.called)

    def test_each_api_says_which_form_it_takes(self):
        self.mock.post(base.V2, status_code=500, json={
            'error_code': '0167', 'error_msg': 'The v2 job API cannot be '
                                               'accessed.'})
        message = self.fails(*self.OLD, '--type', 'MapReduce', '--name', 'x',
                             '--', 's3a://b/a.jar')
        self.assertIn('whose jobs the V1.1 API takes: give the program with '
                      '--jar or --hive-script', message)
        self.mock.post(self.SUBMIT, status_code=400, json={
            'error_code': '12000085', 'error_msg': 'This interface does not '
                                                   'support the cluster of '
                                                   'this version.'})
        message = self.fails(*self.OLD, '--type', 'MapReduce', '--name', 'x',
                             '--jar', '/a.jar')
        self.assertIn('only the V2 API takes: give the program and its paths '
                      'as arguments after --, without --jar', message)
        self.assertNotIn('add --cluster', message)
