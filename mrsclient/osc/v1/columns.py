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

"""What the job-execution commands show, for each API version.

Column names are the API's own field names, so ``-f json`` keys are
the names in the API reference. The one derived column is V1.1's
``status``: ``info.status``, or the job-exe's state where ``info`` is
null (see :mod:`mrsclient.api.jobs.v11`).
"""

import datetime
import itertools
import json

from cliff import columns

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


class MillisecondTime(columns.FormattableColumn):
    """A V2 time in milliseconds.

    ISO 8601 (UTC) in the table, raw in -f json/yaml; 0 or null means
    "not yet" and shows empty.
    """

    def human_readable(self):
        value = self._value
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or value <= 0:
            return '' if value in (0, None) else str(value)
        try:
            moment = datetime.datetime.fromtimestamp(
                value / 1000, datetime.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return str(value)
        return moment.strftime('%Y-%m-%dT%H:%M:%S') + (
            f'.{int(value % 1000):03d}Z' if value % 1000 else 'Z')

    def machine_readable(self):
        return self._value


class View:
    """The columns of one API version's job executions.

    :param show: every field, in the order ``show`` and ``cancel`` print
    :param short: the default ``list`` columns
    :param long: the ``list --long`` columns
    :param times: fields holding millisecond timestamps
    :param secret: fields whose secret keys' values are masked
        (:mod:`mrsclient.api.secret_names`)
    """

    def __init__(self, show, short, long, times=(), secret=()):
        self.show = show
        self.short = short
        self.long = long
        self.times = frozenset(times)
        self.secret = frozenset(secret)

    def with_extras(self, names, jobs):
        """``names``, then every other field the jobs carry.

        The service may send fields no document names yet (V2's
        ``tracking_url``): they follow, in the order the answers give
        them, so that nothing sent is dropped and ``-c`` can pick them.
        """
        known = set(self.show) | set(self.long) | set(names)
        extras = {}
        for job in jobs:
            for key in job:
                if key not in known:
                    extras.setdefault(key, None)
        return tuple(names) + tuple(extras)

    def row(self, job, names):
        return tuple(self._cell(job, name) for name in names)

    def table(self, jobs, names=None):
        """``(columns, rows)``, the fields beyond ``names`` included.

        ``names`` defaults to every shown field.
        """
        names = self.with_extras(self.show if names is None else names,
                                 jobs)
        return names, [self.row(job, names) for job in jobs]

    def table_of(self, jobs, names, first=EXTRAS_FROM):
        """As :meth:`table` for jobs that come one at a time.

        The fields beyond ``names`` are those of the ``first`` jobs; the
        rows are made as the jobs come.
        """
        jobs = iter(jobs)
        head = list(itertools.islice(jobs, first))
        names = self.with_extras(names, head)
        return names, (self.row(job, names)
                       for job in itertools.chain(head, jobs))

    def _cell(self, job, name):
        value = job.get(name)
        if name not in self.show:  # a field no document names
            value = secret_names.MASK if secret_names.is_secret(name) and \
                value is not None else secret_names.mask_mapping(value)
        if name in self.secret:
            value = secret_names.mask_mapping(value)
        if name in self.times:
            return MillisecondTime(value)
        if isinstance(value, (dict, list)):
            return NestedColumn(value)
        return value


# Every field of the V1.1 api-ref examples (cancel, show, list): identity,
# where it runs, state and times, engine ids, data, flags.
V11_FIELDS = (
    'id', 'job_id', 'cluster_id', 'tenant_id', 'info', 'start_time',
    'end_time', 'return_code', 'created_at', 'updated_at', 'engine_job_id',
    'oozie_job_id', 'input_id', 'output_id', 'data_source_urls',
    'job_configs', 'is_protected', 'is_public',
)

# Every field of the V2 show example (querying_information_about_a_job),
# which the list example shares but for app_id.
V2_FIELDS = (
    'job_id', 'job_name', 'job_type', 'job_state', 'job_result',
    'job_progress', 'user', 'queue', 'submitted_time', 'started_time',
    'finished_time', 'elapsed_time', 'arguments', 'properties',
    'launcher_id', 'app_id',
)

V11 = View(
    show=('id', 'status') + V11_FIELDS[1:],
    # Each job's cluster: what --cluster takes (91 columns wide).
    short=('id', 'cluster_id', 'status'),
    long=('id', 'status') + V11_FIELDS[1:],
    secret=('job_configs',),
)

V2 = View(
    show=V2_FIELDS,
    # With job_name, job_type no longer fits 80 columns: --long has it.
    short=('job_id', 'job_name', 'job_state', 'job_result'),
    long=V2_FIELDS,
    times=('submitted_time', 'started_time', 'finished_time'),
    secret=('properties', 'arguments'),
)

VIEWS = {'v1.1': V11, 'v2': V2}
