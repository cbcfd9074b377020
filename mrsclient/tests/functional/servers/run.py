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

"""Start the functional tests' servers, run a command, always stop them.

usage: python -m mrsclient.tests.functional.servers.run [--venvs DIR] \\
           -- stestr run ...

Starts, on 127.0.0.1: a real Keystone, a real Sahara checking tokens
against it, and mrs-simulator (Keystone and the simulator bind port 0
and report the port they got). Each dies with this runner, even when it
is killed with SIGKILL. Writes a clouds.yaml and a
JSON description of the servers (MRS_FUNCTIONAL_ENV) for the tests, runs
the command, stops every server whatever happens, and exits with the
command's status.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from mrsclient.tests.functional.servers import common
from mrsclient.tests.functional.servers import keystone_server
from mrsclient.tests.functional.servers import sahara_server

ENV_VAR = 'MRS_FUNCTIONAL_ENV'


def _cloud(auth_url, user, password, project):
    return {'region_name': keystone_server.REGION,
            'auth': {'auth_url': auth_url, 'username': user,
                     'password': password, 'project_name': project,
                     'user_domain_id': 'default',
                     'project_domain_id': 'default'}}


def start_simulator(workdir, stack, extra=()):
    """Start mrs-simulator on port 0; its inventory tells where it is.

    ``extra``: more of its options (a test of throttling starts its own
    with ``--rate-limit``).
    """
    script = os.path.join(os.path.dirname(sys.executable), 'mrs-simulator')
    clouds = os.path.join(workdir, 'simulator-clouds.yaml')
    inventory = os.path.join(workdir, 'simulator.json')
    process = common.Process(
        'mrs-simulator',
        [script, '--clouds-yaml', clouds, '--inventory', inventory,
         '--kill-delay', '1', '--job-duration', '1', *extra],
        os.path.join(workdir, 'simulator.log'))
    stack.append(process.stop)
    simulator = json.loads(process.wait_for_file(inventory, timeout=20))
    process.wait_until(simulator['auth_url'], {200}, timeout=20)
    with open(clouds) as f:
        sim_clouds = json.load(f)['clouds']
    simulator['pid'] = process.pid
    return sim_clouds, simulator


def start(venvs, workdir, stack):
    """Start everything; push each stop onto ``stack``; describe it all."""
    keystone = keystone_server.Keystone(venvs, workdir)
    sahara = sahara_server.Sahara(venvs, workdir)
    timings = {}
    t = time.monotonic()
    keystone.install()
    sahara.install()
    timings['install'] = time.monotonic() - t

    t = time.monotonic()
    stack.append(keystone.stop)
    keystone.start()
    made = keystone.seed(f'{sahara.root}/v1.1/$(project_id)s')
    timings['keystone'] = time.monotonic() - t

    t = time.monotonic()
    stack.append(sahara.stop)
    executions = sahara.start(keystone.url,
                              made['users']['sahara']['password'],
                              made['projects'])
    timings['sahara'] = time.monotonic() - t

    t = time.monotonic()
    sim_clouds, simulator = start_simulator(workdir, stack)
    timings['simulator'] = time.monotonic() - t

    clouds = {f'sahara-{user}': _cloud(keystone.url, user, info['password'],
                                       info['project'])
              for user, info in made['users'].items() if user != 'sahara'}
    clouds.update(sim_clouds)
    clouds_yaml = os.path.join(workdir, 'clouds.yaml')
    with open(clouds_yaml, 'w') as f:
        json.dump({'clouds': clouds}, f, indent=2)  # JSON is YAML
    common.log('started in ' + ', '.join(
        f'{name} {seconds:.1f} s' for name, seconds in timings.items()))
    return {
        'clouds_yaml': clouds_yaml,
        'venvs': venvs,
        'keystone': {'url': keystone.url, 'projects': made['projects'],
                     'pid': keystone.process.pid},
        'sahara': {'root': sahara.root, 'job_executions': executions,
                   'log': os.path.join(sahara.workdir, 'sahara.log'),
                   'pid': sahara.process.pid},
        'simulator': simulator,
        'passwords': {user: info['password']
                      for user, info in made['users'].items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--venvs', default=os.path.join('.tox', 'servers'),
                        help='Where the servers\' venvs are kept and reused')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ['--'] \
        else args.command
    if not command:
        parser.error('give the command to run after --')

    # A SIGTERM (tox or CI giving up) still stops the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stack = []
    with tempfile.TemporaryDirectory(prefix='mrs-functional-') as workdir:
        try:
            described = start(os.path.abspath(args.venvs), workdir, stack)
            env_file = os.path.join(workdir, 'servers.json')
            with open(env_file, 'w') as f:
                json.dump(described, f, indent=2)
            env = dict(os.environ, **{ENV_VAR: env_file})
            # The command, too, ends when this runner is killed.
            return subprocess.run(
                command, env=env,
                preexec_fn=common.die_with_parent(signal.SIGTERM)
            ).returncode
        finally:
            for stop in reversed(stack):
                stop()
            common.log('stopped')


if __name__ == '__main__':
    sys.exit(main())
