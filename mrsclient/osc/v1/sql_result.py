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

"""``openstack mrs job execution result list``: the rows an SQL job gave.

OSC names commands ``<object> <action>``: the object is a job
execution's result, and what an operator does with it is list its rows,
as a table or ``-f csv``/``json``/``value`` for scripts; ``list`` is a
Lister, which gives every one of those formats.
"""

import argparse

from cliff import lister
from osc_lib import exceptions

from mrsclient.osc import errors
from mrsclient.osc import progress
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import options


def statement_number(text):
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f'{text!r} is not a statement number (0 or more)')
    return int(text)


class ListSqlResult(options.Checked, columns.Listed, lister.Lister):
    """List the rows an SQL job's statements returned (V2).

    MRS keeps the rows of each statement of a SparkSql, SparkScript,
    HiveSql or HiveScript job, numbered from 0. Shows the last
    statement's rows (where a query's rows usually are), one column per
    key of the rows, or one statement's with --statement, or all of them
    with --all and a "statement" column first ("_statement" where the
    rows have a "statement" key of their own). Rows are shown as MRS
    sends them: nothing is masked. Example: openstack mrs job execution
    result list --cluster analytics report -f csv
    """

    hints = {**errors.ONE_AT_A_TIME,
             '0167': ('SQL results exist only on clusters of MRS 1.9.2 and '
                      'later; this cluster runs an older version.')}

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_cluster_option(parser, 'the job ran on (V2 API)')
        parser.add_argument(
            'job_execution', metavar='<job-execution>',
            help='Job (name or ID) whose result to list')
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            '--statement', metavar='<number>', type=statement_number,
            action=options.Once,
            help='The statement whose rows to list, counted from 0 '
                 '(default: the last)')
        which.add_argument(
            '--all', action='store_true',
            help='The rows of every statement, with its number first')
        return parser

    def take_action(self, parsed_args):
        api = options.job_executions(self.app, parsed_args)
        found = parsed_args.job_execution
        results = api.sql_result(found)
        numbers = sorted(results, key=_order)
        if parsed_args.all or (not numbers and parsed_args.statement is None):
            chosen = numbers
        else:
            number = numbers[-1] if parsed_args.statement is None \
                else str(parsed_args.statement)
            if number not in results:
                raise exceptions.CommandError(
                    f'Job {found} has no statement {number}; its '
                    f'statements are {", ".join(numbers) or "none"}.')
            chosen = [number]
        rows = [(number, row) for number in chosen
                for row in results[number]]
        names = list(dict.fromkeys(k for _, row in rows for k in row))
        if not rows:
            progress.say(
                self.app,
                f'Statement {", ".join(chosen)} of job {found} returned no '
                'rows.' if chosen else
                f'Job {found} has no statement results.')
        if parsed_args.all:
            return ([_own_column(names), *names],
                    [(int(number) if number.isdigit() else number,
                      *_cells(row, names)) for number, row in rows])
        return names, [_cells(row, names) for _, row in rows]


def _order(number):
    return (0, int(number), '') if number.isdigit() else (1, 0, number)


def _own_column(names):
    """The name of the statement number's column.

    ``statement``, with as many ``_`` first as keep it apart from the
    rows' own keys.
    """
    column = 'statement'
    while column in names:
        column = '_' + column
    return column


def _cells(row, names):
    """A row's values in column order, as the service sent them.

    Query data is data: nothing is masked. A key a row lacks is null.
    """
    return tuple(columns.NestedColumn(row.get(name))
                 if isinstance(row.get(name), (dict, list))
                 else row.get(name) for name in names)
