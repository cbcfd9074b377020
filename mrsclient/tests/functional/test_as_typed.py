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

"""As typed, as sent, as shown (issue "As typed, as sent, as shown").

One test per row of what was seen to change behind the operator's back,
through the real ``openstack`` command against mrs-simulator (which
also tells what a submission really sent, ``/_simulator/jobs/<id>``)
and the faulty server where only a misbehaving server can show it.
"""

import datetime
import json
import os
import signal
import subprocess
import time
import urllib.request

import fixtures

from mrsclient.tests.functional import base
from mrsclient.tests.functional.servers import faulty
from mrsclient.tests.functional import test_faults
from mrsclient.tests.functional import test_simulator

WAIT = test_simulator.WAIT


class SubmitCase(test_simulator.SimulatorTestCase):
    """Submissions to the other project's scratch cluster."""

    cloud = 'mrs-simulator-other'

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.target = self.clusters['v2_other']
        self.base_url = base.servers()['simulator']['auth_url'][:-3]

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def create(self, *argv, name='typed', kind='MapReduce'):
        return self.mrs('create', '--cluster', self.target, '--type', kind,
                        '--name', name, *argv)

    def received(self, job_id):
        """What the simulator got: arguments and properties, unmasked."""
        url = f'{self.base_url}/_simulator/jobs/{job_id}'
        with urllib.request.urlopen(url) as answer:
            return json.load(answer)

    def submitted(self, result):
        self.assertEqual(0, result.code, result)
        return result.json()['id']


class TestValuesAsTyped(SubmitCase):

    def test_yaml_and_json_property_files_send_the_text_written(self):
        yaml_file = self.file('p.yaml', (
            'fs.permissions.umask-mode: 022\nmode: 0755\nflag: on\n'
            'other: no\ncompress: true\ntime: 12:30\nweight: 1_000\n'
            'fs.obs.access.key: 0123456\n'))
        job = self.submitted(self.create('--property-file', yaml_file,
                                         '-f', 'json'))
        self.assertEqual(
            {'fs.permissions.umask-mode': '022', 'mode': '0755',
             'flag': 'on', 'other': 'no', 'compress': 'true',
             'time': '12:30', 'weight': '1_000',
             'fs.obs.access.key': '0123456'},
            self.received(job)['properties'])
        json_file = self.file('p.json', '{"flag": true, "maps": 10, '
                                        '"ratio": 1e3}')
        job = self.submitted(self.create('--property-file', json_file,
                                         '-f', 'json'))
        self.assertEqual({'flag': 'true', 'maps': '10', 'ratio': '1e3'},
                         self.received(job)['properties'])
        # A JSON null has no one text: refused, the key named, nothing sent.
        null_file = self.file('n.json', '{"fs.obs.endpoint": null}')
        self.assertOneLineError(
            self.create('--property-file', null_file, name='never-sent'),
            'Property fs.obs.endpoint of --property-file', 'is null')
        self.assertEqual([], self.mrs('list', '--cluster', self.target,
                                      '--name', 'never-sent', '-f',
                                      'json').json())


class TestSecretsByMeaning(SubmitCase):

    def test_secret_options_and_properties_never_show_others_do(self):
        props = self.file('p.yaml', 'jdbc.pwd: PWD-1\nobs.sk: SK-2\n'
                                    'mapreduce.job.output.key.class: Text\n'
                                    'spark.ssl.keyStore: /etc/ks\n')
        result = self.create(
            '--property-file', props, '-f', 'json', '--', '--class', 'X',
            'app.jar', '--db-password', 'hunter2', '--secret-key',
            'SK-abc', '--user-passwd=PW5', kind='SparkSubmit')
        job = self.submitted(result)
        # The API gets every real value.
        sent = self.received(job)
        self.assertIn('hunter2', sent['arguments'])
        self.assertEqual('PWD-1', sent['properties']['jdbc.pwd'])
        outputs = [result,
                   self.mrs('show', '--cluster', self.target, job),
                   self.mrs('show', '--cluster', self.target, job, '-f',
                            'json'),
                   self.mrs('list', '--cluster', self.target, '--long',
                            '-f', 'json')]
        for output in outputs:
            self.assertEqual(0, output.code, output)
            for secret in ('hunter2', 'SK-abc', 'PW5', 'PWD-1', 'SK-2'):
                self.assertNotIn(secret, output.out + output.err)
        shown = outputs[2].json()
        self.assertIn('mapreduce.job.output.key.class=Text',
                      shown['properties'])
        self.assertIn('spark.ssl.keyStore=/etc/ks', shown['properties'])
        self.assertIn('--db-password, ***', shown['arguments'])


class TestDataIsData(SubmitCase):

    def sql(self, statements):
        result = self.create('--wait', '--poll-interval', '0.3',
                             '--property', 'mrs.simulator.duration=0',
                             '-f', 'json', '--', *statements,
                             name='report', kind='SparkSql')
        return self.submitted(result)

    def test_rows_are_shown_as_the_service_sends_them(self):
        job = self.sql(['select key, value, monkey_count, tokens from t'])
        result = self.mrs('result', 'list', '--cluster', self.target, job,
                          '-f', 'csv')
        self.assertSucceeded(result)
        self.assertEqual('"key","value","monkey_count","tokens"\n'
                         '"key1","value1","monkey_count1","tokens1"\n'
                         '"key2","value2","monkey_count2","tokens2"\n',
                         result.out)

    def test_no_statements_and_a_statement_column_of_their_own(self):
        result = self.mrs('result', 'list', '--cluster', self.target,
                          self.sql([]), '-f', 'json')
        self.assertEqual(0, result.code, result)
        self.assertEqual([], result.json())
        job = self.sql(['select statement, a from t;', 'show tables'])
        result = self.mrs('result', 'list', '--cluster', self.target, job,
                          '--all', '-f', 'json')
        self.assertSucceeded(result)
        self.assertEqual(
            [{'_statement': 0, 'statement': 'statement1', 'a': 'a1'},
             {'_statement': 0, 'statement': 'statement2', 'a': 'a2'}],
            result.json())


class TestChecksBeforeTheLogin(SubmitCase):

    def test_a_usage_error_comes_before_a_wrong_password(self):
        for argv in (['cancel', 'x', '--timeout', '5'],
                     ['list', '--cluster', 'c', '--page', '3'],
                     ['list', '--cluster', 'c', '--name', 'a', '--name',
                      'b']):
            result = self.openstack('--os-cloud', self.cloud,
                                    '--os-password', 'wrong', 'mrs', 'job',
                                    'execution', *argv)
            self.assertEqual(2, result.code, result)
            self.assertNotIn('authentication', result.err)
            self.assertIn('error: ', result.err.splitlines()[-1])

    def test_a_name_is_matched_whole(self):
        self.assertOneLineError(self.create(name='wc\n'),
                                "job_name 'wc\\n' must be 1 to 64")

    def test_output_options_after_double_dash_get_a_warning(self):
        result = self.create('--', '--class', 'a.B', 'app.jar', '-f',
                             'value', '-c', 'id', kind='SparkSubmit')
        self.assertEqual(0, result.code, result)
        self.assertIn('Warning: -f, -c come after -- and go to the program',
                      result.err)
        self.assertIn('| id ', result.out)  # the table, as asked
        job = result.out.split('| id ')[1].split('|')[1].strip()
        self.assertEqual(['--class', 'a.B', 'app.jar', '-f', 'value', '-c',
                          'id'], self.received(job)['arguments'])


class TestOneMachineFormat(test_simulator.SimulatorTestCase):

    def test_nested_values_are_json_in_value_and_csv(self):
        job = self.ids['killed'][0]
        result = self.mrs('show', job, '-f', 'value', '-c', 'job_configs')
        self.assertSucceeded(result)
        self.assertEqual({'configs': {'mapreduce.job.maps': '2'},
                          'args': ['wordcount', 'obs://demo/in',
                                   'obs://demo/out'], 'params': {}},
                         json.loads(result.out))
        result = self.mrs('list', '--long', '-f', 'csv', '-c', 'id', '-c',
                          'job_configs')
        self.assertSucceeded(result)
        self.assertNotIn("{'configs'", result.out)
        self.assertIn('""configs"": {""mapreduce.job.maps"": ""2""}',
                      result.out)

    def test_a_time_printed_by_json_is_taken_back(self):
        shown = self.mrs('show', '--cluster', self.cluster,
                         self.jobs['succeeded'][0], '-f', 'json').json()
        # Shown to the second (V1.1's form), taken back in milliseconds.
        millis = int(datetime.datetime.fromisoformat(
            shown['created_at'] + '+00:00').timestamp() * 1000)
        result = self.mrs('list', '--cluster', self.cluster,
                          '--submitted-after', str(millis - 1),
                          '--submitted-before', str(millis + 1000),
                          '-f', 'json')
        self.assertSucceeded(result)
        self.assertEqual([shown['id']],
                         [job['id'] for job in result.json()])


class TestDeleting(SubmitCase):

    def test_a_running_job_needs_force_an_unknown_one_is_named(self):
        job = self.submitted(self.create(
            '--property', 'mrs.simulator.duration=600', '-f', 'json',
            name='long'))
        result = self.mrs('delete', '--cluster', self.target, job)
        self.assertOneLineError(result, f'Job {job} of cluster '
                                        f'{self.target} is RUNNING: not '
                                        'deleted', '--force')
        self.assertEqual('RUNNING', self.mrs(
            'show', '--cluster', self.target, job, '-f', 'value', '-c',
            'state').out.strip())
        self.assertSucceeded(self.mrs('delete', '--cluster', self.target,
                                      '--force', job))
        unknown = '5e7a2fbd-0000-4000-8000-0000000000aa'
        for argv in ([], ['--force']):
            self.assertOneLineError(
                self.mrs('delete', '--cluster', self.target, *argv, unknown),
                f'Failed to delete job {unknown} of cluster {self.target}',
                'not exist')


class TestServersCannotMakeItLoop(test_faults.FaultTestCase):

    def test_a_list_whose_pages_repeat_costs_few_requests(self):
        result = self.mrs('list', '--cluster', faulty.IDS['repeat'], '-f',
                          'value', '-c', 'id')
        self.assertSucceeded(result)
        self.assertEqual(100, len(set(result.out.split())))
        self.assertEqual(100, len(result.out.split()))
        self.assertLessEqual(self.seen(faulty.IDS['repeat']), 25)


class TestInterrupts(test_faults.FaultTestCase):

    def interrupt(self, argv, path):
        """Run ``argv``, press Ctrl-C once ``path`` was requested."""
        process = subprocess.Popen(
            [base.OPENSTACK, 'mrs', 'job', 'execution', *argv],
            env=self.clean_env({'OS_MRS_TIMEOUT_SECONDS': '30'}),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=base.interruptible)
        self.addCleanup(process.kill)
        deadline = time.monotonic() + 30
        while not any(path in seen for seen in list(self.server.seen)):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        self.assertEqual(130, process.returncode, err)
        self.assertNotIn('Traceback', err)
        return out, err

    def test_ctrl_c_during_a_submission_says_it_may_be_submitted(self):
        cluster = faulty.IDS['stall']
        out, err = self.interrupt(
            ['create', '--cluster', cluster, '--type', 'MapReduce',
             '--name', 'wordcount'], f'/clusters/{cluster}/job-executions')
        self.assertEqual('', out)
        self.assertEqual(
            f'Interrupted: job wordcount may have been submitted to '
            f'cluster {cluster}; before submitting it again, look: '
            f'openstack mrs job execution list --cluster {cluster}\n', err)

    def test_ctrl_c_halfway_through_a_cancel_of_4(self):
        out, err = self.interrupt(
            ['cancel', 'ok', 'running', 'stall', 'busy', '--parallel', '1'],
            '/job-executions/stall/cancel')
        self.assertEqual(
            'Interrupted: 3 of 4 requests to cancel were sent; answered: '
            'ok, running; sent, no answer yet (it may still take effect): '
            'stall; not sent: busy.\n', err)
        self.assertEqual(0, self.seen('busy'))
