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

"""Many ids at once: delete 100 job executions, in parallel and one by one.

usage: tox -e bench-parallel [-- --runs N --ids N --latency SECONDS]

Starts mrs-simulator answering every request after ``--latency`` (50 ms
by default) with enough ended jobs to delete, then times whole
``openstack mrs job execution delete <100 ids>`` calls with the default
``--parallel`` and with ``--parallel 1``, alternating, each on ids not
deleted before. Prints medians and their ratio as an RST table.
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--ids', type=int, default=100)
    parser.add_argument('--latency', type=float, default=0.05)
    args = parser.parse_args()

    work = tempfile.mkdtemp()
    clouds = os.path.join(work, 'clouds.yaml')
    inventory = os.path.join(work, 'inventory.json')
    sim = subprocess.Popen(
        [os.path.join(BIN, 'mrs-simulator'), '--clouds-yaml', clouds,
         '--inventory', inventory, '--latency', str(args.latency),
         '--extra-jobs', str(2 * args.runs * args.ids)],
        stdout=subprocess.DEVNULL)
    try:
        while not os.path.exists(inventory):
            time.sleep(0.05)
        with open(inventory) as f:
            extra = json.load(f)['job_executions']['extra']
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env['OS_CLIENT_CONFIG_FILE'] = clouds
        samples = {'default': [], 'one': []}
        for run in range(2 * args.runs):
            kind = ('default', 'one')[run % 2]
            ids = extra[run * args.ids:(run + 1) * args.ids]
            extra_args = ['--parallel', '1'] if kind == 'one' else []
            started = time.perf_counter()
            done = subprocess.run(
                [os.path.join(BIN, 'openstack'), '--os-cloud',
                 'mrs-simulator', 'mrs', 'job', 'execution', 'delete',
                 *extra_args, *ids], capture_output=True, env=env)
            samples[kind].append(time.perf_counter() - started)
            if done.returncode:
                raise SystemExit(done.stderr.decode()[-500:])
    finally:
        sim.terminate()
        sim.wait()

    default = statistics.median(samples['default'])
    one = statistics.median(samples['one'])
    print(f'delete of {args.ids} ids, {args.latency * 1000:.0f} ms latency, '
          f'medians of {args.runs} runs each, Python '
          f'{sys.version.split()[0]}.')
    print()
    rule = '=' * 36 + '  ' + '=' * 7
    print(rule)
    print('What'.ljust(36) + '  Seconds')
    print(rule)
    print('default (``--parallel 10``)'.ljust(36) + f'  {default:7.2f}')
    print('``--parallel 1``'.ljust(36) + f'  {one:7.2f}')
    print('ratio (target 0.3 or less)'.ljust(36) + f'  {default / one:7.2f}')
    print(rule)


if __name__ == '__main__':
    main()
