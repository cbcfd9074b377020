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

"""What the job-execution commands show: the columns of the job model.

Column names are :class:`mrsclient.api.jobs.model.JobExecution`'s, the
same on V1.1 and V2 (``-f json`` keys are these names); a value is
shown as the model gives it, data holding secrets masked
(:mod:`mrsclient.api.secret_names`).
"""

import itertools
import json

from cliff import columns

from mrsclient.api.jobs import model
from mrsclient.api import secret_names


# How many jobs of a list tell which fields it has beyond the documented
# ones (the rest are not waited for).
EXTRAS_FROM = 1000


class NestedColumn(columns.FormattableColumn):
    """An object or list: JSON in the table, structured in -f json/yaml.

    JSON shows every value in full, an empty ``{}`` included.
    """

    def human_readable(self):
        return json.dumps(self._value, ensure_ascii=False)

    def machine_readable(self):
        return self._value


# The formats that keep a nested value's structure; the others (table,
# value, csv, shell) print text, and get it as JSON.
STRUCTURED = frozenset({'json', 'yaml'})


def as_printed(formatter, row):
    """A row for ``formatter``: nested values as JSON where it prints text.

    cliff's value, csv and shell formats print ``str()`` of what a column
    gives a machine, a Python ``repr`` for a dict: JSON is what ``jq`` and
    the table read.
    """
    if formatter in STRUCTURED:
        return row
    return tuple(cell.human_readable() if isinstance(cell, NestedColumn)
                 else cell for cell in row)


class Listed:
    """A cliff Lister whose rows are printed as :func:`as_printed` says."""

    def produce_output(self, parsed_args, column_names, data):
        rows = (as_printed(parsed_args.formatter, row) for row in data)
        return super().produce_output(parsed_args, column_names, rows)


class Time(columns.FormattableColumn):
    """A time as the model gives it; empty in the table when not yet."""

    def human_readable(self):
        return '' if self._value is None else str(self._value)

    def machine_readable(self):
        return self._value


def with_extras(names, jobs):
    """``names``, then every other column the jobs carry, in their order.

    A job carries the columns of its API (and any field the service
    sent that no document names): they follow, so that nothing sent is
    dropped and ``-c`` can pick them.
    """
    extras = {}
    for job in jobs:
        for key in job:
            if key not in names:
                extras.setdefault(key, None)
    return tuple(names) + tuple(extras)


def row(job, names):
    return tuple(_cell(job, name) for name in names)


def table(jobs, names=model.COMMON):
    """``(columns, rows)``: ``names``, then the jobs' other columns."""
    names = with_extras(names, jobs)
    return names, [row(job, names) for job in jobs]


def table_of(jobs, names, first=EXTRAS_FROM):
    """As :func:`table` for jobs that come one at a time.

    The columns beyond ``names`` are those of the ``first`` jobs; the
    rows are made as the jobs come.
    """
    jobs = iter(jobs)
    head = list(itertools.islice(jobs, first))
    names = with_extras(names, head)
    return names, (row(job, names) for job in itertools.chain(head, jobs))


def _cell(job, name):
    value = job.get(name)
    if name not in model.DOCUMENTED:  # a field no document names
        value = secret_names.MASK if secret_names.is_secret(name) and \
            value is not None else secret_names.mask_mapping(value)
    elif name in model.HOLDS_SECRETS:
        value = secret_names.mask_mapping(value)
    if name in model.TIMES:
        return Time(value)
    if isinstance(value, (dict, list)):
        return NestedColumn(value)
    return value
