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

"""The ``mrs-simulator`` command."""

import argparse
import json
import os
import sys

from mrsclient.simulator import server
from mrsclient.simulator import state


# The mark of a clouds.yaml this simulator wrote (a top-level key that
# openstack.config does not read): only such a file is written over.
MARK = 'written-by-mrs-simulator'


def _write(path, text):
    """Whole or not at all, readable by its owner only (0600)."""
    partial = f'{path}.partial'
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                         0o600)
    with os.fdopen(descriptor, 'w') as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(text + '\n')
    os.replace(partial, path)


def _ours(path):
    """Whether ``path`` is absent, or a clouds.yaml this tool wrote."""
    try:
        with open(path) as f:
            return bool(json.load(f).get(MARK))
    except FileNotFoundError:
        return True
    except (OSError, ValueError, AttributeError):
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='mrs-simulator',
        description='A local MRS job-execution API (V1.1 and V2) with just '
                    'enough Keystone for OpenStackClient (password: '
                    'secret), and the request signing of Huawei\'s SDKs '
                    '(access key MRSSIMULATORDEMOAK01, secret key '
                    'mrs-simulator-demo-sk; the other user\'s are in the '
                    'inventory). A test tool: state is in memory and '
                    'seeded anew at each start.')
    parser.add_argument('--host', metavar='<address>', default='127.0.0.1',
                        help='Address to listen on (default: 127.0.0.1)')
    parser.add_argument('--port', metavar='<port>', type=int, default=0,
                        help='Port to listen on (default: any free port)')
    parser.add_argument('--latency', metavar='<seconds>', type=float,
                        default=0.0,
                        help='Delay every answer by this long (default: 0)')
    parser.add_argument('--kill-delay', metavar='<seconds>', type=float,
                        default=state.DEFAULT_KILL_DELAY,
                        help='A killed job stays RUNNING this long before '
                             'it is KILLED (default: '
                             f'{state.DEFAULT_KILL_DELAY:g})')
    parser.add_argument('--job-duration', metavar='<seconds>', type=float,
                        default=state.DEFAULT_JOB_DURATION,
                        help='A submitted job runs this long, then '
                             'FINISHED/SUCCEEDED (default: '
                             f'{state.DEFAULT_JOB_DURATION:g})')
    parser.add_argument('--extra-jobs', metavar='<count>', type=int,
                        default=0,
                        help='Seed this many more ended V1.1 jobs in the '
                             'demo project, their info null (inventory '
                             'group "extra"), for '
                             'benchmarks (default: 0)')
    parser.add_argument('--rate-limit', metavar='<per-second>', type=float,
                        help='Answer MRS requests beyond this many in any '
                             'second 429, as the API gateway does '
                             '(default: no limit)')
    parser.add_argument('--no-retry-after', action='store_true',
                        help='With --rate-limit: send no Retry-After')
    parser.add_argument('--fleet', metavar='<count>', type=int, default=0,
                        help='Seed a V2 cluster "fleet" (inventory key '
                             '"fleet") with this many running jobs '
                             '(default: 0)')
    parser.add_argument('--key-life', metavar='<seconds>', type=float,
                        default=state.DEFAULT_KEY_LIFE,
                        help='A temporary key (IAM\'s, or the agency\'s '
                             'from the metadata path) expires this long '
                             'after it is handed out (default: '
                             f'{state.DEFAULT_KEY_LIFE:g})')
    parser.add_argument('--clock-skew', metavar='<seconds>', type=float,
                        default=0.0,
                        help='Run the simulator\'s clock this far ahead '
                             '(negative: behind) of this machine\'s, as a '
                             'gateway whose time differs (default: 0)')
    parser.add_argument('--clouds-yaml', metavar='<file>',
                        help='Write a clouds.yaml for the seeded users here '
                             '(clouds "mrs-simulator" and '
                             '"mrs-simulator-other"; the demo user signs '
                             'with access keys in "mrs-simulator-aksk", '
                             '"-aksk-region", "-temporary" and "-agency"). '
                             'Written readable by its owner only, and only '
                             'over a file it wrote itself: an existing '
                             'clouds.yaml of yours is refused, kept as it '
                             'is')
    parser.add_argument('--inventory', metavar='<file>',
                        help='Write the seeded projects, clusters and job '
                             'ids here, as JSON (readable by its owner '
                             'only: it holds the keys)')
    parser.add_argument('--verbose', action='store_true',
                        help='Log every request to stderr')
    args = parser.parse_args(argv)
    if args.clouds_yaml and not _ours(args.clouds_yaml):
        parser.exit(2, f'mrs-simulator: {args.clouds_yaml} exists and was not '
                       'written by mrs-simulator: it is kept as it is. Give '
                       '--clouds-yaml a file of its own (e.g. '
                       '/tmp/mrs-clouds.yaml) and OS_CLIENT_CONFIG_FILE '
                       'that file.\n')

    simulator = server.Simulator(args.host, args.port, args.latency,
                                 quiet=not args.verbose,
                                 kill_delay=args.kill_delay,
                                 extra_jobs=args.extra_jobs,
                                 job_duration=args.job_duration,
                                 rate_limit=args.rate_limit,
                                 retry_after=not args.no_retry_after,
                                 fleet=args.fleet, key_life=args.key_life,
                                 clock_skew=args.clock_skew)
    if args.clouds_yaml:
        clouds = json.loads(simulator.clouds_yaml())
        _write(args.clouds_yaml, json.dumps({MARK: True, **clouds},
                                            indent=2))
    if args.inventory:
        # Written last: once it is there, everything is.
        _write(args.inventory, json.dumps(
            simulator.state.inventory(simulator.url), indent=2))
    print(f'mrs-simulator listening on {simulator.url}', flush=True)
    try:
        simulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
