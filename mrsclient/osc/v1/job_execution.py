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

"""``openstack mrs job execution list|show|cancel|delete|wait``.

Each command parses, makes one call of the library
(:class:`mrsclient.api.jobs.executions.JobExecutions`, of ``--cluster``
or of the project) and shows the job model's columns (:mod:`.columns`),
the same whichever API manages the jobs.
"""

from cliff import command
from cliff import lister

from mrsclient.api.jobs import executions
from mrsclient.api.jobs import model
from mrsclient.api.jobs import rules
from mrsclient.api.jobs import states
from mrsclient.osc import progress
from mrsclient.osc.v1 import argtypes
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import following
from mrsclient.osc.v1 import options
from mrsclient.osc.v1 import several
from mrsclient.osc.v1 import show_each

JOB_TYPES = options.JOB_TYPES
# Each argument of the library's list, and the option that gives it.
LIST_ARGUMENTS = {
    'limit': '--limit', 'state': '--state', 'marker': '--marker',
    'sort': '--sort', 'page': '--page', 'name': '--name',
    'job_type': '--type', 'result': '--result', 'user': '--user',
    'queue': '--queue', 'submitted_after': '--submitted-after',
    'submitted_before': '--submitted-before',
}


class ListJobExecution(options.Checked, columns.Listed, lister.Lister):
    """List the job executions of the project, or the jobs of a cluster.

    The same columns either way (--long, -c: every column the jobs
    carry). Without --limit every page is fetched.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_cluster_option(parser)
        options.add_parallel_option(parser, 'pages, or the states they need')
        parser.add_argument(
            '--long', action='store_true',
            help='List additional fields in output')
        parser.add_argument(
            '--limit', metavar='<count>', type=argtypes.positive_int,
            action=options.Once,
            help='List at most this many (with --state: this many in those '
                 'states; default: all)')
        project = parser.add_argument_group('The project\'s list (without '
                                            '--cluster)')
        project.add_argument(
            '--marker', metavar='<job-execution>', action=options.Once,
            help='Start after this job execution')
        parser.add_argument(
            '--sort', metavar='<field>[:asc|desc]', action=options.Once,
            type=argtypes.sort_key,
            help='Sort by this field, ascending unless :desc follows (the '
                 'project\'s list: ' + ', '.join(executions.PROJECT_SORT)
                 + '; a cluster\'s: ' + ', '.join(executions.CLUSTER_SORT)
                 + ')')
        cluster = parser.add_argument_group('A cluster\'s list (with '
                                            '--cluster)')
        once = {'action': options.Once}
        cluster.add_argument(
            '--page', metavar='<number>', type=argtypes.positive_int, **once,
            help='With --limit: which page of --limit jobs, counted from 1 '
                 '(default: 1)')
        cluster.add_argument('--name', metavar='<job-name>', **once,
                             help='Only jobs of this name')
        cluster.add_argument(
            '--type', metavar='<job-type>', dest='job_type', **once,
            type=argtypes.one_of(JOB_TYPES),
            help='Only jobs of this type: ' + ', '.join(JOB_TYPES))
        parser.add_argument(
            '--state', metavar='<state>', action='append',
            help='Only jobs in this state (repeat for several): '
                 + ', '.join(states.STATES) + '; "ended" is every final '
                 'state. A program that fails usually ends FINISHED with '
                 'the result FAILED (--result FAILED)')
        cluster.add_argument(
            '--result', metavar='<job-result>', action='append',
            type=argtypes.one_of(states.RESULTS),
            help='Only jobs with this result (repeat for several): '
                 + ', '.join(states.RESULTS))
        cluster.add_argument('--user', metavar='<user>', **once,
                             help='Only jobs submitted by this user')
        cluster.add_argument('--queue', metavar='<queue>', **once,
                             help='Only jobs in this YARN queue')
        cluster.add_argument(
            '--submitted-after', metavar='<time>', **once,
            type=argtypes.time_in_milliseconds,
            help='Only jobs submitted after this time: ISO 8601 (UTC '
                 'unless it names a zone), a time before now (30m, 2h, '
                 '7d), or epoch milliseconds')
        cluster.add_argument(
            '--submitted-before', metavar='<time>', **once,
            type=argtypes.time_in_milliseconds,
            help='Only jobs submitted before this time (as '
                 '--submitted-after)')
        return parser

    @staticmethod
    def _query(parsed_args):
        return {name: getattr(parsed_args, name) for name in LIST_ARGUMENTS}

    def check(self, parsed_args):
        on_cluster = parsed_args.cluster is not None
        query = self._query(parsed_args)
        other = [LIST_ARGUMENTS[name] for name, value in query.items()
                 if value is not None and name not in ('limit', 'state')
                 and name not in executions.takes(on_cluster)]
        if other:
            self.usage_error(f'{", ".join(other)} can only be used '
                             + ('without' if on_cluster else 'with')
                             + ' --cluster')
        try:
            executions.check_list(on_cluster, **query)
        except rules.Broken as exc:
            self.usage_error(f'argument {LIST_ARGUMENTS[exc.field]}: {exc}')

    def take_action(self, parsed_args):
        api = options.job_executions(self.app, parsed_args)
        shown = parsed_args.columns or model.LISTED
        # A V1.1 job's state may cost a read of its own: only when it is
        # shown.
        found = api.list(parallel=parsed_args.parallel,
                         states_read=parsed_args.long or bool(
                             {'state', 'result'} & set(shown)),
                         **self._query(parsed_args))
        # Rows go out as the jobs come (-f value and csv print each at
        # once; nothing keeps them all).
        if parsed_args.long or parsed_args.columns:
            # -c picks any column a job carries, --long or not: those
            # beyond the listed ones are the first jobs'.
            return columns.table_of(found, model.LISTED)
        return model.LISTED, (columns.row(job, model.LISTED)
                              for job in found)


class ShowJobExecution(show_each.ShowEach):
    """Show job executions of the project, or jobs of a cluster."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'show')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'show',
                                        hints=self.hints)
        with outcome.interruptible():
            shown = outcome.take(api.show(outcome.ids, parsed_args.parallel,
                                          progress=outcome.progress))
        self.failure = outcome.error()
        return columns.table([job for _, job in shown])


class CancelJobExecution(show_each.ShowEach):
    """Cancel running job executions, and show them.

    Shows each job as known after its kill. A job that has already
    ended is no failure: one line on stderr names its state. With
    --wait, follows each job until it has ended, printing each change of
    state on stderr, then shows it. Example: openstack mrs job execution
    cancel 2de74673-1a78-48af-a95b-e1fec4a4ae9c
    """

    changes = True

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'cancel')
        options.add_wait_options(
            parser, 'Wait until each job is killed or otherwise ended ('
                    + ', '.join(sorted(states.ENDED)) + ')')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'cancel',
                                        hints=self.hints)
        waiter = following.waiter(parsed_args) if parsed_args.wait \
            else None
        with outcome.interruptible(), following.interruptible(self.app):
            done = api.cancel(
                outcome.ids, parsed_args.parallel, progress=outcome.progress,
                waiter=waiter,
                tell=lambda key, text: progress.say(self.app,
                                                    f'{key}: {text}'),
                **following.callbacks(self.app, outcome, parsed_args))
        shown = outcome.take(done, parsed_args.timeout)
        self.failure = outcome.error()
        return columns.table([job for _, job in shown])


class DeleteJobExecution(options.Checked, command.Command):
    """Delete job executions of the project, or jobs of a cluster.

    Only jobs that have ended are deleted: their states are read first,
    and a job still running is one line (cancel it first, or give
    --force). A cluster's jobs go in batches (one request per 100 jobs).
    A batch that fails as a whole (no such cluster, a bad request) is
    one line naming how many jobs it held; where MRS answers that some
    jobs could not be deleted (0161), the batch is split until each of
    them is named. Prints nothing when all are deleted.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'delete')
        parser.add_argument(
            '--force', action='store_true',
            help='Delete jobs that have not ended too, without reading '
                 'their states first')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'delete',
                                        hints=self.hints)
        with outcome.interruptible():
            for ids, error in api.delete(outcome.ids, parsed_args.parallel,
                                         progress=outcome.progress,
                                         force=parsed_args.force):
                outcome.fail(outcome.line(error), count=len(ids))
        error = outcome.error()
        if error is not None:
            raise error


class WaitJobExecution(show_each.ShowEach):
    """Wait until job executions, or jobs of a cluster, end.

    Follows jobs started anywhere: each change of state is a line on
    stderr, and each job is shown once it has ended. Exits 0 only when
    every job ended well (FINISHED with the result SUCCEEDED); otherwise
    one line for each job that failed, was killed or timed out, then
    "N of M". Example: openstack mrs job execution wait --cluster
    analytics wordcount --timeout 3600
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'wait for')
        options.add_wait_timing(parser)
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'end well',
                                        sending='show', hints=self.hints)
        # The wait reads each job itself: an outage from the start is
        # waited out as one later on is.
        with following.interruptible(self.app):
            done = api.wait(
                outcome.ids, following.waiter(parsed_args),
                parallel=parsed_args.parallel,
                **following.callbacks(self.app, outcome, parsed_args,
                                      unread=set(outcome.ids)))
        shown = outcome.take(done, parsed_args.timeout)
        self.failure = outcome.error()
        return columns.table([job for _, job in shown])
