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

import ast
import inspect
import pathlib
import re
import subprocess
import sys

import requests_mock
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.jobs import executions
from mrsclient.api.jobs import protocol
from mrsclient.api.jobs import states
from mrsclient.api.jobs import v11
from mrsclient.api.jobs import v2
from mrsclient.tests.unit import fakes

API = pathlib.Path(client.__file__).parent
PACKAGE = API.parent


class TestOneContract(testtools.TestCase):

    def test_both_apis_keep_the_declared_contract(self):
        c = client.MrsClient(fakes.make_session(), 'https://mrs.example.com')
        for api in (c.route(), c.route(fakes.CLUSTER_ID),
                    v2.V2JobExecutions(c, fakes.CLUSTER_ID)):
            self.assertIsInstance(api, protocol.Route)
            for name, declared in inspect.getmembers(
                    protocol.Route, inspect.isfunction):
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
        for path in sorted(API.rglob('*.py')):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if line.lstrip().startswith('#'):
                    continue
                self.assertIsNone(option.search(line),
                                  f'{path.name}:{number}: {line}')


def _imports(path):
    """``[(module imported, inside a function)]`` of a source file."""
    tree = ast.parse(path.read_text())
    found = []

    def visit(node, inside):
        for child in ast.iter_child_nodes(node):
            deeper = inside or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.module:
                for alias in child.names:
                    found.append((f'{child.module}.{alias.name}', deeper))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, deeper) for alias in child.names)
            visit(child, deeper)

    visit(tree, False)
    return found


def _module(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


class TestLayout(testtools.TestCase):
    """The import graph: no cycle, and what imports where."""

    # Imports inside functions, on the start-up path of every openstack
    # call (each says why where it is).
    STARTUP = {'mrsclient.osc.plugin', 'mrsclient.api.auth.loader'}

    def graph(self):
        modules = {_module(p): p for p in sorted(PACKAGE.rglob('*.py'))
                   if 'tests' not in p.parts}
        edges = {}
        for name, path in modules.items():
            edges[name] = set()
            for target, inside in _imports(path):
                while target and target not in modules:
                    target = target.rpartition('.')[0]
                if target and target != name:
                    edges[name].add((target, inside))
        return edges

    def test_no_import_cycle(self):
        edges = {name: {target for target, _ in targets}
                 for name, targets in self.graph().items()}
        state = {}

        def walk(name, trail):
            state[name] = 'open'
            for target in sorted(edges[name]):
                if state.get(target) == 'open':
                    self.fail(' -> '.join(trail + [name, target]))
                if target not in state:
                    walk(target, trail + [name])
            state[name] = 'done'

        for name in sorted(edges):
            if name not in state:
                walk(name, [])

    def test_imports_inside_functions_only_on_the_startup_path(self):
        for name, targets in self.graph().items():
            inside = sorted(target for target, deeper in targets if deeper)
            if name not in self.STARTUP:
                self.assertEqual([], inside, name)

    def test_the_library_imports_nothing_of_the_commands(self):
        for name, targets in self.graph().items():
            if name.startswith('mrsclient.api'):
                self.assertEqual(
                    [], sorted(t for t, _ in targets
                               if not t.startswith('mrsclient.api')), name)

    # What the commands may use of the library: its front. The routes
    # (which API a job lives on) and the HTTP layer are beneath it.
    FRONT = {'mrsclient.api.client', 'mrsclient.api.exceptions',
             'mrsclient.api.secret_names', 'mrsclient.api.jobs.executions',
             'mrsclient.api.jobs.model', 'mrsclient.api.jobs.states',
             'mrsclient.api.jobs.rules'}

    def test_the_commands_use_the_librarys_front_only(self):
        for name, targets in self.graph().items():
            if not name.startswith('mrsclient.osc') \
                    or name == 'mrsclient.osc.plugin':
                continue
            used = sorted(t for t, _ in targets
                          if t.startswith('mrsclient.api'))
            self.assertEqual([], [t for t in used if t not in self.FRONT],
                             name)

    def test_no_command_knows_an_api_version_or_spells_a_state(self):
        words = set(states.STATES) | {'SUCCEEDED', 'v1.1', 'v2'}
        for path in sorted((PACKAGE / 'osc').rglob('*.py')):
            if path.name == 'plugin.py':
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                # A state or version compared, or listed in a constant.
                if isinstance(node, ast.Attribute):
                    self.assertNotEqual('version', node.attr, path)
                if isinstance(node, (ast.Compare, ast.Tuple, ast.Set,
                                     ast.List, ast.Dict)):
                    found = {n.value for n in ast.walk(node)
                             if isinstance(n, ast.Constant)
                             and n.value in words}
                    self.assertEqual(set(), found,
                                     f'{path.name}:{node.lineno}')


class TestSubmissionRules(testtools.TestCase):
    """The API reference's rules, on every route, before any request."""

    def setUp(self):
        super().setUp()
        from requests_mock.contrib import fixture as rm_fixture
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.client = client.MrsClient(
            fakes.make_session(),
            f'https://mrs.example.com/v1.1/{fakes.PROJECT_ID}')

    def test_a_v2_body_that_breaks_a_rule_is_not_sent(self):
        api = self.client.job_executions(fakes.CLUSTER_ID)
        for body, field in (
                ({'job_type': 'Pig', 'job_name': 'j'}, 'job_type'),
                ({'job_type': 'MapReduce', 'job_name': 'a b'}, 'job_name'),
                ({'job_type': 'MapReduce', 'job_name': 'j',
                  'arguments': ['x' * 4097]}, 'arguments'),
                ({'job_type': 'MapReduce', 'job_name': 'j',
                  'properties': {'k': 'a|b'}}, 'properties')):
            e = self.assertRaises(exceptions.InvalidValue, api.submit, body)
            self.assertEqual(field, e.field, body)
            self.assertNotIn('--', str(e))
        self.assertEqual(0, self.mock.call_count)

    def test_properties_are_counted_in_characters(self):
        api = self.client.job_executions(fakes.CLUSTER_ID)
        body = {'job_type': 'MapReduce', 'job_name': 'j',
                'properties': {'note': '作' * 2000}}
        self.mock.post(requests_mock.ANY, json={'job_submit_result': {
            'job_id': fakes.JOB_ID, 'state': 'COMPLETE'}})
        self.assertEqual(fakes.JOB_ID, api.submit(body))
        body['properties']['note'] = '作' * 2100
        e = self.assertRaises(exceptions.InvalidValue, api.submit, body)
        self.assertEqual('properties', e.field)
        self.assertEqual(1, self.mock.call_count)

    def test_a_v11_body_that_breaks_a_rule_is_not_sent(self):
        api = self.client.job_executions(fakes.CLUSTER_ID)
        for body, field in (
                ({'job_type': 4, 'job_name': 'j'}, 'job_type'),
                ({'job_type': 1, 'job_name': 'j'}, 'jar_path'),
                ({'job_type': 1, 'job_name': 'j', 'jar_path': 'x.jar'},
                 'jar_path'),
                ({'job_type': 1, 'job_name': 'j', 'jar_path': '/x.jar',
                  'arguments': 'a;b'}, 'arguments')):
            e = self.assertRaises(exceptions.InvalidValue, api.submit, body)
            self.assertEqual(field, e.field, body)
            self.assertNotIn('--', str(e))
        self.assertEqual(0, self.mock.call_count)


class TestWait(testtools.TestCase):
    """``wait`` is the library's: state changes told through a callback."""

    def test_a_job_followed_to_its_end(self):
        from requests_mock.contrib import fixture as rm_fixture
        mock = self.useFixture(rm_fixture.Fixture())
        c = client.MrsClient(fakes.make_session(),
                             f'https://mrs.example.com/v1.1/'
                             f'{fakes.PROJECT_ID}')
        url = (f'https://mrs.example.com/v2/{fakes.PROJECT_ID}/clusters/'
               f'{fakes.CLUSTER_ID}/job-executions/{fakes.JOB_ID}')
        mock.get(url, [
            {'json': {'job_detail': fakes.v2_job(fakes.JOB_ID,
                                                 job_state='RUNNING')}},
            {'status_code': 500, 'text': '<html>proxy</html>'},
            {'status_code': 500, 'text': '<html>proxy</html>'},
            {'json': {'job_detail': fakes.v2_job(
                fakes.JOB_ID, job_state='FINISHED',
                job_result='SUCCEEDED')}}])
        changes, trouble = [], []
        api = c.job_executions(fakes.CLUSTER_ID)
        waiter = executions.Waiter(interval=0)
        waiter.sleep = lambda seconds: None
        [done] = api.wait(
            [fakes.JOB_ID], waiter,
            on_change=lambda *told: changes.append(told),
            on_trouble=lambda key, error: trouble.append(error is None))
        self.assertIsNone(done.error)
        self.assertEqual('FINISHED', done.job['state'])
        self.assertEqual([(fakes.JOB_ID, None, 'RUNNING'),
                          (fakes.JOB_ID, 'RUNNING', 'FINISHED')], changes)
        # Its reads failed (a proxy's 500s, no MRS code: an outage), and
        # worked again.
        self.assertEqual([False, True], trouble)
