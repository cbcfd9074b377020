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

"""One script, unchanged, on a cluster whose jobs V1.1 manages and on one
whose jobs V2 manages: the same columns, the same rules, the same codes.
"""

import csv
import io
import re

from mrsclient.tests.functional import base

POLL = ('--poll-interval', '0.3')
TIME = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d')


class TestOneScriptOnBothApis(base.StartedSimulator):

    def script(self, cluster, a, b):
        """list, show, delete refused, cancel twice, wait, delete."""
        on = ('--cluster', cluster)
        listed = self.mrs('list', *on, '--state', 'running', '-f', 'json',
                          '-c', 'id', '-c', 'cluster_id', '-c', 'state',
                          '-c', 'result')
        self.assertSucceeded(listed)
        rows = {row['id']: row for row in listed.json()}
        for key in (a, b):
            self.assertEqual(
                {'id': key, 'cluster_id': cluster, 'state': 'RUNNING',
                 'result': 'UNDEFINED'}, rows[key])
        table = self.mrs('list', *on, '-f', 'csv', '-c', 'id', '-c',
                         'state')
        found = list(csv.DictReader(io.StringIO(table.out)))
        self.assertIn({'id': a, 'state': 'RUNNING'}, found)
        values = self.mrs('list', *on, '-f', 'value', '-c', 'id', '-c',
                          'state')
        self.assertIn(f'{b} RUNNING', values.out.splitlines())

        # One id, as a list: what a pipeline of any number of ids reads.
        shown = self.mrs('show', *on, a, '--as-list', '-f', 'json', '-c',
                         'id', '-c', 'created_at')
        self.assertSucceeded(shown)
        [row] = shown.json()
        self.assertEqual(a, row['id'])
        self.assertRegex(row['created_at'], TIME)

        # A job that runs is not deleted without --force, and runs on.
        refused = self.mrs('delete', *on, a)
        self.assertOneLineError(refused, 'is RUNNING: not deleted')
        still = self.mrs('show', *on, a, '-f', 'value', '-c', 'state')
        self.assertEqual('RUNNING\n', still.out, still)

        cancelled = self.mrs('cancel', *on, a, b, '--wait', *POLL, '-f',
                             'value', '-c', 'id', '-c', 'state')
        self.assertEqual(0, cancelled.code, cancelled)
        self.assertEqual(f'{a} KILLED\n{b} KILLED\n', cancelled.out)
        # Cancelled again: it no longer runs, as asked. A success.
        again = self.mrs('cancel', *on, a, '-f', 'value', '-c', 'state')
        self.assertEqual((0, 'KILLED\n'), (again.code, again.out), again)
        self.assertEqual(f'{a}: it had already ended (KILLED).\n',
                         again.err)

        waited = self.mrs('wait', *on, a, b, *POLL, '-f', 'json', '-c',
                          'id', '-c', 'state', '-c', 'result')
        self.assertEqual(1, waited.code, waited)  # killed: not ended well
        self.assertEqual(
            [{'id': key, 'state': 'KILLED', 'result': 'KILLED'}
             for key in (a, b)], waited.json())

        deleted = self.mrs('delete', *on, a, b)
        self.assertEqual((0, ''), (deleted.code, deleted.out), deleted)
        self.assertEqual(1, self.mrs('show', *on, a).code)

    def test_a_cluster_whose_jobs_v11_manages(self):
        self.script(self.clusters['v1'], *self.v11['running'][:2])

    def test_a_cluster_whose_jobs_v2_manages(self):
        self.script(self.clusters['v2'], *self.v2['running'][:2])
