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

"""mrsclient.api is a library: its contract, and nothing of OSC in it."""

import inspect
import pathlib
import re
import subprocess
import sys

import testtools

from mrsclient.api import client
from mrsclient.api.jobs import protocol
from mrsclient.api.jobs import v11
from mrsclient.api.jobs import v2
from mrsclient.tests.unit import fakes

API = pathlib.Path(protocol.__file__).parent


class TestOneContract(testtools.TestCase):

    def test_both_apis_keep_the_declared_contract(self):
        c = client.MrsClient(fakes.make_session(), 'https://mrs.example.com')
        for api in (c.job_executions(), c.job_executions(fakes.CLUSTER_ID)):
            self.assertIsInstance(api, protocol.JobExecutions)
            for name, declared in inspect.getmembers(
                    protocol.JobExecutions, inspect.isfunction):
                if name.startswith('_'):
                    continue
                # Bound, both lose self: the key, then the same options.
                wanted = list(inspect.signature(
                    declared).parameters.values())[1:]
                got = list(inspect.signature(
                    getattr(api, name)).parameters.values())
                where = f'{type(api).__name__}.{name}'
                self.assertEqual(len(wanted), len(got), where)
                self.assertEqual([(p.name, p.default) for p in wanted[1:]],
                                 [(p.name, p.default) for p in got[1:]],
                                 where)
        self.assertIsInstance(v11.V11JobExecutions.TERMINAL, frozenset)
        self.assertIsInstance(v2.V2JobExecutions.TERMINAL, frozenset)


class TestNothingOfOsc(testtools.TestCase):

    def test_importing_the_library_imports_neither_osc_lib_nor_cliff(self):
        code = ('import sys; import mrsclient.api.client, '
                'mrsclient.api.jobs.v11, mrsclient.api.jobs.v2, '
                'mrsclient.api.jobs.names; '
                'print(sorted(m for m in sys.modules if m.split(".")[0] in '
                '("osc_lib", "cliff", "openstackclient")))')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual('[]', out.strip())

    def test_no_module_names_a_command_line_option(self):
        option = re.compile(r"""['"][^'"\n]*--(?!-)[a-z][^'"\n]*['"]""")
        for path in sorted(API.glob('*.py')):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if line.lstrip().startswith('#'):
                    continue
                self.assertIsNone(option.search(line),
                                  f'{path.name}:{number}: {line}')
