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

"""What mrsclient adds to an ``openstack`` start, and what a cancel costs.

usage: python tools/bench_import.py [--runs N]   (tox -e bench)

Run where mrsclient is installed as a wheel (an editable install adds its
own finder) and bytecode may be cached. OSC imports plugin modules with
``importlib.import_module``, which ``python -X importtime`` does not
report, so each run measures in a fresh process: import what OSC imports
(``openstackclient.shell``, which loads every plugin), forget mrsclient's
modules, and time importing them again, each after the one before:

* ``mrsclient.osc.plugin``: what every ``openstack`` call pays;
* ``mrsclient.osc.v1.job_execution`` and ``mrsclient.api.client``: what a
  mrsclient command pays once it runs.

It also times whole ``openstack`` calls: ``--help`` of the command, and a
cancel against mrs-simulator on loopback (a refused one, so that every run
does the same work: log in, one GET, one error line). Prints medians as an
RST table.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.path.dirname(sys.executable)
OPENSTACK = os.path.join(BIN, 'openstack')
MODULES = ('mrsclient.osc.plugin', 'mrsclient.osc.v1.job_execution',
           'mrsclient.api.client')
DRIVER = """
import importlib, json, sys, time
import openstackclient.shell
for name in [m for m in sys.modules if m.startswith('mrsclient')]:
    del sys.modules[name]
out = {}
for name in %r:
    before = set(sys.modules)
    started = time.perf_counter()
    importlib.import_module(name)
    out[name] = (time.perf_counter() - started) * 1000
    out[name + ' new'] = sorted(set(sys.modules) - before)
print(json.dumps(out))
""" % (MODULES,)


def wall_ms(argv, env):
    started = time.perf_counter()
    subprocess.run([OPENSTACK, *argv], capture_output=True, env=env)
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=15)
    args = parser.parse_args()

    work = tempfile.mkdtemp()
    clouds = os.path.join(work, 'clouds.yaml')
    inventory = os.path.join(work, 'inventory.json')
    sim = subprocess.Popen([os.path.join(BIN, 'mrs-simulator'),
                            '--clouds-yaml', clouds,
                            '--inventory', inventory],
                           stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(inventory) and os.path.getsize(inventory):
                break
            time.sleep(0.05)
        with open(inventory) as f:
            killed = json.load(f)['job_executions']['killed'][0]
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env['OS_CLIENT_CONFIG_FILE'] = clouds
        samples = {key: [] for key in MODULES + ('help', 'cancel')}
        new_modules = {}
        for _ in range(args.runs):
            out = json.loads(subprocess.run(
                [sys.executable, '-c', DRIVER], check=True, env=env,
                capture_output=True, text=True).stdout)
            for name in MODULES:
                samples[name].append(out[name])
                new_modules[name] = out[name + ' new']
            samples['help'].append(wall_ms(
                ['mrs', 'job', 'execution', 'cancel', '--help'], env))
            samples['cancel'].append(wall_ms(
                ['--os-cloud', 'mrs-simulator', 'mrs', 'job', 'execution',
                 'cancel', killed], env))
    finally:
        sim.terminate()
        sim.wait()

    rows = [(f'import {name}', name) for name in MODULES] + [
        ('openstack mrs job execution cancel --help', 'help'),
        ('openstack mrs job execution cancel <id> (simulator)', 'cancel'),
    ]
    width = max(len(label) for label, _ in rows)
    rule = '=' * width + '  ' + '=' * 12
    print(f'Medians of {args.runs} runs, Python {sys.version.split()[0]}.')
    print()
    print(rule)
    print('What'.ljust(width) + '  ' + 'Milliseconds')
    print(rule)
    for label, key in rows:
        print(label.ljust(width) + '  '
              + f'{statistics.median(samples[key]):.2f}'.rjust(12))
    print(rule)
    print()
    for name in MODULES:
        print(f'{name} adds the modules: {", ".join(new_modules[name])}')


if __name__ == '__main__':
    main()
