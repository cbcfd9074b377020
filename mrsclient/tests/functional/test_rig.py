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

"""The functional rig leaves nothing behind, even when killed hard."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import fixtures

from mrsclient.tests.functional import base


def alive(pid):
    """Whether ``pid`` runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (FileNotFoundError, ProcessLookupError):
        return False


class TestRunnerKilledHard(base.CLITestCase):

    def test_sigkill_leaves_no_server_behind(self):
        venvs = base.servers()['venvs']
        tmp = self.useFixture(fixtures.TempDir()).path
        ready = os.path.join(tmp, 'servers.json')
        # The command copies the servers' description, then waits.
        command = [sys.executable, '-c',
                   'import os, shutil, time; shutil.copy(os.environ['
                   f'"MRS_FUNCTIONAL_ENV"], {ready!r}); time.sleep(600)']
        said = open(os.path.join(tmp, 'runner.log'), 'w+')
        self.addCleanup(said.close)
        runner = subprocess.Popen(
            [sys.executable, '-m', 'mrsclient.tests.functional.servers.run',
             '--venvs', venvs, '--', *command],
            stdout=subprocess.DEVNULL, stderr=said, start_new_session=True)
        self.addCleanup(lambda: runner.poll() is None and runner.kill())
        deadline = time.monotonic() + 180
        while not os.path.exists(ready):
            if runner.poll() is not None:
                said.seek(0)
                self.fail('the runner ended early:\n' + said.read()[-4000:])
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.5)
        with open(ready) as f:
            described = json.load(f)
        pids = [described[name]['pid']
                for name in ('keystone', 'sahara', 'simulator')]
        self.assertTrue(all(map(alive, pids)), pids)

        os.kill(runner.pid, signal.SIGKILL)
        runner.wait()
        deadline = time.monotonic() + 15
        while any(map(alive, pids)) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual([], [pid for pid in pids if alive(pid)])
        # What SIGKILL cannot clean: the runner's temporary directory.
        shutil.rmtree(os.path.dirname(described['clouds_yaml']),
                      ignore_errors=True)
