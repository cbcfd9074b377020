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

import argparse
import io
import json
import re
from unittest import mock
import urllib.parse

import fixtures
from osc_lib import exceptions
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions as api_exceptions
from mrsclient.api.jobs import model
from mrsclient.osc import errors
from mrsclient.osc.v1 import argtypes
from mrsclient.osc.v1 import job_execution
from mrsclient.tests.unit import fakes
from mrsclient.tests.unit.osc import command_base as base

ENDPOINT = f'https://mrs.example.com/v1.1/{fakes.PROJECT_ID}'
V11 = f'{ENDPOINT}/job-executions'
V2 = (f'https://mrs.example.com/v2/{fakes.PROJECT_ID}/clusters/'
      f'{fakes.CLUSTER_ID}/job-executions')
CANCEL_URL = f'{V11}/{fakes.JOB_EXECUTION_ID}/cancel'


class CommandTest(base.TestCommand):
    """Runs a command as cliff does: parse, act, format to stdout."""

    command = None

    def setUp(self):
        super().setUp()
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.app.client_manager.mrs_job = client.MrsClient(
            fakes.make_session(), ENDPOINT)
        self.log = self.useFixture(fixtures.FakeLogger())
        self.cmd = self.command(self.app, None)
        # Where info is null, the state comes from the job-exe: RUNNING.
        self.mock.get(re.compile('/job-exes/'),
                      json={'job_execution': {'job_state': 2}})

    def usage_error(self, *argv):
        """argparse's error (exit 2) from a check before any request."""
        parsed = self.check_parser(self.cmd, list(argv), [])
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        e = self.assertRaises(SystemExit, self.cmd.run, parsed)
        self.assertEqual(2, e.code)
        self.assertEqual([], self.mock.request_history)
        self.app.prepare_to_run_command.assert_not_called()  # no login
        stderr.seek(0)
        return stderr.read().splitlines()[-1]

    def run_cmd(self, *argv):
        parsed = self.check_parser(self.cmd, list(argv), [])
        return self.cmd.take_action(parsed)

    def output(self, *argv):
        """What the operator sees on stdout."""
        parsed = self.check_parser(self.cmd, list(argv), [])
        self.app.stdout = io.StringIO()
        self.cmd.run(parsed)
        return self.app.stdout.getvalue()

    def fails(self, *argv):
        """The command's one-line error; stdout is kept for a look."""
        parsed = self.check_parser(self.cmd, list(argv), [])
        return str(self.assertRaises(exceptions.CommandError,
                                     self.cmd.run, parsed))


class TestCancel(CommandTest):

    command = job_execution.CancelJobExecution

    def test_an_id_is_required(self):
        self.assertRaises(base.ParserException, self.check_parser,
                          self.cmd, [], [])

    def test_cancel_prints_every_documented_field(self):
        self.mock.get(CANCEL_URL, json=fakes.CANCEL_EXAMPLE)
        shown = json.loads(self.output(fakes.JOB_EXECUTION_ID, '-f', 'json'))
        # The answer is the job before the cancel: its state is info's.
        # Every field of the example, under its own name.
        example = fakes.CANCEL_EXAMPLE['job_execution']
        self.assertEqual(dict(example, name=None, state=None, result=None),
                         shown)
        self.assertEqual(list(model.COMMON + model.V11_OWN), list(shown))
        self.assertEqual(1, self.mock.call_count)

    def test_nested_values_show_in_full(self):
        configs = {'configs': {'mapred.map.tasks': '2'},
                   'args': ['/in', '/out'], 'params': {}}
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            job_configs=configs, info={'status': 'KILLED'}))
        table = self.output(fakes.JOB_EXECUTION_ID)
        self.assertIn('| job_configs      | {"configs": {"mapred.map.tasks": '
                      '"2"}, "args": ["/in", "/out"], "params": {}} |', table)
        self.assertIn('| info             | {"status": "KILLED"} ', table)
        self.assertNotIn(', |', table)
        self.assertNotIn(', ,', table)

    def test_info_as_a_string_and_missing_fields(self):
        self.mock.get(CANCEL_URL, json={'job_execution': {
            'id': fakes.JOB_EXECUTION_ID, 'info': 'KILLED', 'extra': 1}})
        names, rows = self.run_cmd(fakes.JOB_EXECUTION_ID)
        row = dict(zip(names, rows[0]))
        self.assertEqual('KILLED', row.pop('info'))
        self.assertEqual(fakes.JOB_EXECUTION_ID, row.pop('id'))
        # A field no document names comes last, as the service sent it.
        self.assertEqual('extra', names[-1])
        self.assertEqual(1, row.pop('extra'))
        self.assertEqual({None}, {getattr(cell, 'machine_readable',
                                          lambda: cell)()
                                  for cell in row.values()})
        self.assertIsNone(self.cmd.failure)

    def test_one_id_fails_with_its_own_line(self):
        self.mock.get(CANCEL_URL, status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'})
        line = self.fails(fakes.JOB_EXECUTION_ID)
        self.assertIn(f'Failed to cancel job execution '
                      f'{fakes.JOB_EXECUTION_ID}: HTTP 500 0176: The job '
                      'does not exist.', line)
        self.assertEqual('', self.app.stdout.getvalue())
        self.assertEqual('', self.log.output)

    def test_several_ids_one_failing(self):
        for name in ('a', 'c'):
            self.mock.get(f'{V11}/{name}/cancel',
                          json=fakes.cancel_example(id=name))
        self.mock.get(f'{V11}/b/cancel', status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'})
        line = self.fails('a', 'b', 'c', '-f', 'value', '-c', 'id')
        self.assertEqual('1 of 3 job executions failed to cancel.', line)
        # The others were cancelled and shown, in the order given.
        self.assertEqual('a\nc\n', self.app.stdout.getvalue())
        self.assertEqual(3, self.mock.call_count)
        self.assertEqual(1, len(self.log.output.splitlines()))
        self.assertIn('Failed to cancel job execution b: HTTP 500 0176',
                      self.log.output)

    def test_several_ids_are_one_document_in_every_format(self):
        for name in ('a', 'b'):
            self.mock.get(f'{V11}/{name}/cancel',
                          json=fakes.cancel_example(id=name))
        self.assertEqual('- id: a\n- id: b\n',
                         self.output('a', 'b', '-f', 'yaml', '-c', 'id'))
        self.assertEqual([{'id': 'a', 'state': None},
                          {'id': 'b', 'state': None}],
                         json.loads(self.output('a', 'b', '-f', 'json', '-c',
                                                'id', '-c', 'state')))
        self.assertEqual('a None\nb None\n',
                         self.output('a', 'b', '-f', 'value', '-c', 'id',
                                     '-c', 'state'))
        # One id: one object, as every show.
        self.assertEqual({'id': 'a'}, json.loads(
            self.output('a', '-f', 'json', '-c', 'id')))

    def test_several_ids_all_failing_is_still_one_document(self):
        self.mock.get(re.compile('/cancel'), status_code=500, json={
            'error_code': '0176', 'error_msg': 'The job does not exist.'})
        self.assertEqual('2 of 2 job executions failed to cancel.',
                         self.fails('a', 'b', '-f', 'json'))
        self.assertEqual([], json.loads(self.app.stdout.getvalue()))

    def test_a_column_the_answer_lacks_does_not_undo_the_cancel(self):
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            info={'status': 'RUNNING'}))
        shown = json.loads(self.output(fakes.JOB_EXECUTION_ID, '-c', 'id',
                                       '-c', 'tracking_url', '-f', 'json'))
        self.assertEqual({'id': fakes.JOB_EXECUTION_ID,
                          'tracking_url': None}, shown)

    def test_shell_format_with_several_ids_is_refused_first(self):
        self.assertIn('-f shell shows one job',
                      self.usage_error('a', 'b', '-f', 'shell'))

    def test_wait_prints_state_changes_then_the_final_job(self):
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            info={'status': 'RUNNING'}))
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}', [
            {'json': fakes.cancel_example(info={'status': 'RUNNING'})},
            {'json': fakes.cancel_example(info={'status': 'TOBEKILLED'})},
            {'json': fakes.cancel_example(info={'status': 'KILLED'})},
        ])
        shown = json.loads(self.output(
            fakes.JOB_EXECUTION_ID, '--wait', '--poll-interval', '0.01',
            '-f', 'json'))
        self.assertEqual({'status': 'KILLED'}, shown['info'])
        self.assertEqual(
            f'{fakes.JOB_EXECUTION_ID}: RUNNING -> TOBEKILLED\n'
            f'{fakes.JOB_EXECUTION_ID}: TOBEKILLED -> KILLED\n',
            self.app.stderr.getvalue())

    def test_wait_that_times_out_is_one_line_naming_the_state(self):
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            info={'status': 'RUNNING'}))
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}',
                      json=fakes.cancel_example(info={'status': 'RUNNING'}))
        parsed = self.check_parser(
            self.cmd, [fakes.JOB_EXECUTION_ID, '--wait', '--timeout', '0.05',
                       '--poll-interval', '0.01', '-f', 'value', '-c', 'id'],
            [])
        # Its own exit code, the line, and the job shown as it was.
        self.assertEqual(124, self.cmd.run(parsed))
        self.assertEqual(
            f'Timed out after 0.05 s waiting for job execution '
            f'{fakes.JOB_EXECUTION_ID} to end; its last state was RUNNING.',
            self.log.output.strip())
        self.assertEqual(f'{fakes.JOB_EXECUTION_ID}\n',
                         self.app.stdout.getvalue())

    def test_timeout_takes_units(self):
        for text, seconds in (('90', 90), ('90s', 90), ('15m', 900),
                              ('2h', 7200), ('1.5H', 5400)):
            parsed = self.check_parser(self.cmd, ['x', '--wait', '--timeout',
                                                  text], [])
            self.assertEqual(seconds, parsed.timeout)
        for text in ('2d', '1e308h'):  # the second would be infinite
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, ['x', '--wait', '--timeout', text],
                              [])

    def test_poll_interval_must_be_positive(self):
        self.assertRaises(base.ParserException, self.check_parser, self.cmd,
                          ['x', '--wait', '--poll-interval', '0'], [])

    def test_wait_options_without_wait_are_refused_first(self):
        self.assertIn('--timeout and --poll-interval can only be used with '
                      '--wait', self.usage_error('x', '--timeout', '5',
                                                 '--poll-interval', '1'))

    def test_a_job_that_had_ended_is_a_success(self):
        self.mock.get(CANCEL_URL, status_code=500, json={
            'error_code': '0160', 'error_msg': 'Failed to kill the job.'})
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}',
                      json=fakes.cancel_example(info={'status': 'SUCCEEDED'}))
        # The job no longer runs, as asked: a success with or without
        # --wait, and one line naming its state.
        for wait in ((), ('--wait',)):
            self.app.stderr = io.StringIO()
            shown = json.loads(self.output(fakes.JOB_EXECUTION_ID, *wait,
                                           '-f', 'json'))
            self.assertEqual(('FINISHED', 'SUCCEEDED'),
                             (shown['state'], shown['result']))
            self.assertEqual(f'{fakes.JOB_EXECUTION_ID}: it had already '
                             'ended (FINISHED).\n', self.app.stderr.getvalue())

    def test_ctrl_c_during_wait_names_the_jobs_waited_for(self):
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            info={'status': 'RUNNING'}))
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}',
                      exc=KeyboardInterrupt)
        parsed = self.check_parser(self.cmd, [fakes.JOB_EXECUTION_ID,
                                              '--wait'], [])
        self.assertRaises(KeyboardInterrupt, self.cmd.run, parsed)
        self.assertEqual(f'Stopped waiting for {fakes.JOB_EXECUTION_ID}; '
                         'its last state was RUNNING.\n',
                         self.app.stderr.getvalue())
        # Not also the "requests sent" line of the kills: they were
        # answered, the wait is what was stopped.
        self.assertEqual('', self.log.output)

    def test_bad_numbers_are_parser_errors(self):
        for argv in (['--timeout', 'soon'], ['--timeout', '-1'],
                     ['--poll-interval', 'nan']):
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, argv + ['x'], [])

    def test_v2_kills_then_shows_with_times_in_iso(self):
        job = fakes.JOB_ID
        self.mock.post(f'{V2}/{job}/kill', status_code=202)
        self.mock.get(f'{V2}/{job}', status_code=202,
                      json=fakes.V2_SHOW_EXAMPLE)
        table = self.output('--cluster', fakes.CLUSTER_ID, job)
        self.assertIn('| created_at   | 2019-08-01T02:29:21 ', table)
        self.assertIn('| state        | FINISHED ', table)
        raw = json.loads(self.output('--cluster', fakes.CLUSTER_ID, job,
                                     '-f', 'json'))
        # -f json: the model's columns, times in the table's form too.
        self.assertEqual(dict(model.JobExecution.from_v2(
            fakes.V2_SHOW_EXAMPLE['job_detail'], fakes.CLUSTER_ID)), raw)
        self.assertEqual('2019-08-01T02:29:21', raw['created_at'])

    def test_v11_12000085_is_sent_to_the_cluster_and_said_at_v(self):
        self.mock.get(CANCEL_URL, status_code=400, json={
            'error_code': '12000085', 'error_msg': 'Use V2.'})
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}',
                      json=fakes.cancel_example(cluster_id=fakes.CLUSTER_ID))
        self.mock.post(f'{V2}/{fakes.JOB_EXECUTION_ID}/kill', status_code=202)
        shown = json.loads(self.output(fakes.JOB_EXECUTION_ID, '-f', 'json'))
        self.assertEqual(fakes.JOB_EXECUTION_ID, shown['id'])
        self.assertIn(f'runs on cluster {fakes.CLUSTER_ID}, whose jobs only '
                      'the V2 API manages: cancelling it there.',
                      self.log.output)


class TestShow(CommandTest):

    command = job_execution.ShowJobExecution

    def test_v11_show(self):
        self.mock.get(f'{V11}/{fakes.JOB_EXECUTION_ID}',
                      json=fakes.CANCEL_EXAMPLE)
        shown = json.loads(self.output(fakes.JOB_EXECUTION_ID, '-f', 'json'))
        # info is null: the state is the job-exe's.
        self.assertEqual(dict(fakes.CANCEL_EXAMPLE['job_execution'],
                              name=None, state='RUNNING', result='UNDEFINED'),
                         shown)

    def test_v2_show_every_field_of_the_example(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', status_code=202,
                      json=fakes.V2_SHOW_EXAMPLE)
        shown = json.loads(self.output('--cluster', fakes.CLUSTER_ID,
                                       fakes.JOB_ID, '-f', 'json'))
        example = fakes.V2_SHOW_EXAMPLE['job_detail']
        # V2's fields under the V1.1 example's names, its times in V1.1's
        # form; the rest as sent.
        self.assertEqual(
            (example['job_id'], example['job_name'], fakes.CLUSTER_ID,
             example['job_state'], example['job_result'],
             '2019-08-01T02:29:21', '2019-08-01T02:29:38',
             '2019-08-01T02:31:04'),
            tuple(shown[name] for name in model.COMMON))
        self.assertEqual({name: example[name] for name in model.V2_OWN},
                         {name: shown[name] for name in model.V2_OWN})
        self.assertEqual(list(model.COMMON + model.V2_OWN), list(shown))

    def test_every_field_the_service_sends(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, tracking_url='https://yarn/app_7',
            obs_secret_key='SK-x', extra_args='--conf a.password=SK-y')})
        shown = json.loads(self.output('--cluster', fakes.CLUSTER_ID,
                                       fakes.JOB_ID, '-f', 'json'))
        self.assertEqual(list(model.COMMON + model.V2_OWN) + [
            'tracking_url', 'obs_secret_key', 'extra_args'], list(shown))
        self.assertEqual('https://yarn/app_7', shown['tracking_url'])
        self.assertEqual('***', shown['obs_secret_key'])
        self.assertEqual('--conf a.password=***', shown['extra_args'])
        self.assertEqual('https://yarn/app_7\n', self.output(
            '--cluster', fakes.CLUSTER_ID, fakes.JOB_ID, '-f', 'value',
            '-c', 'tracking_url'))

    def test_v2_arguments_as_a_list_stay_a_list(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, arguments=['a', 'b'], properties={'k': 'v'})})
        table = self.output('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID)
        self.assertIn('| arguments    | ["a", "b"] ', table)
        self.assertIn('| properties   | {"k": "v"} ', table)

    def test_unset_times_are_empty_in_the_table(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, finished_time=0, started_time=None)})
        table = self.output('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID)
        self.assertIn('| end_time     |  ', table)
        self.assertIn('| start_time   |  ', table)

    def test_several_ids_all_failing(self):
        self.mock.get(f'{V11}/a', status_code=404, json={
            'error_code': 404, 'error_name': 'NOT_FOUND',
            'error_message': 'not found'})
        self.mock.get(f'{V11}/b', status_code=404, json={
            'error_code': 404, 'error_name': 'NOT_FOUND',
            'error_message': 'not found'})
        self.assertEqual('2 of 2 job executions failed to show.',
                         self.fails('a', 'b'))
        self.assertEqual(2, len(self.log.output.splitlines()))


class TestList(CommandTest):

    command = job_execution.ListJobExecution

    def widest(self, table):
        return max(len(line) for line in table.splitlines())

    def test_v11_default_columns_name_each_jobs_cluster(self):
        self.mock.get(V11, json=fakes.v11_page(
            [fakes.JOB_EXECUTION_ID], info={'status': 'DONEWITHERROR'},
            start_time='2017-06-22T06:24:49'))
        table = self.output()
        # Two ids and the longest state: past 80 (--fit-width fits it).
        self.assertEqual(111, self.widest(table), table)
        self.assertEqual(list(model.LISTED),
                         table.splitlines()[1].replace('|', ' ').split())
        self.assertIn(fakes.CLUSTER_ID, table)
        self.assertIn('DONEWITHERROR', table)

    def test_v2_default_columns_are_v11s(self):
        job = fakes.v2_job(fakes.JOB_ID, job_type='SparkScript',
                           job_state='NEW_SAVING', job_result='UNDEFINED')
        self.mock.get(V2, json={'total_record': 1, 'job_list': [job]})
        table = self.output('--cluster', fakes.CLUSTER_ID)
        self.assertEqual(
            list(model.LISTED),
            table.splitlines()[1].replace('|', ' ').split())

    def test_any_field_by_c_without_long(self):
        self.mock.get(V11, json=fakes.v11_page(
            [fakes.JOB_EXECUTION_ID], info={'status': 'RUNNING'},
            cluster_id=fakes.CLUSTER_ID))
        # In the order of the fields, as cliff selects them.
        self.assertEqual(
            f'{fakes.JOB_EXECUTION_ID} {fakes.CLUSTER_ID} RUNNING\n',
            self.output('-f', 'value', '-c', 'id', '-c', 'cluster_id',
                        '-c', 'state'))
        job = fakes.v2_job(fakes.JOB_ID, tracking_url='http://yarn/app_1/')
        self.mock.get(V2, json={'total_record': 1, 'job_list': [job]})
        self.assertEqual('http://yarn/app_1/\n', self.output(
            '--cluster', fakes.CLUSTER_ID, '-f', 'value', '-c',
            'tracking_url'))

    def test_long_shows_every_field(self):
        self.mock.get(V2, json=fakes.V2_LIST_EXAMPLE)
        listed = json.loads(self.output('--cluster', fakes.CLUSTER_ID,
                                        '--long', '-f', 'json'))
        self.assertEqual(list(model.COMMON + model.V2_OWN), list(listed[0]))
        self.assertEqual('2019-08-02T02:59:23', listed[0]['created_at'])
        self.mock.get(V11, json=fakes.v11_page(['a']))
        listed = json.loads(self.output('--long', '-f', 'json'))
        self.assertEqual(list(model.COMMON + model.V11_OWN), list(listed[0]))

    def test_v2_filters_go_to_the_api_names(self):
        self.mock.get(V2, json=fakes.V2_LIST_EXAMPLE)
        self.output('--cluster', fakes.CLUSTER_ID, '--name', 'wc',
                    '--type', 'mapreduce', '--state', 'running',
                    '--result', 'undefined', '--submitted-after',
                    '2019-08-02T00:00:00Z', '--submitted-before',
                    '2019-08-02T02:00:00+02:00', '--limit', '5',
                    '--page', '2', '--sort', 'created_at:ASC')
        # requests-mock's qs lowers the case: read the URL as sent. The
        # API's own spelling, whatever the case typed.
        self.assertEqual({
            'job_name': ['wc'], 'job_type': ['MapReduce'],
            'job_state': ['RUNNING'], 'job_result': ['UNDEFINED'],
            'submitted_time_begin': ['1564704000000'],
            'submitted_time_end': ['1564704000000'],
            'limit': ['5'], 'offset': ['2'], 'sort_by': ['asc']},
            urllib.parse.parse_qs(urllib.parse.urlsplit(
                self.mock.last_request.url).query))

    def test_one_sort_option_in_each_apis_form(self):
        self.mock.get(V11, json={'job_executions': []})
        self.output('--sort', 'status:desc', '--limit', '1')
        self.assertEqual('-status', urllib.parse.parse_qs(
            urllib.parse.urlsplit(self.mock.last_request.url).query)
            ['sort_by'][0])
        self.output('--sort', 'id', '--limit', '1')
        self.assertIn('sort_by=id', self.mock.last_request.url)

    def test_a_v2_sort_is_by_submission_time(self):
        self.assertIn('this list sorts by created_at', self.usage_error(
            '--cluster', 'c', '--sort', 'job_name'))
        self.assertRaises(base.ParserException, self.check_parser, self.cmd,
                          ['--sort', 'id:sideways'], [])

    def test_options_of_the_other_api_are_refused(self):
        self.assertIn(
            'error: --name, --result can only be used with --cluster',
            self.usage_error('--name', 'x', '--result', 'FAILED'))
        self.assertIn(
            'error: --marker can only be used without --cluster',
            self.usage_error('--cluster', 'c', '--marker', 'm'))

    def test_offset_needs_limit(self):
        self.assertIn('argument --page: counts pages of the limit: it '
                      'needs a limit',
                      self.usage_error('--cluster', 'c', '--page', '3'))

    def test_a_single_valued_option_given_twice_is_refused(self):
        for argv in (['--cluster', 'c', '--name', 'a', '--name', 'b'],
                     ['--limit', '1', '--limit', '2']):
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, argv, [])

    def test_times_as_json_prints_them(self):
        parsed = self.check_parser(
            self.cmd, ['--cluster', 'c', '--submitted-after',
                       '1796156689986', '--submitted-before',
                       '2026-12-01T10:00:00Z'], [])
        self.assertEqual((1796156689986, 1796119200000),
                         (parsed.submitted_after, parsed.submitted_before))

    def test_times_before_now(self):
        now = lambda: 1_800_000_000.0  # noqa: E731
        for text, seconds in (('30m', 1800), ('2h', 7200), ('7d', 604800),
                              ('90s', 90), ('1.5H', 5400)):
            self.assertEqual(int((now() - seconds) * 1000),
                             argtypes.time_in_milliseconds(text, now), text)
        # Digits alone are epoch milliseconds; anything else is refused.
        self.assertEqual(30, argtypes.time_in_milliseconds('30', now))
        # A number too large is refused as any other bad value is, not a
        # traceback (OverflowError is no error argparse reports).
        for text in ('2w', '-2h', 'h', '100000d', '9' * 400 + 'd'):
            self.assertRaises(argparse.ArgumentTypeError,
                              argtypes.time_in_milliseconds, text, now)

    def test_bad_values_are_parser_errors(self):
        for argv in (['--limit', '0'], ['--type', 'Pig'],
                     ['--submitted-after', 'yesterday']):
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, argv, [])
        self.assertIn("'DONE' is no state: one of FAILED", self.usage_error(
            '--cluster', 'c', '--state', 'DONE'))

    def v2_lists(self):
        """Answer each job_state with its own job; the queries sent."""
        def answer(request, context):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(
                request.url).query)
            state = query.get('job_state', ['ANY'])[0]
            when = {'FINISHED': 3, 'FAILED': 2, 'KILLED': 1}.get(state, 0)
            return {'total_record': 1, 'job_list': [fakes.v2_job(
                state, job_state=state, submitted_time=when,
                job_result='FAILED' if state == 'FINISHED' else state)]}
        self.mock.get(V2, json=answer)

    def queries(self):
        return [urllib.parse.parse_qs(urllib.parse.urlsplit(r.url).query)
                for r in self.mock.request_history]

    def test_several_states_and_ended_on_a_cluster(self):
        self.v2_lists()
        listed = json.loads(self.output('--cluster', fakes.CLUSTER_ID,
                                        '--state', 'ended', '-f', 'json'))
        # One list per state (the API takes one), merged newest first.
        self.assertEqual(['FINISHED', 'FAILED', 'KILLED'],
                         [job['id'] for job in listed])
        self.assertEqual([['FINISHED'], ['FAILED'], ['KILLED']],
                         [q['job_state'] for q in self.queries()])
        listed = json.loads(self.output(
            '--cluster', fakes.CLUSTER_ID, '--state', 'killed', '--state',
            'FINISHED', '--result', 'FAILED', '--result', 'KILLED', '-f',
            'json'))
        self.assertEqual(['FINISHED', 'KILLED'],
                         [job['id'] for job in listed])
        # Several results are kept from what the lists answered.
        self.assertNotIn('job_result', self.queries()[-1])
        # --limit bounds them all, newest first; --page is for one state.
        listed = json.loads(self.output('--cluster', fakes.CLUSTER_ID,
                                        '--state', 'ended', '--limit', '2',
                                        '-f', 'json'))
        self.assertEqual(['FINISHED', 'FAILED'],
                         [job['id'] for job in listed])

    def test_a_page_of_several_states_is_refused(self):
        self.assertIn('argument --page: counts the pages of one state',
                      self.usage_error('--cluster', 'c', '--state', 'ended',
                                       '--limit', '2', '--page', '2'))

    def test_ended_without_a_cluster_filters_the_status(self):
        def execution(key, status):
            return fakes.cancel_example(id=key, info={'status': status})[
                'job_execution']

        running, killed, done = (execution('r', 'RUNNING'),
                                 execution('k', 'KILLED'),
                                 execution('s', 'SUCCEEDED'))
        self.mock.get(V11, json={'job_executions': [running, killed, done]})
        self.assertEqual('k\ns\n', self.output(
            '--state', 'ended', '-f', 'value', '-c', 'id'))
        self.assertEqual('r\n', self.output(
            '--state', 'running', '-f', 'value', '-c', 'id'))


class TestDelete(CommandTest):

    command = job_execution.DeleteJobExecution

    def test_nothing_on_stdout_when_all_are_deleted(self):
        for name in ('a', 'b'):
            self.mock.delete(f'{V11}/{name}', status_code=204)
        self.assertEqual('', self.output('a', 'b', '--force'))
        self.assertEqual('', self.log.output)

    def test_every_failure_named_the_rest_deleted(self):
        for name in ('a', 'c'):
            self.mock.delete(f'{V11}/{name}', status_code=204)
        for name in ('b', 'd'):
            self.mock.delete(f'{V11}/{name}', status_code=500, json={
                'error_code': '0176', 'error_msg': 'The job does not exist.'})
        self.assertEqual('2 of 4 job executions failed to delete.',
                         self.fails('a', 'b', 'c', 'd', '--parallel', '4',
                                    '--force'))
        failures = self.log.output.splitlines()
        self.assertEqual(2, len(failures))
        self.assertIn('Failed to delete job execution b:', failures[0])
        self.assertIn('Failed to delete job execution d:', failures[1])
        self.assertEqual(4, self.mock.call_count)

    def test_v2_in_one_batch(self):
        self.mock.post(f'{V2}/batch-delete', status_code=200)
        ids = [fakes.JOB_ID, fakes.JOB_EXECUTION_ID]
        self.assertEqual('', self.output('--cluster', fakes.CLUSTER_ID,
                                         '--force', *ids))
        self.assertEqual({'job_id_list': ids},
                         self.mock.last_request.json())

    def test_v2_deletes_only_ended_jobs_without_force(self):
        self.mock.post(f'{V2}/batch-delete', status_code=200)
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={
            'job_detail': fakes.v2_job(fakes.JOB_ID, job_state='RUNNING')})
        self.mock.get(f'{V2}/{fakes.JOB_EXECUTION_ID}', json={
            'job_detail': fakes.v2_job(fakes.JOB_EXECUTION_ID,
                                       job_state='FINISHED')})
        self.mock.get(f'{V2}/{fakes.CLUSTER_ID}', status_code=500,
                      json={'error_code': '0201',
                            'error_msg': 'The job does not exist.'})
        ids = [fakes.JOB_ID, fakes.JOB_EXECUTION_ID, fakes.CLUSTER_ID]
        self.assertEqual('2 of 3 job executions failed to delete.',
                         self.fails('--cluster', fakes.CLUSTER_ID, *ids))
        self.assertEqual({'job_id_list': [fakes.JOB_EXECUTION_ID]},
                         self.mock.last_request.json())
        self.assertIn(f'Job {fakes.JOB_ID} of cluster {fakes.CLUSTER_ID} is '
                      'RUNNING: not deleted, it has not ended. Cancel it '
                      'first (cancel --wait), or delete it with --force.',
                      self.log.output)
        self.assertIn(f'Failed to delete job {fakes.CLUSTER_ID} of cluster '
                      f'{fakes.CLUSTER_ID}: HTTP 500 0201: The job does not '
                      'exist.', self.log.output)

    def test_parallel_beyond_the_connections_kept_is_refused(self):
        # requests keeps 10 connections a host: more would thrash them.
        for bad in ('0', '11', 'many'):
            self.assertRaises(base.ParserException, self.check_parser,
                              self.cmd, ['--parallel', bad, 'a'], [])
        self.check_parser(self.cmd, ['--parallel', '10', 'a'], [])


class TestMakeClient(testtools.TestCase):
    """The plugin hands OSC's session, region and interface to the client."""

    def manager(self, endpoint, **config):
        instance = mock.Mock(region_name='eu-de', interface='internal')
        instance.session = fakes.make_session()
        instance.get_endpoint_for_service_type.return_value = endpoint
        instance.get_configuration.return_value = config
        return instance

    def test_api_timeout_per_cloud(self):
        from mrsclient.osc import plugin

        c = plugin.make_client(self.manager(ENDPOINT))
        self.assertEqual(30, c.timeout)
        c = plugin.make_client(
            self.manager(ENDPOINT, mrs_timeout_seconds='2.5'))
        self.assertEqual(2.5, c.timeout)
        e = self.assertRaises(
            exceptions.CommandError, plugin.make_client,
            self.manager(ENDPOINT, mrs_timeout_seconds='never'))
        self.assertEqual("mrs_timeout_seconds must be a number of seconds "
                         "above 0, not 'never'.", str(e))

    def test_make_client(self):
        from mrsclient.osc import plugin

        instance = self.manager(ENDPOINT)
        c = plugin.make_client(instance)
        instance.get_endpoint_for_service_type.assert_called_once_with(
            'mrs', region_name='eu-de', interface='internal')
        self.assertEqual('eu-de', c.region_name)
        self.assertEqual('internal', c.interface)
        self.assertIs(instance.session, c.session)
        self.assertEqual('https://mrs.example.com', c.service_root)

    def test_no_mrs_in_the_catalog(self):
        from keystoneauth1 import exceptions as ks_exceptions

        from mrsclient.osc import plugin

        instance = self.manager(None)
        instance.get_endpoint_for_service_type.side_effect = (
            ks_exceptions.EndpointNotFound())
        c = plugin.make_client(instance)
        e = self.assertRaises(api_exceptions.ConfigurationError,
                              c.job_executions().cancel, 'x')
        self.assertNotIn('mrs_endpoint_override', str(e))  # the library's
        self.assertIn('Set mrs_endpoint_override in clouds.yaml',
                      errors.line(e))  # the operator's


class TestWait(CommandTest):

    command = job_execution.WaitJobExecution

    def job(self, state, result):
        return {'json': {'job_detail': fakes.v2_job(
            fakes.JOB_ID, job_state=state, job_result=result)}}

    def test_a_job_that_ends_well(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', [
            self.job('RUNNING', 'UNDEFINED'),
            self.job('FINISHED', 'SUCCEEDED')])
        out = self.output('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID,
                          '--poll-interval', '0.01', '-f', 'value', '-c',
                          'result')
        self.assertEqual('SUCCEEDED\n', out)
        self.assertEqual(f'{fakes.JOB_ID}: RUNNING -> FINISHED\n',
                         self.app.stderr.getvalue())

    def test_where_to_look_shows_no_secret(self):
        self.mock.get(f'{V2}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, job_state='FAILED', job_result='FAILED',
            tracking_url='https://admin:YarnPass-77@yarn/app?token=T-42')})
        line = self.fails('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID)
        self.assertIn('its logs: https://admin:***@yarn/app?token=***', line)
        self.assertNotIn('YarnPass-77', line)
        self.assertNotIn('T-42', line)

    def test_quiet_says_nothing_but_errors(self):
        self.app.options.verbose_level = 0  # openstack -q
        self.mock.get(f'{V2}/{fakes.JOB_ID}', [
            self.job('RUNNING', 'UNDEFINED'),
            # A read that fails (3 tries), then works again: no lines.
            *[{'status_code': 503, 'text': 'busy'}] * 3,
            self.job('FINISHED', 'SUCCEEDED')])
        self.useFixture(fixtures.MockPatch(
            'keystoneauth1.session.time.sleep'))
        out = self.output('--cluster', fakes.CLUSTER_ID, fakes.JOB_ID,
                          '--poll-interval', '0.01', '-f', 'value', '-c',
                          'result')
        self.assertEqual('SUCCEEDED\n', out)
        self.assertEqual('', self.app.stderr.getvalue())

    def test_an_old_clusters_job_ends_by_v11_states(self):
        # V2 answers 0167 on the first read: the wait goes on through
        # V1.1, whose states are its final ones from then on.
        self.mock.get(f'{V2}/{fakes.JOB_ID}', status_code=500, json={
            'error_code': '0167', 'error_msg': 'old cluster'})
        self.mock.get(f'{V11}/{fakes.JOB_ID}', json=fakes.cancel_example(
            id=fakes.JOB_ID, info={'status': 'SUCCEEDED'}))
        parsed = self.check_parser(self.cmd, [
            '--cluster', fakes.CLUSTER_ID, fakes.JOB_ID, '--timeout', '1',
            '--poll-interval', '0.01', '-f', 'value', '-c', 'state'], [])
        self.app.stdout = io.StringIO()
        self.assertEqual(0, self.cmd.run(parsed))  # not 124: it ended
        self.assertEqual('FINISHED\n', self.app.stdout.getvalue())

    def test_jobs_that_end_badly_or_not_in_time(self):
        a, b, c, d = (f'{n}e7a2fbd-0000-4000-8000-000000000000'
                      for n in range(4))
        self.mock.get(f'{V2}/{a}', **self.job('FINISHED', 'FAILED'))
        self.mock.get(f'{V2}/{b}', **self.job('KILLED', 'KILLED'))
        self.mock.get(f'{V2}/{c}', **self.job('RUNNING', 'UNDEFINED'))
        self.mock.get(f'{V2}/{d}', **self.job('FINISHED', 'SUCCEEDED'))
        line = self.fails('--cluster', fakes.CLUSTER_ID, a, b, c, d,
                          '--timeout', '0', '-f', 'json')
        self.assertEqual('2 of 4 job executions ended badly (FINISHED/FAILED, '
                         'KILLED); 1 of 4 still RUNNING after 0 s.', line)
        self.assertEqual(3, len(self.log.output.splitlines()),
                         self.log.output)
        self.assertIn(f'Timed out after 0 s waiting for job execution {c}',
                      self.log.output)
        self.assertIn(f'Job {a} of cluster {fakes.CLUSTER_ID} ended '
                      'FINISHED with the result FAILED; it ran 1m 26s, its '
                      'YARN application: application_1564622673393_0007.',
                      self.log.output)
        # The job that did not end in time is shown too, as it was.
        self.assertEqual(['FAILED', 'KILLED', 'UNDEFINED', 'SUCCEEDED'],
                         [job['result'] for job in
                          json.loads(self.app.stdout.getvalue())])

    def test_only_timeouts_exit_124(self):
        c = '2e7a2fbd-0000-4000-8000-000000000000'
        self.mock.get(f'{V2}/{c}', **self.job('RUNNING', 'UNDEFINED'))
        parsed = self.check_parser(self.cmd, ['--cluster', fakes.CLUSTER_ID,
                                              c, '--timeout', '0'], [])
        self.assertEqual(124, self.cmd.run(parsed))

    def test_ctrl_c_names_each_job_followed(self):
        # Not on the project's first page: each is read by itself.
        self.mock.get(V11, json=fakes.v11_page([]))
        self.mock.get(f'{V11}/a', json=fakes.cancel_example(id='a'))
        self.mock.get(f'{V11}/b', exc=KeyboardInterrupt)
        parsed = self.check_parser(self.cmd, ['a', 'b', 'c', '--parallel',
                                              '1'], [])
        self.assertRaises(KeyboardInterrupt, self.cmd.run, parsed)
        # Reads change nothing: the jobs followed are named, none as
        # "may still take effect".
        said = self.app.stderr.getvalue()
        for key in 'abc':
            self.assertIn(f'Stopped waiting for {key}; its state was never '
                          'read.', said)
        self.assertNotIn('take effect', said + self.log.output)

    def test_v11_success_is_succeeded(self):
        self.mock.get(f'{V11}/x', json=fakes.cancel_example(
            id='x', info={'status': 'KILLED'}))
        self.assertEqual(f'Job x of cluster {fakes.CLUSTER_ID} ended KILLED.',
                         self.fails('x'))
