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

"""Run the installed ``openstack`` binary as an operator would."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import fixtures
import testtools

from mrsclient.tests.functional.servers import run
from mrsclient.tests.unit import fakes

PROJECT_ID = fakes.PROJECT_ID

# The openstack script of the environment running the tests.
OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')


def interruptible():
    """A ``preexec_fn``: Ctrl-C (SIGINT) reaches the child.

    A shell runs a background job with SIGINT ignored, and a Python
    started so installs no KeyboardInterrupt handler: the tests of
    Ctrl-C would then test nothing when the suite itself runs in the
    background.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def documents(self):
        """The objects of -f json: one document, a list for several ids."""
        value = json.loads(self.out)
        return value if isinstance(value, list) else [value]

    def __repr__(self):
        return f'<exit {self.code} out={self.out!r} err={self.err!r}>'


def servers():
    """What servers/run.py started (see its MRS_FUNCTIONAL_ENV)."""
    path = os.environ.get('MRS_FUNCTIONAL_ENV')
    if not path:
        raise RuntimeError(
            'No servers: run the functional tests with tox -e functional '
            '(python -m mrsclient.tests.functional.servers.run -- stestr '
            '--test-path mrsclient/tests/functional run).')
    with open(path) as f:
        return json.load(f)


class CLITestCase(testtools.TestCase):

    # Extra environment of every call (e.g. OS_CLIENT_CONFIG_FILE).
    env = {}
    # The cloud of mrs() calls.
    cloud = None

    def clean_env(self, env=None):
        """This process's environment without OS_*, then the test's."""
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith('OS_')}
        clean.update(self.env)
        clean.update(env or {})
        return clean

    def openstack(self, *argv, env=None, timeout=120):
        proc = subprocess.run([OPENSTACK, *argv], capture_output=True,
                              text=True, env=self.clean_env(env),
                              timeout=timeout)
        return Result(proc)

    def net_time(self, run):
        """``(result, seconds)`` of ``run()`` net of openstack's start.

        What starting ``openstack`` costs on this machine now, under its
        load, is measured just before (``openstack --version``) and
        taken off twice (an MRS command also loads the plugin's client):
        a bound on the rest does not depend on the machine's load.
        """
        start = time.monotonic()
        self.openstack('--version')
        start_cost = time.monotonic() - start
        start = time.monotonic()
        result = run()
        return result, max(0.0, time.monotonic() - start - 2 * start_cost)

    def mrs(self, *argv, cloud=None, **kwargs):
        """``openstack --os-cloud <cloud> mrs job execution <argv>``."""
        return self.openstack('--os-cloud', cloud or self.cloud, 'mrs',
                              'job', 'execution', *argv, **kwargs)

    def assertSucceeded(self, result):
        self.assertEqual(0, result.code, result)
        self.assertEqual('', result.err, result)

    def assertOneLineError(self, result, *fragments):
        """Exit 1, nothing on stdout, one line on stderr, no traceback."""
        self.assertEqual(1, result.code, result)
        self.assertEqual('', result.out, result)
        self.assertEqual(1, len(result.err.splitlines()), result)
        self.assertNotIn('Traceback', result.err)
        for fragment in fragments:
            self.assertIn(fragment, result.err)


class OwnSimulator(CLITestCase):
    """A test's own mrs-simulator, started with options, and its counts."""

    cloud = 'mrs-simulator'

    def start(self, *options):
        workdir = self.useFixture(fixtures.TempDir()).path
        stack = []
        self.addCleanup(lambda: [stop() for stop in reversed(stack)])
        clouds, self.sim = run.start_simulator(workdir, stack, options)
        path = os.path.join(workdir, 'clouds.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': clouds}, f)
        self.env = {'OS_CLIENT_CONFIG_FILE': path}

    def stats(self):
        url = self.sim['auth_url'][:-len('/v3')] + '/_simulator/stats'
        with urllib.request.urlopen(url) as answer:
            return json.load(answer)

    def throttled(self):
        return self.stats()['throttled']

    def admitted(self):
        return self.stats()['admitted']


class StartedSimulator(OwnSimulator):
    """A test's own simulator, started, its seeded ids at hand."""

    def setUp(self):
        super().setUp()
        self.start()
        self.v11 = self.sim['job_executions']
        self.v2 = self.sim['jobs']
        self.clusters = self.sim['clusters']


def aksk_cloud(test, url, name='hostile', **auth):
    """``OS_CLIENT_CONFIG_FILE`` of one mrs-aksk cloud at ``url``.

    Its MRS and IAM are a test's own server there; ``auth`` adds to its
    keys.
    """
    path = os.path.join(test.useFixture(fixtures.TempDir()).path,
                        'clouds.yaml')
    with open(path, 'w') as f:
        json.dump({'clouds': {name: {
            'region_name': 'eu-de', 'auth_type': 'mrs-aksk',
            'mrs_endpoint_override': url,
            'auth': {'auth_url': url + '/v3', 'access_key': 'AKTEST',
                     'project_id': PROJECT_ID, **auth}}}}, f)
    return {'OS_CLIENT_CONFIG_FILE': path}
