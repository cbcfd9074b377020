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

from unittest import mock

from osc_lib.cli import format_columns
from osc_lib import exceptions
from osc_lib.test import base
from requests_mock.contrib import fixture as rm_fixture

from mrsclient.api import client
from mrsclient.osc.v1 import job_execution
from mrsclient.tests.unit import fakes

ENDPOINT = f'https://mrs.example.com/v1.1/{fakes.PROJECT_ID}'
CANCEL_URL = (f'{ENDPOINT}/job-executions/{fakes.JOB_EXECUTION_ID}'
              '/cancel')


class TestCancelJobExecution(base.TestCommand):

    def setUp(self):
        super().setUp()
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.app.client_manager.mrs_job = client.MrsClient(
            fakes.make_session(), ENDPOINT)
        self.cmd = job_execution.CancelJobExecution(self.app, None)

    def run_cmd(self, *argv):
        parsed = self.check_parser(
            self.cmd, list(argv), [('job_execution', argv[-1])])
        return self.cmd.take_action(parsed)

    def test_id_is_required(self):
        self.assertRaises(base.ParserException, self.check_parser,
                          self.cmd, [], [])

    def test_one_id_only(self):
        self.assertRaises(base.ParserException, self.check_parser,
                          self.cmd, ['a', 'b'], [])

    def test_cancel_prints_every_documented_field(self):
        self.mock.get(CANCEL_URL, json=fakes.CANCEL_EXAMPLE)
        columns, data = self.run_cmd(fakes.JOB_EXECUTION_ID)
        example = fakes.CANCEL_EXAMPLE['job_execution']
        self.assertEqual(sorted(example), sorted(columns))
        self.assertEqual(('id', 'job_id', 'cluster_id', 'tenant_id', 'info'),
                         columns[:5])
        self.assertEqual(tuple(example[c] for c in columns), data)
        self.assertEqual(1, self.mock.call_count)

    def test_nested_values_stay_structured(self):
        configs = {'configs': {'mapred.map.tasks': '2'},
                   'args': ['/in', '/out'], 'params': {}}
        urls = {'d1': 'obs://bucket/in'}
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            job_configs=configs, data_source_urls=urls,
            info={'status': 'KILLED'}))
        columns, data = self.run_cmd(fakes.JOB_EXECUTION_ID)
        row = dict(zip(columns, data))
        self.assertItemEqual(
            [format_columns.DictColumn(configs),
             format_columns.DictColumn(urls),
             format_columns.DictColumn({'status': 'KILLED'})],
            [row['job_configs'], row['data_source_urls'], row['info']])
        self.assertEqual("status='KILLED'", row['info'].human_readable())

    def test_info_as_a_string_and_lists(self):
        self.mock.get(CANCEL_URL, json=fakes.cancel_example(
            info='KILLED', job_configs=['a', 'b']))
        columns, data = self.run_cmd(fakes.JOB_EXECUTION_ID)
        row = dict(zip(columns, data))
        self.assertEqual('KILLED', row['info'])
        self.assertItemEqual([format_columns.ListColumn(['a', 'b'])],
                             [row['job_configs']])

    def test_missing_fields_are_null(self):
        self.mock.get(CANCEL_URL, json={'job_execution': {
            'id': fakes.JOB_EXECUTION_ID, 'extra': 1}})
        columns, data = self.run_cmd(fakes.JOB_EXECUTION_ID)
        row = dict(zip(columns, data))
        self.assertEqual(fakes.JOB_EXECUTION_ID, row.pop('id'))
        self.assertEqual(set([None]), set(row.values()))

    def test_server_error_is_a_command_error(self):
        self.mock.get(CANCEL_URL, status_code=500, json={
            'error_code': '0160', 'error_msg': 'Failed to kill the job.'})
        e = self.assertRaises(exceptions.CommandError, self.run_cmd,
                              fakes.JOB_EXECUTION_ID)
        self.assertIn('HTTP 500 0160: Failed to kill the job.', str(e))

    def test_blank_id_sends_nothing(self):
        e = self.assertRaises(exceptions.CommandError, self.run_cmd, ' ')
        self.assertEqual('The job execution id must not be empty.', str(e))
        self.assertFalse(self.mock.called)


class TestMakeClient(base.TestCase):
    """The plugin hands OSC's session, region and interface to the client."""

    def manager(self, endpoint):
        instance = mock.Mock(region_name='eu-de', interface='internal')
        instance.session = fakes.make_session()
        instance.get_endpoint_for_service_type.return_value = endpoint
        return instance

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
        e = self.assertRaises(exceptions.CommandError,
                              c.cancel_job_execution, 'x')
        self.assertIn('mrs_endpoint_override', str(e))
