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

Each command is a parser, calls on the job-execution API that
``--cluster`` selects (V2 on that cluster, else V1.1), and the columns of
that API's view (:mod:`.columns`).
"""

import argparse
import itertools

from cliff import command
from cliff import lister

from mrsclient.api import exceptions as api_exceptions
from mrsclient.api.jobs import v11
from mrsclient.osc import errors
from mrsclient.osc import progress
from mrsclient.osc.v1 import argtypes
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import following
from mrsclient.osc.v1 import options
from mrsclient.osc.v1 import several
from mrsclient.osc.v1 import show_each

# The job types and states of the V2 API reference (querying_a_list_of_jobs).
JOB_TYPES = options.JOB_TYPES
JOB_STATES = ('FAILED', 'KILLED', 'New', 'NEW_SAVING', 'SUBMITTED',
              'ACCEPTED', 'RUNNING', 'FINISHED')
V11_STATES = v11.STATES
JOB_RESULTS = ('FAILED', 'KILLED', 'UNDEFINED', 'SUCCEEDED')
# What --state ended means on a cluster: every final V2 state.
ENDED_V2 = ('FINISHED', 'FAILED', 'KILLED')

# What each API's list takes: option (its dest) -> the API's own name.
LIST_OPTIONS = {
    'v1.1': {'limit': 'limit', 'marker': 'marker', 'sort': 'sort_by'},
    'v2': {'limit': 'limit', 'page': 'offset', 'sort': 'sort',
           'name': 'job_name', 'type': 'job_type', 'state': 'job_state',
           'result': 'job_result', 'user': 'user', 'queue': 'queue',
           'submitted_after': 'submitted_time_begin',
           'submitted_before': 'submitted_time_end'},
}
# Where an option of the other API can be used, said to whoever gives it.
OTHER_API = {'v1.1': 'with --cluster (the V2 API)',
             'v2': 'without --cluster'}


class ListJobExecution(options.Checked, columns.Listed, lister.Lister):
    """List job executions (V1.1), or the jobs of a cluster (V2).

    Without --limit every page is fetched. The cluster of an MRS version
    before 1.9.2 has its jobs listed through V1.1, in its fields.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_cluster_option(parser)
        options.add_parallel_option(parser, 'pages (V2) or job-exe states '
                                            '(V1.1)')
        parser.add_argument(
            '--long', action='store_true',
            help='List additional fields in output')
        parser.add_argument(
            '--limit', metavar='<count>', type=argtypes.positive_int,
            action=options.Once,
            help='Fetch one page of at most this many (default: all)')
        v11 = parser.add_argument_group('V1.1 (without --cluster)')
        v11.add_argument(
            '--marker', metavar='<job-execution>', action=options.Once,
            help='Start after this job execution')
        parser.add_argument(
            '--sort', metavar='<field>[:asc|desc]', action=options.Once,
            type=argtypes.sort_key,
            help='Sort by this field, ascending unless :desc follows (V1.1: '
                 'the service sorts by id, job_template, cluster or '
                 'status; V2: submitted_time only)')
        v2 = parser.add_argument_group('V2 (with --cluster)')
        once = {'action': options.Once}
        v2.add_argument(
            '--page', metavar='<number>', type=argtypes.positive_int, **once,
            help='With --limit: which page of --limit jobs, counted from 1 '
                 '(default: 1)')
        v2.add_argument('--name', metavar='<job-name>', **once,
                        help='Only jobs of this name')
        v2.add_argument('--type', metavar='<job-type>', **once,
                        type=argtypes.one_of(JOB_TYPES),
                        help='Only jobs of this type: ' + ', '.join(JOB_TYPES))
        parser.add_argument(
            '--state', metavar='<state>', action='append',
            help='Only jobs in this state (repeat for several); "ended" is '
                 'every final state. V2: ' + ', '.join(JOB_STATES) + '; '
                 'a program that fails usually ends FINISHED with the '
                 'result FAILED (--result FAILED). V1.1 (the status '
                 'column): ' + ', '.join(V11_STATES))
        v2.add_argument('--result', metavar='<job-result>', action='append',
                        type=argtypes.one_of(JOB_RESULTS),
                        help='Only jobs with this result (repeat for '
                             'several): ' + ', '.join(JOB_RESULTS))
        v2.add_argument('--user', metavar='<user>', **once,
                        help='Only jobs submitted by this user')
        v2.add_argument('--queue', metavar='<queue>', **once,
                        help='Only jobs in this YARN queue')
        v2.add_argument('--submitted-after', metavar='<time>', **once,
                        type=argtypes.time_in_milliseconds,
                        help='Only jobs submitted after this time: ISO 8601 '
                             '(UTC unless it names a zone), a time before '
                             'now (30m, 2h, 7d), or epoch milliseconds, as '
                             '-f json prints times')
        v2.add_argument('--submitted-before', metavar='<time>', **once,
                        type=argtypes.time_in_milliseconds,
                        help='Only jobs submitted before this time (as '
                             '--submitted-after)')
        return parser

    def check(self, parsed_args):
        version = 'v2' if parsed_args.cluster is not None else 'v1.1'
        takes = LIST_OPTIONS[version]
        given = ['--' + name.replace('_', '-')
                 for other in LIST_OPTIONS.values() for name in other
                 if name not in takes and name != 'state'
                 and getattr(parsed_args, name) is not None]
        if given:
            self.usage_error(f'{", ".join(given)} can only be used '
                             f'{OTHER_API[version]}')
        if parsed_args.page is not None and parsed_args.limit is None:
            self.usage_error('--page needs --limit: it counts pages of '
                             '--limit jobs')
        if parsed_args.sort is not None:
            field, direction = parsed_args.sort
            if version == 'v2' and field != 'submitted_time':
                self.usage_error('with --cluster, --sort takes '
                                 'submitted_time only (the V2 API sorts by '
                                 'nothing else)')
            # The API's own form: V1.1 [-]<field>, V2 asc or desc.
            parsed_args.sort = direction if version == 'v2' else \
                ('-' if direction == 'desc' else '') + field
        if parsed_args.state:
            parsed_args.state = self._states(version, parsed_args.state)
            if len(parsed_args.state) > 1 and parsed_args.page is not None:
                self.usage_error('--page counts the pages of one state: '
                                 'give one --state with it')

    def _states(self, version, given):
        """The states asked, in each API's spelling; ``ended`` expanded.

        A state the API does not know is a usage error (exit 2), on V1.1
        too, where the status column is filtered here: a typo would
        otherwise list nothing, and exit 0.
        """
        spelled = argtypes.one_of(
            (JOB_STATES if version == 'v2' else V11_STATES) + ('ended',))
        states = []
        for text in given:
            try:
                state = spelled(text)
            except argparse.ArgumentTypeError as exc:
                self.usage_error(f'argument --state: {exc}')
            if state == 'ended':
                states.extend(ENDED_V2 if version == 'v2'
                              else sorted(v11.V11JobExecutions.TERMINAL))
            else:
                states.append(state)
        return tuple(dict.fromkeys(states))

    def take_action(self, parsed_args):
        api = options.job_executions(self.app, parsed_args)
        names = columns.VIEWS[api.version].short
        given = {param: getattr(parsed_args, name)
                 for name, param in LIST_OPTIONS[api.version].items()}
        given['parallel'] = parsed_args.parallel
        # V1.1 has no state filter: the status column is filtered.
        filtered = api.version == 'v1.1' and parsed_args.state
        if api.version == 'v1.1':
            # Where info is null, each status costs a job-exe request:
            # only when the status is printed or filtered.
            given['status'] = bool(filtered) or 'status' in (
                parsed_args.columns or names)
        if filtered:
            # --limit N is N jobs in these states, as on V2: the pages
            # are read until N are found (or --marker's list ends).
            given['limit'] = None
        # Jobs come as their pages come, and rows go out as they do
        # (-f value and csv print each at once; nothing keeps them all).
        found = api.each(**given)
        if filtered:
            found = itertools.islice(
                (job for job in found
                 if job.get('status') in parsed_args.state),
                parsed_args.limit)
        if parsed_args.cluster is not None:
            # A cluster's API is known once its first page came: an old
            # cluster's jobs come from V1.1, in its fields.
            first = list(itertools.islice(found, 1))
            found = itertools.chain(first, found)
        view = columns.VIEWS[api.version]
        names = view.long if parsed_args.long else view.short
        if parsed_args.long or parsed_args.columns:
            # -c picks any field the service sends, --long or not: the
            # fields beyond the documented ones are those of the first
            # jobs.
            return view.table_of(found, view.long)
        return names, (view.row(job, names) for job in found)


class ShowJobExecution(show_each.ShowEach):
    """Show job executions (V1.1), or jobs of a cluster (V2).

    The V2 API's millisecond times show as ISO 8601 (UTC) in the table and
    as the API sends them in -f json/yaml.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'show')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'show')
        shown = outcome.each(api.show, parsed_args.parallel)
        view = columns.VIEWS[api.version]
        names, rows = view.table([job for _, job in shown])
        self.failure = outcome.error()
        return names, rows


class CancelJobExecution(show_each.ShowEach):
    """Cancel running job executions (V1.1), or kill jobs of a cluster (V2).

    Shows each job: V1.1 answers with the job as it was before the cancel
    (as Sahara does), V2 with the job as it is after the kill request.
    A job that has already ended cannot be cancelled: one line names its
    state. With --wait, follows each job until it is in a final state,
    printing each change of state on stderr, then shows it; a job that
    had already ended is then a success. Example: openstack mrs job
    execution cancel 2de74673-1a78-48af-a95b-e1fec4a4ae9c
    """

    changes = True

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'cancel')
        options.add_wait_options(
            parser, 'Wait until each job is killed or otherwise ended '
                    '(V1.1: KILLED, SUCCEEDED, FAILED, DONEWITHERROR, and '
                    'where info is null the job-exe\'s ABNORMAL and '
                    'ERROR; V2: KILLED, FINISHED, FAILED)')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'cancel')

        # --wait shows each job once it has ended: not twice. Several V2
        # jobs are read after their kills in one round, through the
        # cluster's list where that costs fewer requests than a show each.
        read_after = not parsed_args.wait and api.version == 'v2' \
            and len(outcome.ids) > 1

        def cancel(key):
            try:
                return api.cancel(key, show=not (parsed_args.wait
                                                 or read_after))
            except (api_exceptions.AlreadyEnded,
                    api_exceptions.Unconfirmed) as known:
                if not parsed_args.wait:
                    raise
                # What --wait waits for holds already, or --wait tells.
                why = 'it had already ended' if isinstance(
                    known, api_exceptions.AlreadyEnded) \
                    else 'the answer to the kill was lost'
                progress.say(self.app, f'{key}: '
                             f'{progress.state_text(api.state_of(known.job))}'
                             f' ({why})')
                return known.job

        cancelled = outcome.each(cancel, parsed_args.parallel)
        if read_after and cancelled and api.version == 'v2':
            cancelled = self._read(api, cancelled, outcome,
                                   parsed_args.parallel)
        if parsed_args.wait and cancelled:
            cancelled, _ = following.wait(self.app, api, cancelled, outcome,
                                          parsed_args)
        view = columns.VIEWS[api.version]
        names, rows = view.table([job for _, job in cancelled])
        self.failure = outcome.error()
        return names, rows

    def _read(self, api, cancelled, outcome, parallel):
        """``[(id, job)]`` as read after the kills, in one round.

        A job whose read fails is shown as the kill left it known (the
        kill was accepted: the command's intent holds), and one line
        says so.
        """
        polled = api.poll_many([key for key, _ in cancelled], parallel)
        shown = []
        for key, job in cancelled:
            answer = polled.get(key)
            if isinstance(answer, tuple):
                shown.append((key, answer[1]))
                continue
            if answer is not None:
                progress.say(self.app, f'{key}: the kill was accepted; its '
                                       f'state could not be read: '
                                       f'{outcome.line(answer)}')
            shown.append((key, job))
        return shown


class DeleteJobExecution(options.Checked, command.Command):
    """Delete job executions (V1.1), or jobs of a cluster (V2).

    V2 deletes only jobs that have ended (the library's rule, a V1.1 id
    sent on to V2 included): their states are read first, and a job
    still running is one line (kill it first, or give --force). It
    deletes in batches (one request per 100 jobs). A batch that fails as
    a whole (no such cluster, a bad request) is one line naming how many
    jobs it held; where MRS answers that some jobs could not be deleted
    (0161), the batch is split until each of them is named. Prints
    nothing when all are deleted.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'delete')
        parser.add_argument(
            '--force', action='store_true',
            help='Delete jobs that have not ended too, without reading '
                 'their states first: V2 deletes only ended jobs otherwise, '
                 'V1.1 ids of jobs that only V2 manages included (V1.1\'s '
                 'own deletes are Sahara\'s, which stop a running '
                 'execution themselves)')
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'delete')
        with outcome.interruptible():
            for ids, error in api.delete(outcome.ids, parsed_args.parallel,
                                         progress=outcome.progress,
                                         force=parsed_args.force):
                outcome.fail(errors.line(error), count=len(ids))
        error = outcome.error()
        if error is not None:
            raise error


class WaitJobExecution(show_each.ShowEach):
    """Wait until job executions (V1.1), or jobs of a cluster (V2), end.

    Follows jobs started anywhere: each change of state is a line on
    stderr, and each job is shown once it has ended. Exits 0 only when
    every job ended well (V2: FINISHED with the result SUCCEEDED; V1.1:
    SUCCEEDED); otherwise one line for each job that failed, was killed
    or timed out, then "N of M". Example: openstack mrs job execution
    wait --cluster analytics wordcount --timeout 3600
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_ids_options(parser, 'wait for')
        options.add_wait_timing(parser)
        return parser

    def take_action(self, parsed_args):
        api, outcome = several.over_ids(self.app, parsed_args, 'end well',
                                        sending='show')
        # The wait reads each job itself: an outage from the start is
        # waited out as one later on is.
        shown, ended = following.wait(
            self.app, api, [(key, None) for key in outcome.ids], outcome,
            parsed_args)
        following.judge_ends(api, ended, outcome)
        view = columns.VIEWS[api.version]
        names, rows = view.table([job for _, job in shown])
        self.failure = outcome.error()
        return names, rows
