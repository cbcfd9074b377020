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

"""Fleet scale: a throttling API, a wait on 200 jobs, a 5,000-job list.

usage: tox -e bench-scale [-- --runs N]

Each figure times whole ``openstack mrs job execution ...`` calls against
mrs-simulator, net of the start (the same process showing one job), and
prints RST tables for doc/source/contributor/benchmarks.rst:

* P8, throttled bulk: ``delete`` of 100 V1.1 ids against
  ``--rate-limit 20``, with ``Retry-After: 1`` and without; the 429s the
  simulator answered. Targets: at most 1.5 x 100/20 s, at most 50 429s.
* P9, waits that scale: ``cancel --cluster C <200 ids> --wait
  --poll-interval 1`` against the same command on one job (50 ms latency,
  a kill takes 2 s). Target: at most 2x.
* P11, a project-wide (V1.1) list of 320 executions, their info null
  (50 ms latency): MRS requests (counted by the simulator) and seconds,
  net of the start. Target: at most ceil(320 / 100) + 5 = 9 requests.
* P12, signing in: a V1.1 ``cancel`` with AK/SK (auth type mrs-aksk,
  ``project_id`` given) against one with a password (Keystone's
  discovery and token first), 50 ms latency: requests of any kind the
  simulator answered, and seconds (not net: the login is the point).
* P10, lists that scale: ``list --cluster C`` of 5,000 jobs (50 ms
  latency), default ``--parallel`` against ``--parallel 1``; peak RSS
  against a one-job list. Targets: at most 0.15x; at most +50 MB.
* P13, a cluster of 100,000 jobs: how long ``mrs-simulator --fleet
  100000`` takes to be ready, and ``list --cluster C -f value -c
  id`` (no latency): seconds, requests the simulator answered, the
  ids printed (each once), and the command's peak RSS. Targets: ready in
  10 s; at most 40 s and 150 MB.
* P14, what requests cost: a plain V2 ``cancel`` of 100 running jobs
  (target: at most 110 MRS requests, the kills and the list pages that
  show them), and P15, a ``wait`` on 100 ended V1.1 executions whose
  info is null (target: at most 2 requests a job).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.path.dirname(sys.executable)


class Simulator:
    def __init__(self, *options):
        self.work = tempfile.mkdtemp()
        self.clouds = os.path.join(self.work, 'clouds.yaml')
        inventory = os.path.join(self.work, 'inventory.json')
        self.proc = subprocess.Popen(
            [os.path.join(BIN, 'mrs-simulator'), '--clouds-yaml',
             self.clouds, '--inventory', inventory, *options],
            stdout=subprocess.DEVNULL)
        while not os.path.exists(inventory):
            time.sleep(0.05)
        with open(inventory) as f:
            self.inventory = json.load(f)
        self.url = self.inventory['auth_url'][:-len('/v3')]

    def stats(self):
        with urllib.request.urlopen(self.url + '/_simulator/stats') as f:
            return json.load(f)

    def throttled(self):
        return self.stats()['throttled']

    def run(self, *argv, cloud='mrs-simulator'):
        """Seconds of ``openstack mrs job execution <argv>``."""
        return self._run(argv, cloud)[0]

    def run_output(self, *argv):
        """What ``openstack mrs job execution <argv>`` prints."""
        return self._run(argv)[1]

    def _run(self, argv, cloud='mrs-simulator'):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env['OS_CLIENT_CONFIG_FILE'] = self.clouds
        started = time.perf_counter()
        done = subprocess.run(
            [os.path.join(BIN, 'openstack'), '--os-cloud', cloud,
             'mrs', 'job', 'execution', *argv], capture_output=True,
            env=env)
        seconds = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(done.stderr.decode()[-800:])
        return seconds, done.stdout.decode()

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def table(rows):
    width = max(len(what) for what, _ in rows)
    rule = '=' * width + '  ' + '=' * 12
    lines = [rule, 'What'.ljust(width) + '  Figure', rule]
    lines += [what.ljust(width) + '  ' + value for what, value in rows]
    return '\n'.join(lines + [rule])


def throttled_bulk(runs):
    rows = []
    for retry_after in (True, False):
        times, answers = [], []
        for _ in range(runs):
            sim = Simulator('--rate-limit', '20', '--extra-jobs', '100',
                            *(() if retry_after else ('--no-retry-after',)))
            try:
                one = sim.inventory['job_executions']['succeeded'][0]
                start = sim.run('show', one, '-c', 'id')
                time.sleep(1.1)  # a fresh second of the limit
                before = sim.throttled()
                took = sim.run('delete',
                               *sim.inventory['job_executions']['extra'])
                times.append(took - start)
                answers.append(sim.throttled() - before)
            finally:
                sim.close()
        how = 'with Retry-After' if retry_after else 'without Retry-After'
        rows.append((f'P8 delete 100 at 20/s, {how}: s net of start',
                     f'{statistics.median(times):.2f} (<= 7.5)'))
        rows.append((f'P8 ... {how}: 429s answered',
                     f'{statistics.median(answers):.0f} (<= 50)'))
    return rows


def wait_200(runs):
    many, one = [], []
    for _ in range(runs):
        sim = Simulator('--latency', '0.05', '--kill-delay', '2',
                        '--fleet', '201')
        try:
            cluster = sim.inventory['clusters']['fleet']
            fleet = sim.inventory['jobs']['fleet']
            wait = ('--wait', '--poll-interval', '1', '-c', 'id')
            one.append(sim.run('cancel', '--cluster', cluster, fleet[0],
                               *wait))
            many.append(sim.run('cancel', '--cluster', cluster, *fleet[1:],
                                *wait, '-f', 'value'))
        finally:
            sim.close()
    m, o = statistics.median(many), statistics.median(one)
    return [('P9 cancel --wait of 200 jobs: s', f'{m:.2f}'),
            ('P9 the same on one job: s', f'{o:.2f}'),
            ('P9 ratio', f'{m / o:.2f} (<= 2)')]


def list_5000(runs):
    sim = Simulator('--latency', '0.05', '--fleet', '5000')
    try:
        cluster = sim.inventory['clusters']['fleet']
        one_job = sim.inventory['jobs']['fleet'][0]
        start = statistics.median(
            sim.run('show', '--cluster', cluster, one_job, '-c', 'id')
            for _ in range(runs))
        small = sim.run('list', '--cluster', sim.inventory['clusters']['v2'],
                        '--name', 'report', '-f', 'value')
        small_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        default = statistics.median(
            sim.run('list', '--cluster', cluster, '-f', 'value')
            for _ in range(runs))
        big_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        sequential = statistics.median(
            sim.run('list', '--cluster', cluster, '-f', 'value',
                    '--parallel', '1') for _ in range(runs))
    finally:
        sim.close()
    del small
    net_default, net_one = default - start, sequential - start
    return [('P10 list of 5,000: default, s net of start',
             f'{net_default:.2f}'),
            ('P10 list of 5,000: --parallel 1, s net of start',
             f'{net_one:.2f}'),
            ('P10 ratio', f'{net_default / net_one:.2f} (<= 0.15)'),
            ('P10 peak RSS: 5,000 jobs against one job, MB',
             f'+{(big_rss - small_rss) / 1024:.1f} (<= 50)')]


def list_100000(runs):
    started = time.perf_counter()
    sim = Simulator('--fleet', '100000')
    ready = time.perf_counter() - started
    try:
        cluster = sim.inventory['clusters']['fleet']
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env['OS_CLIENT_CONFIG_FILE'] = sim.clouds
        seconds, peaks, requests, counts = [], [], [], []
        for _ in range(runs):
            before = sim.stats()['admitted']
            with tempfile.TemporaryFile() as out:
                started = time.perf_counter()
                child = subprocess.Popen(
                    [os.path.join(BIN, 'openstack'), '--os-cloud',
                     'mrs-simulator', 'mrs', 'job', 'execution', 'list',
                     '--cluster', cluster, '-f', 'value', '-c', 'id'],
                    stdout=out, env=env)
                # This child's own peak, not the largest of all children.
                _, status, usage = os.wait4(child.pid, 0)
                seconds.append(time.perf_counter() - started)
                if status:
                    raise SystemExit('the list failed')
                out.seek(0)
                ids = out.read().split()
            peaks.append(usage.ru_maxrss / 1024)
            requests.append(sim.stats()['admitted'] - before)
            counts.append((len(ids), len(set(ids))))
    finally:
        sim.close()
    return [('P13 --fleet 100000 ready, s', f'{ready:.1f} (<= 10)'),
            ('P13 list of 100,000: s', f'{statistics.median(seconds):.1f} '
                                       '(<= 40)'),
            ('P13 list of 100,000: requests', f'{max(requests)}'),
            ('P13 list of 100,000: ids printed, distinct',
             f'{counts[0][0]}, {counts[0][1]}'),
            ('P13 list of 100,000: peak RSS, MB',
             f'{statistics.median(peaks):.0f} (<= 150)')]


def list_project(runs):
    # The seeded demo project holds 22 executions: 298 more make 320.
    sim = Simulator('--latency', '0.05', '--extra-jobs', '298')
    try:
        one = sim.inventory['job_executions']['succeeded'][0]
        start = statistics.median(sim.run('show', one, '-c', 'id')
                                  for _ in range(runs))
        times, requests, rows = [], [], 0
        for _ in range(runs):
            before = sim.stats()['admitted']
            times.append(sim.run('list', '-f', 'value'))
            requests.append(sim.stats()['admitted'] - before)
        rows = len(sim.run_output('list', '-f', 'value', '-c', 'id')
                   .splitlines())
    finally:
        sim.close()
    return [(f'P11 project-wide list of {rows}: MRS requests',
             f'{statistics.median(requests):.0f} (<= 9)'),
            (f'P11 project-wide list of {rows}: s net of start',
             f'{statistics.median(times) - start:.2f}')]


def signing_in(runs):
    # Kills that take long: a cancel of a job being killed is accepted
    # again, so every run cancels a running job.
    sim = Simulator('--latency', '0.05', '--kill-delay', '100000')
    rows = []
    try:
        running = sim.inventory['job_executions']['running']
        for cloud, how in (('mrs-simulator', 'password'),
                           ('mrs-simulator-aksk', 'AK/SK')):
            times, requests = [], []
            for _ in range(runs):
                before = sim.stats()['requests']
                times.append(sim.run('cancel', running[0], '-c', 'id',
                                     cloud=cloud))
                requests.append(sim.stats()['requests'] - before)
            rows += [(f'P12 cancel, {how}: requests',
                      f'{statistics.median(requests):.0f}'),
                     (f'P12 cancel, {how}: s',
                      f'{statistics.median(times):.2f}')]
    finally:
        sim.close()
    return rows


def request_cost(runs):
    """MRS requests of P14 (a V2 cancel) and P15 (a V1.1 wait)."""
    rows = []
    kills, waits = [], []
    for _ in range(runs):
        sim = Simulator('--fleet', '100', '--extra-jobs', '100',
                        '--kill-delay', '100000')
        try:
            fleet = sim.inventory['jobs']['fleet']
            before = sim.stats()['admitted']
            sim.run('cancel', '--cluster',
                    sim.inventory['clusters']['fleet'], *fleet, '-f',
                    'value', '-c', 'id')
            kills.append(sim.stats()['admitted'] - before)
            extra = sim.inventory['job_executions']['extra']
            before = sim.stats()['admitted']
            sim.run('wait', *extra, '-f', 'value', '-c', 'id')
            waits.append(sim.stats()['admitted'] - before)
        finally:
            sim.close()
    rows += [(f'P14 cancel --cluster C <{len(fleet)} ids>: MRS requests',
              f'{statistics.median(kills):.0f} (<= 110)'),
             (f'P15 wait <{len(extra)} ended V1.1 ids, info null>: MRS '
              'requests', f'{statistics.median(waits):.0f} (<= 200)')]
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--only',
                        choices=('P8', 'P9', 'P10', 'P11', 'P12', 'P13',
                                 'P14'),
                        help='Run this figure only')
    args = parser.parse_args()
    figures = {'P8': throttled_bulk, 'P9': wait_200, 'P10': list_5000,
               'P11': list_project, 'P12': signing_in, 'P13': list_100000,
               'P14': request_cost}
    rows = [row for name, figure in figures.items()
            if args.only in (None, name) for row in figure(args.runs)]
    print(f'Medians of {args.runs} runs, Python {sys.version.split()[0]}.')
    print()
    print(table(rows))


if __name__ == '__main__':
    main()
