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

"""Sum a tox run's results into one line: N passed, N failed, N skipped.

Reads tox's --result-json. A test env counts the tests stestr ran in it; an
env with no tests (pep8, docs, releasenotes) counts as one check; an env
that failed without reporting any failed test counts one failure more.
"""

import json
import re
import sys

TOTAL = re.compile(r'^ - (Passed|Failed|Skipped): (\d+)$', re.MULTILINE)


def env_counts(env):
    counts = {'Passed': 0, 'Failed': 0, 'Skipped': 0}
    output = ''.join(cmd.get('output', '') for cmd in env.get('test', []))
    for word, number in TOTAL.findall(output):
        counts[word] += int(number)
    ok = env.get('result', {}).get('success', False)
    if not any(counts.values()):
        counts['Passed' if ok else 'Failed'] = 1
    elif not ok and not counts['Failed']:
        counts['Failed'] = 1
    return counts


def main(path):
    try:
        with open(path) as f:
            envs = json.load(f).get('testenvs', {})
    except (OSError, ValueError) as exc:
        print(f'ci: no tox result ({exc})')
        print('0 passed, 1 failed')
        return 1
    total = {'Passed': 0, 'Failed': 0, 'Skipped': 0}
    for name, env in envs.items():
        if '.pkg' in name or 'result' not in env:
            continue  # the packaging env, or one that did not run
        counts = env_counts(env)
        print(f'ci: {name}: {counts["Passed"]} passed, '
              f'{counts["Failed"]} failed, {counts["Skipped"]} skipped')
        for word in total:
            total[word] += counts[word]
    print(f'{total["Passed"]} passed, {total["Failed"]} failed, '
          f'{total["Skipped"]} skipped')
    return 1 if total['Failed'] else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
