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

"""A cliff ShowOne over one or more jobs, each in the format asked.
"""

import logging

from cliff import show

from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import options
from mrsclient.osc.v1 import several

LOG = logging.getLogger(__name__)


class ShowEach(options.Checked, show.ShowOne):
    """A ShowOne over one or more objects.

    ``take_action`` returns ``(columns, rows)``, a row per job shown, and
    sets ``failure`` to the command's error when some ids failed. With
    one id the row is shown as every ``show`` shows one object. With
    several ids (or ``--as-list``), ``-f json``, ``yaml``, ``value`` and
    ``csv``-like formats
    get one document of rows (a JSON or YAML list of objects, a line per
    job), the table one table per job, and ``-f shell`` (one object's
    variables) is refused before any request. Then ``failure``, if any,
    fails the command (after what worked is printed).
    """

    # A command that changes jobs (cancel, create) has changed them by the
    # time it prints: a -c field the answer lacks shows as null, as any
    # field the service leaves out, rather than fail the command (cliff's
    # "No recognized column names") after the change was made.
    changes = False
    failure = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--as-list', action='store_true',
            help='Print the jobs as a list whatever their number: with one '
                 'job too, -f json and yaml print a list of objects, and '
                 '-f value and csv a line for it, as for several (for '
                 'scripts that read ids from a list)')
        return parser

    def several(self, parsed_args):
        return parsed_args.as_list \
            or len(getattr(parsed_args, 'job_executions', ())) > 1

    def check(self, parsed_args):
        """The checks of every command over ids; more in subclasses."""
        if self.several(parsed_args) and parsed_args.formatter == 'shell':
            self.usage_error('-f shell shows one job: give one id, or use '
                             '-f json, yaml or value')
        if hasattr(parsed_args, 'poll_interval'):  # a command that waits
            options.check_wait_options(self, parsed_args)

    def run(self, parsed_args):
        result = super().run(parsed_args)
        if isinstance(self.failure, several.TimedOut):
            # Not a failure of the job: a code of its own, the line still.
            LOG.error(self.failure)
            return options.TIMED_OUT_EXIT
        if self.failure is not None:
            raise self.failure
        return result

    def produce_output(self, parsed_args, column_names, rows):
        rows = [columns.as_printed(parsed_args.formatter, row)
                for row in rows]
        if self.changes and parsed_args.columns:
            missing = [name for name in parsed_args.columns
                       if name not in column_names]
            column_names = tuple(column_names) + tuple(missing)
            rows = [tuple(row) + (None,) * len(missing) for row in rows]
        if self.several(parsed_args) and parsed_args.formatter != 'table':
            names, rows = _selected(parsed_args.columns, column_names, rows)
            self.formatter.emit_list(names, rows, self.app.stdout,
                                     parsed_args)
        else:
            for row in rows:
                super().produce_output(parsed_args, column_names, row)
        return 0


def _selected(wanted, names, rows):
    """The ``-c`` columns of the rows, in the order of ``names``.

    As cliff selects them for one object: none asked is every column;
    none known is an error that names the known ones.
    """
    if not wanted:
        return list(names), rows
    keep = [index for index, name in enumerate(names) if name in wanted]
    if not keep:
        raise ValueError(f'No recognized column names in {wanted}. '
                         f'Recognized columns are {list(names)}.')
    return ([names[index] for index in keep],
            [[row[index] for index in keep] for row in rows])
