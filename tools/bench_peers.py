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

"""mrsclient against its peers, whole processes, in one run.

usage: tox -e bench-peers [-- --runs N]

Run inside the functional rig (real Keystone and Sahara; see tox.ini),
where mrsclient is installed as a wheel beside python-saharaclient. Each
round runs every command once, in a new random order, so that the
machine's drift spreads over all of them; the table gives medians and
ratios:

* P1, plugin load: ``openstack --version`` with mrsclient installed, and
  in a venv of the very same packages without it (built once, kept in
  ``.tox/bench-without-mrsclient``);
* P2: ``openstack mrs job execution cancel <id>`` against python-
  saharaclient's ``openstack dataprocessing job show <id>``: the same
  Sahara, the same Keystone, a password login and one GET each (the
  execution has ended, so the cancel changes nothing);
* the floor: the same login and GET from a bare keystoneauth script, and
  from curl.

Wall time on this 2-core machine varies by about 2 % from run to run,
more than what the plugin costs, so P1 and P2 are also counted in
instructions under ``valgrind --tool=callgrind`` (one run each, about
20 s; the client process only): a count that does not drift with the
machine's load.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

from mrsclient.tests.functional.servers import common

BIN = os.path.dirname(sys.executable)
WITHOUT = os.path.join('.tox', 'bench-without-mrsclient')

KEYSTONEAUTH = """
import sys
from keystoneauth1.identity import v3
from keystoneauth1 import session
auth_url, password, url = sys.argv[1:]
s = session.Session(auth=v3.Password(
    auth_url=auth_url, username='demo', password=password,
    project_name='demo', user_domain_id='default',
    project_domain_id='default'))
s.get(url).json()
"""

CURL = """
token=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "$LOGIN" "$AUTH_URL/auth/tokens" | tr -d '\\r' \
  | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
curl -s -f -o /dev/null -H "X-Auth-Token: $token" "$URL"
"""


def without_mrsclient():
    """A venv of this one's packages, but for mrsclient."""
    frozen = subprocess.run(
        [sys.executable, '-m', 'pip', 'freeze', '--exclude-editable'],
        check=True, capture_output=True, text=True).stdout.splitlines()
    packages = sorted(line for line in frozen
                      if line and not line.startswith('mrsclient'))
    common.ensure_venv(WITHOUT, packages)
    return os.path.join(WITHOUT, 'bin', 'openstack')


def paired_ratio(a, b, resamples=2000):
    """Median of the per-round ratios a/b, and its 95 % bootstrap interval.

    The interval is what the noise of this machine allows one to say.
    """
    ratios = [x / y for x, y in zip(a, b)]
    rng = random.Random(0)
    medians = sorted(
        statistics.median(rng.choices(ratios, k=len(ratios)))
        for _ in range(resamples))
    return (statistics.median(ratios), medians[int(0.025 * resamples)],
            medians[int(0.975 * resamples) - 1])


def instructions(argv, env):
    """Instructions the process runs, counted by callgrind."""
    done = subprocess.run(
        ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null',
         *argv], capture_output=True, text=True, env=env)
    for line in done.stderr.splitlines():
        if 'Collected :' in line:
            return int(line.rsplit(':', 1)[1])
    raise SystemExit(f'callgrind counted nothing: {done.stderr[-500:]}')


def timed(argv, env):
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode:
        raise SystemExit(f'{argv} failed: {done.stderr.decode()[-500:]}')
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=21)
    parser.add_argument('--no-instructions', action='store_true',
                        help='skip the callgrind counts')
    args = parser.parse_args()

    with open(os.environ['MRS_FUNCTIONAL_ENV']) as f:
        servers = json.load(f)
    ended = servers['sahara']['job_executions']['succeeded']
    project = servers['keystone']['projects']['demo']
    root = f'{servers["sahara"]["root"]}/v1.1/{project}'
    auth_url = servers['keystone']['url']
    password = servers['passwords']['demo']
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    env.update(OS_CLIENT_CONFIG_FILE=servers['clouds_yaml'],
               AUTH_URL=auth_url, URL=f'{root}/job-executions/{ended}',
               LOGIN=json.dumps({'auth': {
                   'identity': {'methods': ['password'], 'password': {
                       'user': {'name': 'demo', 'password': password,
                                'domain': {'id': 'default'}}}},
                   'scope': {'project': {'name': 'demo',
                                         'domain': {'id': 'default'}}}}}))
    with_it = os.path.join(BIN, 'openstack')
    cloud = ['--os-cloud', 'sahara-demo']
    commands = {
        'p1 with': [with_it, '--version'],
        'p1 without': [without_mrsclient(), '--version'],
        'p2 mrsclient': [with_it, *cloud, 'mrs', 'job', 'execution',
                         'cancel', ended],
        'p2 saharaclient': [with_it, *cloud, '--os-data-processing-url',
                            root, 'dataprocessing', 'job', 'show', ended],
        'keystoneauth': [sys.executable, '-c', KEYSTONEAUTH, auth_url,
                         password, f'{root}/job-executions/{ended}/cancel'],
        'curl': ['bash', '-c', CURL],
    }
    samples = {name: [] for name in commands}
    for name, argv in commands.items():  # warm the caches once
        timed(argv, env)
    order = list(commands)
    for _ in range(args.runs):
        random.shuffle(order)
        for name in order:
            samples[name].append(timed(commands[name], env))
    med = {name: statistics.median(values) for name, values in
           samples.items()}

    def ratio(a, b, target):
        middle, low, high = paired_ratio(samples[a], samples[b])
        return f'{middle:.3f} [{low:.3f}, {high:.3f}] (target {target})'

    def counted(label, a, b):
        """A row of callgrind's counts for a and b, or none."""
        if args.no_instructions:
            return []
        ours, theirs = (instructions(commands[a], env),
                        instructions(commands[b], env))
        return [(f'{label} instructions (callgrind): {ours / 1e6:,.0f} M '
                 f'/ {theirs / 1e6:,.0f} M', None, f'{ours / theirs:.4f}')]

    rows = [
        ('P1 ``openstack --version``, mrsclient installed', 'p1 with',
         ratio('p1 with', 'p1 without', '1.01')),
        ('P1 ``openstack --version``, without mrsclient', 'p1 without',
         ''),
        *counted('P1', 'p1 with', 'p1 without'),
        ('P2 ``mrs job execution cancel <id>``', 'p2 mrsclient',
         ratio('p2 mrsclient', 'p2 saharaclient', '1.00')),
        ('P2 ``dataprocessing job show <id>`` (saharaclient)',
         'p2 saharaclient', ''),
        *counted('P2', 'p2 mrsclient', 'p2 saharaclient'),
        ('floor: keystoneauth script, login and GET', 'keystoneauth', ''),
        ('floor: curl, login and GET', 'curl', ''),
    ]
    widths = (max(len(r[0]) for r in rows), 12, 36)
    rule = '  '.join('=' * w for w in widths)
    print(f'Medians of {args.runs} rounds, Python '
          f'{sys.version.split()[0]}, on 127.0.0.1. Ratio: the median of '
          'the per-round ratios [95 % bootstrap interval].')
    print()
    print(rule)
    print('  '.join(h.ljust(w) for h, w in zip(
        ('What', 'Milliseconds', 'Ratio [95 %]'), widths)).rstrip())
    print(rule)
    for label, key, ratio in rows:
        took = f'{med[key]:12.1f}' if key else ' ' * 12
        print(f'{label.ljust(widths[0])}  {took}  {ratio}'.rstrip())
    print(rule)


if __name__ == '__main__':
    main()
