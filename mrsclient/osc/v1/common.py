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

"""What every job-execution command shares: ``--cluster``, several ids,
``--wait``, and OSC's contract for commands over several ids (each
failure one line, Ctrl-C saying what was sent)."""

import contextlib
import logging

from cliff import show
from osc_lib import exceptions

from mrsclient.api import concurrency
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import options
from mrsclient.osc import wait as waiting

LOG = logging.getLogger(__name__)

# The job types of the V2 API reference (querying_a_list_of_jobs,
# adding_and_executing_a_job).
JOB_TYPES = ('MapReduce', 'SparkSubmit', 'HiveScript', 'HiveSql', 'DistCp',
             'SparkScript', 'SparkSql', 'Flink')


def add_cluster_option(parser, required_for=None):
    """``--cluster``; with ``required_for``, a V2-only command's."""
    if required_for:
        help_text = f'Cluster (name or ID) {required_for} (V2 API)'
    else:
        help_text = ('Cluster (name or ID) the jobs run on: use the V2 API, '
                     'the only one that reaches the jobs of MRS 1.9.2 and '
                     'later (default: the V1.1 API of the project)')
    parser.add_argument('--cluster', metavar='<cluster>', action=options.Once,
                        required=bool(required_for), help=help_text)


def add_ids_options(parser, verb):
    """--cluster, one or more ids, and --parallel."""
    add_cluster_option(parser)
    add_ids_argument(parser, verb)
    add_parallel_option(parser, 'requests')


def add_ids_argument(parser, verb):
    parser.add_argument(
        'job_executions', metavar='<job-execution>', nargs='+',
        help=f'Job execution to {verb} (V1.1: ID; V2: name or ID of a '
             'job); give several to act on each')


WAIT_DEFAULTS = {'timeout': 600, 'poll_interval': 5}


def add_wait_options(parser, help_text):
    parser.add_argument('--wait', action='store_true', help=help_text)
    add_wait_timing(parser, 'With --wait: ')


def add_wait_timing(parser, prefix=''):
    parser.add_argument(
        '--timeout', metavar='<seconds>', type=options.seconds,
        action=options.Once,
        help=f'{prefix}give up after this long, exiting non-zero '
             f'(default: {WAIT_DEFAULTS["timeout"]})')
    parser.add_argument(
        '--poll-interval', metavar='<seconds>',
        type=options.positive_seconds, action=options.Once,
        help=f'{prefix}ask for the state this often (default: '
             f'{WAIT_DEFAULTS["poll_interval"]})')


def check_wait_options(command, parsed_args):
    """--timeout and --poll-interval only with --wait; fill defaults."""
    given = [name for name in WAIT_DEFAULTS
             if getattr(parsed_args, name) is not None]
    if given and not getattr(parsed_args, 'wait', True):
        command.usage_error(
            ' and '.join('--' + name.replace('_', '-') for name in given)
            + ' can only be used with --wait')
    for name, default in WAIT_DEFAULTS.items():
        if getattr(parsed_args, name) is None:
            setattr(parsed_args, name, default)


def wait(app, api, jobs, outcome, parsed_args):
    """Follow ``[(id, job)]`` to final states; failures go to outcome.

    Each change of state is a line on stderr; returns ``[(id, final
    job)]`` for the jobs that ended in time, in the order given. On
    Ctrl-C, one line on stderr names each job still followed and its last
    state, and the command ends (exit 130).
    """
    def report(key, old, new):
        change = f'{old} -> {new}' if old is not None else str(new)
        app.stderr.write(f'{key}: {change}\n')
        app.stderr.flush()

    try:
        parallel = getattr(parsed_args, 'parallel', 1)
        done, failed = waiting.wait_for(
            [key for key, _ in jobs],
            lambda keys: api.poll_many(keys, parallel),
            api.TERMINAL.__contains__,
            timeout=parsed_args.timeout, interval=parsed_args.poll_interval,
            report=report,
            last={key: api.state_of(job) for key, job in jobs})
    except waiting.Interrupted as stop:
        for key, state in stop.pending.items():
            app.stderr.write(f'Stopped waiting for {key}; its last state '
                             f'was {state}.\n')
        app.stderr.flush()
        raise
    for key, _ in jobs:
        if key in failed:
            outcome.fail(failed[key])
    return [(key, done[key]) for key, _ in jobs if key in done]


def judge_ends(api, ended, outcome):
    """One failure for each job of ``[(id, job)]`` that did not end well.

    Ended well: V2 FINISHED with the result SUCCEEDED; V1.1 SUCCEEDED.
    """
    for key, job in ended:
        if not api.succeeded(job):
            outcome.fail(f'{api.what(key)} ended {api.ending(job)}.')


def add_parallel_option(parser, what):
    parser.add_argument(
        '--parallel', metavar='<count>', type=options.parallel_count,
        action=options.Once,
        default=concurrency.DEFAULT_PARALLEL,
        help=f'Read or send this many {what} at once, at most '
             f'{concurrency.MAX_PARALLEL} (default: '
             f'{concurrency.DEFAULT_PARALLEL}; 1: one after another). '
             'Results come in order either way')


def job_executions(app, parsed_args):
    """The job-execution API that ``--cluster`` (a name or id) selects."""
    client = app.client_manager.mrs_job
    cluster = parsed_args.cluster
    return client.job_executions(
        client.find_cluster(cluster) if cluster is not None else None)


def over_ids(app, parsed_args, verb):
    """``(api, outcome)`` of a command over ids, job names resolved."""
    api = job_executions(app, parsed_args)
    outcome = Outcome(verb, parsed_args.job_executions)
    outcome.find(api)
    return api, outcome


class Outcome:
    """OSC's contract for a command over several ids.

    Every id is tried; each failure is one line on stderr (as it happens),
    and in the end ``N of M job executions failed to <verb>.`` is the
    command's error. With a single id its own failure is the one line.
    """

    def __init__(self, verb, ids):
        self.verb = verb
        self.ids = ids
        self.total = len(ids)
        self.messages = []
        self.failed = 0
        # For Ctrl-C: the ids whose request went out, and those answered.
        self.sent = []
        self.answered = set()

    def find(self, api):
        """Turn job names into ids, with one list of the cluster's jobs.

        A name that matches no job or several is a failure of its own.
        """
        found = api.find(self.ids)
        ids = []
        for key in self.ids:
            value = found.get(key, key)
            if isinstance(value, exceptions.CommandError):
                self.fail(str(value))
            else:
                ids.append(value)
        self.ids = ids

    def each(self, action, parallel=1):
        """``[(id, action(id)), ...]`` for the ids where it worked.

        With ``parallel`` above 1, that many requests go at once; results
        and failures still come in the order of the ids.
        """
        def tracked(key):
            with concurrency.telling(self.progress, [key]):
                return action(key)

        worked = []
        with self.interruptible():
            for key, value, error in concurrency.each_in_order(
                    tracked, self.ids, parallel):
                if error is None:
                    worked.append((key, value))
                else:
                    self.fail(str(error))
        return worked

    def progress(self, keys, answered):
        """Requests for ``keys`` are going out, or have been answered."""
        if answered:
            self.answered.update(keys)
        else:
            self.sent.extend(keys)

    @contextlib.contextmanager
    def interruptible(self):
        """On Ctrl-C, one line: what was sent, what was not (exit 130)."""
        try:
            yield
        except KeyboardInterrupt:
            sent = list(dict.fromkeys(self.sent))
            done = [key for key in sent if key in self.answered]
            pending = [key for key in sent if key not in self.answered]
            unsent = [key for key in self.ids if key not in sent]
            parts = [f'answered: {", ".join(done)}' if done else '',
                     f'sent, no answer yet (it may still take effect): '
                     f'{", ".join(pending)}' if pending else '',
                     f'not sent: {", ".join(unsent)}' if unsent else '']
            LOG.error('Interrupted: %s of %s requests to %s were sent; %s.',
                      len(sent), len(self.ids), self.verb,
                      '; '.join(part for part in parts if part))
            raise

    def fail(self, message, count=1):
        """One line for ``count`` ids that failed together."""
        self.messages.append(message)
        self.failed += count
        if self.total > 1:
            LOG.error(message)

    def error(self):
        """The command's error, or None."""
        if not self.messages:
            return None
        if self.total == 1:
            return exceptions.CommandError(self.messages[0])
        return exceptions.CommandError(
            f'{self.failed} of {self.total} job executions failed '
            f'to {self.verb}.')


class ShowEach(options.Checked, show.ShowOne):
    """A ShowOne over one or more objects.

    ``take_action`` returns ``(columns, (rows, error))``. With one id the
    row is shown as every ``show`` shows one object. With several ids,
    ``-f json``, ``yaml``, ``value`` and ``csv``-like formats get one
    document of rows (a JSON or YAML list of objects, a line per job),
    the table one table per job, and ``-f shell`` (one object's
    variables) is refused before any request. Then ``error``, if any,
    fails the command.
    """

    # A command that changes jobs (cancel, create) has changed them by the
    # time it prints: a -c field the answer lacks shows as null, as any
    # field the service leaves out, rather than fail the command (cliff's
    # "No recognized column names") after the change was made.
    changes = False

    def several(self, parsed_args):
        return len(getattr(parsed_args, 'job_executions', ())) > 1

    def check(self, parsed_args):
        """The checks of every command over ids; more in subclasses."""
        if self.several(parsed_args) and parsed_args.formatter == 'shell':
            self.usage_error('-f shell shows one job: give one id, or use '
                             '-f json, yaml or value')
        if hasattr(parsed_args, 'poll_interval'):  # a command that waits
            check_wait_options(self, parsed_args)

    def produce_output(self, parsed_args, column_names, data):
        rows, error = data
        rows = [columns.as_printed(parsed_args.formatter, row)
                for row in rows]
        if self.changes and parsed_args.columns:
            missing = [name for name in parsed_args.columns
                       if name not in column_names]
            column_names = tuple(column_names) + tuple(missing)
            rows = [tuple(row) + (None,) * len(missing) for row in rows]
        if self.several(parsed_args) and parsed_args.formatter != 'table':
            names, selector = self._generate_columns_and_selector(
                parsed_args, column_names)
            if selector:
                rows = [list(self._compress_iterable(row, selector))
                        for row in rows]
            self.formatter.emit_list(names, rows, self.app.stdout,
                                     parsed_args)
        else:
            for row in rows:
                super().produce_output(parsed_args, column_names, row)
        if error is not None:
            raise error
        return 0
