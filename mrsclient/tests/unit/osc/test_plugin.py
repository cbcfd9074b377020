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
import logging
import subprocess
import sys

import testtools

from mrsclient.osc import plugin


class TestPluginContract(testtools.TestCase):

    def test_importing_the_plugin_imports_nothing_heavy(self):
        # OSC imports the plugin module on every call; it must not drag in
        # the HTTP stack or the commands.
        code = ('import sys; import mrsclient.osc.plugin; '
                'print("\\n".join(sorted(sys.modules)))')
        loaded = set(subprocess.run(
            [sys.executable, '-c', code], check=True, capture_output=True,
            text=True).stdout.split())
        self.assertIn('mrsclient.osc.plugin', loaded)
        for heavy in ('keystoneauth1', 'requests', 'osc_lib', 'cliff',
                      'mrsclient.api', 'mrsclient.osc.v1'):
            self.assertNotIn(heavy, loaded)

    def test_api_name_is_not_otcextensions_mrs(self):
        from mrsclient.osc import plugin

        self.assertNotEqual('mrs', plugin.API_NAME)
        self.assertIn(plugin.DEFAULT_API_VERSION, plugin.API_VERSIONS)

    def test_adds_no_global_option_but_its_auth_types(self):
        # What README says: no global option of its own; mrs-aksk brings
        # its options as every auth type does (osc-lib makes --os-<name>
        # of every option of every type).
        from osc_lib.api import auth

        parser = argparse.ArgumentParser()
        before = list(parser._actions)
        self.assertIs(parser, plugin.build_option_parser(parser))
        self.assertEqual(before, parser._actions)
        only_ours = {name for name, option in auth.get_options_list().items()
                     if option['help'].startswith('With mrs-aksk:')
                     and option['help'].count('With ') == 1}
        self.assertEqual({'access-key', 'secret-key', 'security-token',
                          'metadata-url'}, only_ours)

    def test_rate_limit_and_concurrency_from_clouds_yaml(self):
        from unittest import mock

        from mrsclient.osc import plugin
        from mrsclient.tests.unit import fakes

        instance = mock.Mock(region_name='r', interface='public',
                             session=fakes.make_session())
        instance.get_endpoint_for_service_type.return_value = (
            'https://mrs.example.com/v1.1/p')
        instance.get_configuration.return_value = {
            'rate_limit': {'mrs': 20, 'compute': 5},
            'concurrency': {'mrs': 4}}
        with mock.patch('keystoneauth1.adapter.Adapter.__init__',
                        return_value=None) as adapter:
            plugin.make_client(instance)
            given = adapter.call_args.kwargs
            self.assertEqual((20, 4),
                             (given['rate_limit'], given['concurrency']))
            instance.get_configuration.return_value = {}
            plugin.make_client(instance)
            self.assertEqual((None, None),
                             (adapter.call_args.kwargs['rate_limit'],
                              adapter.call_args.kwargs['concurrency']))


class TestTimeoutSetting(testtools.TestCase):

    def test_timeout_from_clouds_yaml(self):
        from osc_lib import exceptions

        from mrsclient.api.http import retries
        from mrsclient.osc import plugin

        self.assertEqual(retries.DEFAULT_TIMEOUT, plugin.parse_timeout(None))
        self.assertEqual(2.5, plugin.parse_timeout('2.5'))
        for bad in ('0', '-1', 'soon', 'inf', [1]):
            e = self.assertRaises(exceptions.CommandError,
                                  plugin.parse_timeout, bad)
            self.assertIn('mrs_timeout_seconds must be a number of seconds',
                          str(e))


class TestOscMasksAnMrsCallsConfiguration(testtools.TestCase):

    def logged(self, mask, *records):
        logger = logging.getLogger(f'test.mask.{self.id()}')
        logger.addFilter(mask)
        with self.assertLogs(logger, 'DEBUG') as logs:
            for record in records:
                logger.debug('cloud cfg: %s', record)
        return logs.output

    def test_the_filter_is_on_oscs_loggers(self):
        for name in plugin.OSC_CONFIG_LOGGERS:
            self.assertIn(plugin._MASK, logging.getLogger(name).filters)

    def test_an_mrs_call_is_masked(self):
        [line] = self.logged(plugin.MaskConfiguration(True), {'auth': {
            'access_key': 'AK', 'secret_key': 'SK-never-shown',
            'sk': 'sk-never', 'region_name': 'eu-de'}})
        self.assertNotIn('never', line)
        self.assertIn("'region_name': 'eu-de'", line)

    def test_another_plugins_call_is_left_as_it_is(self):
        other = {'auth_type': 'password', 'sk': 'theirs', 'secret_key': 'x'}
        aksk = {'auth_type': 'mrs-aksk', 'auth': {'secret_key': 'SK-never'}}
        first, second, third = self.logged(plugin.MaskConfiguration(False),
                                           other, aksk, other)
        self.assertIn("'sk': 'theirs'", first)
        # An mrs-aksk cloud makes it an MRS call, from its first record.
        self.assertNotIn('SK-never', second)
        self.assertNotIn('theirs', third)

    def test_what_makes_a_call_mrss(self):
        for words, environ, mrs in (
                (['mrs', 'job', 'execution', 'list'], {}, True),
                (['--os-auth-type', 'mrs-aksk', 'server', 'list'], {}, True),
                (['--os-secret-key=x', 'server', 'list'], {}, True),
                (['server', 'list'], {'OS_AUTH_TYPE': 'mrs-aksk'}, True),
                (['server', 'list'], {'OS_SECRET_KEY': 'x'}, True),
                (['server', 'list'], {'OS_AUTH_TYPE': 'password'}, False),
                (['server', 'list', '--name', 'mrsx'], {}, False)):
            self.assertEqual(mrs, plugin._says_mrs(words, environ), words)
