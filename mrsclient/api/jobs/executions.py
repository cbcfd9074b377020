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

"""The job executions of a project or of a cluster, whatever API has them.

:class:`JobExecutions` is what a program (and every command) uses: it
gives :class:`~mrsclient.api.jobs.model.JobExecution` objects, the same
on V1.1 and V2, and holds the rules of both APIs in one place:

* a job that has not ended is not deleted unless ``force``;
* a cancel of a job that has already ended is a success, with a note
  naming its state (the job no longer runs, which is what was asked);
* which states are running, ended well or ended badly is
  :mod:`.states`'.

Each call over several ids resolves names, sends ``parallel`` requests
at once and gives an :class:`Outcome` per id, in the order given. Under
it, the routes speak each API (:mod:`.v11`, :mod:`.v2`, :mod:`.routing`).
"""

import dataclasses
import itertools
import time

from mrsclient.api import exceptions
from mrsclient.api.http import concurrency
from mrsclient.api.jobs import model
from mrsclient.api.jobs import rules
from mrsclient.api.jobs import states
from mrsclient.api.jobs import waiting

# What each list takes beyond ``limit`` and ``state``: the library's name
# -> the API's query name. A project's jobs are listed through V1.1, a
# cluster's through V2 (or V1.1's list of them, on an old cluster).
PROJECT_QUERY = {'marker': 'marker', 'sort': 'sort_by'}
CLUSTER_QUERY = {'page': 'offset', 'sort': 'sort', 'name': 'job_name',
                 'job_type': 'job_type', 'result': 'job_result',
                 'user': 'user', 'queue': 'queue',
                 'submitted_after': 'submitted_time_begin',
                 'submitted_before': 'submitted_time_end'}
# What each list sorts by: V1.1's sort_by fields, V2's submission time.
PROJECT_SORT = ('id', 'job_template', 'cluster', 'status')
CLUSTER_SORT = ('created_at',)
#: The job types of a cluster's list and of a submission.
JOB_TYPES = rules.JOB_TYPES
#: Ctrl-C during a wait: ``pending`` maps each job to its last state.
Interrupted = waiting.Interrupted
#: Requests at once, by default and at most.
DEFAULT_PARALLEL = concurrency.DEFAULT_PARALLEL
MAX_PARALLEL = concurrency.MAX_PARALLEL


class Outcome:
    """What became of one id of a call over several.

    ``key`` is the id (or name) as given; ``job`` the job as last known
    (None when nothing was read); ``error`` the
    :class:`~mrsclient.api.exceptions.MrsError` that failed it, or None.
    """

    __slots__ = ('key', 'job', 'error')

    def __init__(self, key, job=None, error=None):
        self.key = key
        self.job = job
        self.error = error

    def __repr__(self):
        return f'<Outcome {self.key} {self.job!r} {self.error!r}>'


def ends_well(job):
    """A job ended well: FINISHED with the result SUCCEEDED."""
    return job.ended_well


@dataclasses.dataclass
class Waiter:
    """How a wait runs, as botocore's waiters are configured.

    ``interval`` seconds between reads, ``timeout`` seconds in all (None:
    until every job has ended); ``ended`` the states that end it, and
    ``well(job)`` whether it ended well (None: any end is).
    """

    interval: float = 5.0
    timeout: float = None
    ended: frozenset = states.ENDED
    well: object = ends_well

    # A test gives its own clock and sleep to the instance.
    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)


def takes(on_cluster):
    """The query arguments a list takes beyond ``limit`` and ``state``."""
    return frozenset(CLUSTER_QUERY if on_cluster else PROJECT_QUERY)


def check_list(on_cluster, limit=None, state=None, **query):
    """``(states, query)`` of a list, or :class:`rules.Broken` at once.

    ``on_cluster``: whether a cluster's jobs are listed (or the
    project's). Checks what needs no server: the filters the list has,
    the states (``states.asked``), the sort field, and that ``page``
    comes with ``limit`` and one state. ``Broken.field`` names the
    argument.
    """
    takes = CLUSTER_QUERY if on_cluster else PROJECT_QUERY
    for name, value in query.items():
        if value is None:
            continue
        if name not in CLUSTER_QUERY and name not in PROJECT_QUERY:
            raise TypeError(f'list() has no argument {name!r}')
        if name not in takes:
            raise rules.Broken(
                "filters a cluster's jobs only, not the project's list"
                if on_cluster is False and name in CLUSTER_QUERY else
                "applies to the project's list only, not a cluster's", name)
    wanted = None
    if state is not None:
        try:
            wanted = states.asked([state] if isinstance(state, str)
                                  else state)
        except ValueError as exc:
            raise rules.Broken(str(exc), 'state')
    if query.get('page') is not None:
        if limit is None:
            raise rules.Broken('counts pages of the limit: it needs a limit',
                               'page')
        if wanted is not None and len(wanted) > 1:
            raise rules.Broken('counts the pages of one state: give one',
                               'page')
    sort = query.get('sort')
    if sort is not None:
        field, direction = sort
        fields = CLUSTER_SORT if on_cluster else PROJECT_SORT
        if field not in fields or direction not in ('asc', 'desc'):
            raise rules.Broken(
                f'{field!r}: this list sorts by {", ".join(fields)}, asc or '
                'desc', 'sort')
    return wanted, {takes[name]: value for name, value in query.items()
                    if value is not None}


class JobExecutions:
    """The job executions of the project (V1.1) or of one cluster."""

    def __init__(self, client, cluster_id=None):
        self.client = client
        #: The cluster whose jobs these are, or None: the project's.
        self.cluster_id = cluster_id
        self._route = client.route(cluster_id)

    def _model(self, raw):
        return self._route.model(raw)

    # Lists and names.

    def list(self, limit=None, state=None,
             parallel=DEFAULT_PARALLEL, states_read=True,
             **query):
        """The jobs, one at a time as their pages come; all without limit.

        ``state``: one state or several (:mod:`.states`' words, or
        ``ended``); ``limit`` jobs in those states are given, whichever
        API has them. A cluster's list also takes ``name``, ``job_type``,
        ``result``, ``user``, ``queue``, ``submitted_after`` and
        ``submitted_before`` (epoch milliseconds), ``page`` (of ``limit``
        jobs, from 1) and ``sort=('created_at', 'asc'|'desc')``; the
        project's ``marker`` and ``sort=(field, way)`` on V1.1's fields.
        Without ``states_read``, a V1.1 job whose state costs a read of
        its own is given without it. See :func:`check_list`.
        """
        wanted, query = check_list(self.cluster_id is not None, limit,
                                   state, **query)
        if self.cluster_id is None:
            return self._project_list(limit, wanted, parallel, states_read,
                                      query)
        if 'sort' in query:
            query['sort'] = query['sort'][1]
        if wanted is not None:
            # Words only V1.1 has find nothing on V2.
            query['job_state'] = [word for word in wanted
                                  if word in states.V2_STATES]
        found = (self._model(raw) for raw in self._route.each(
            limit=limit, parallel=parallel, **query))
        if wanted is not None:
            # An old cluster's jobs come from V1.1, in its words.
            found = (job for job in found if job.state in wanted)
        return itertools.islice(found, limit)

    def _project_list(self, limit, wanted, parallel, states_read, query):
        sort = query.pop('sort_by', None)
        if sort is not None:
            field, direction = sort
            query['sort_by'] = ('-' if direction == 'desc' else '') + field
        # V1.1 has no state filter: the pages are read until ``limit``
        # jobs in those states are found.
        found = (model.JobExecution.from_v11(raw) for raw in
                 self._route.each(limit=None if wanted else limit,
                                  status=states_read or bool(wanted),
                                  parallel=parallel, **query))
        if wanted is not None:
            found = (job for job in found if job.state in wanted)
        return itertools.islice(found, limit)

    def find(self, names_or_ids):
        """``{name: id or MrsError}`` for the values that are names."""
        return self._route.find(names_or_ids)

    def _resolved(self, keys):
        """``(ids, {given: id or failed Outcome})``: names made ids."""
        found = self.find(keys)
        given = {}
        for key in keys:
            value = found.get(key, key)
            given[key] = Outcome(key, error=value) \
                if isinstance(value, exceptions.MrsError) else value
        return [value for value in given.values()
                if not isinstance(value, Outcome)], given

    @staticmethod
    def _in_order(keys, given, done):
        """An outcome per key, in order: a name's failure, or its id's."""
        return [given[key] if isinstance(given[key], Outcome)
                else done[given[key]] for key in keys]

    # Reads and changes, over several ids.

    def show(self, keys, parallel=1, progress=None):
        """Read each job: an :class:`Outcome` per key."""
        ids, given = self._resolved(keys)
        done = self._each(lambda key: self._model(self._route.show(key)),
                          ids, parallel, progress)
        return self._in_order(keys, given, done)

    def cancel(self, keys, parallel=1, progress=None, waiter=None,
               tell=None, on_change=None, on_trouble=None):
        """Stop each job: an :class:`Outcome` per key.

        Its job is as known after its kill (read once more, in one round,
        where several jobs of a cluster are cancelled).

        A job that has already ended is a success: ``tell(key, line)``
        says its state. With a ``waiter``, each job is followed until it
        has ended (its ``well`` is not asked: a kill is what was wanted),
        and a kill whose answer was lost is followed too.
        """
        tell = tell or _untold
        ids, given = self._resolved(keys)
        read_after = waiter is None and self.cluster_id is not None \
            and len(ids) > 1

        def cancel(key):
            try:
                return self._model(self._route.cancel(
                    key, show=not (waiter or read_after)))
            except exceptions.AlreadyEnded as known:
                job = known.job  # the model, of the API that knew it
                tell(key, f'it had already ended ({job.state}).')
                return job
            except exceptions.Unconfirmed as lost:
                if waiter is None:
                    raise
                job = lost.job
                tell(key, f'{job.state} (the answer to the kill was lost).')
                return job

        done = self._each(cancel, ids, parallel, progress)
        worked = [key for key in ids if done[key].error is None]
        if read_after and worked:
            self._read_after(worked, done, parallel, tell)
        if waiter is not None and worked:
            done.update(self._follow(
                worked, waiter, False, on_change, on_trouble, parallel,
                {key: done[key].job for key in worked}))
        return self._in_order(keys, given, done)

    def _read_after(self, keys, done, parallel, tell):
        """Read the killed jobs again, in one round (a list, or shows)."""
        polled = self._route.poll_many(keys, parallel)
        for key in keys:
            answer = polled.get(key)
            if isinstance(answer, tuple):
                done[key].job = self._model(answer[1])
            elif answer is not None:
                tell(key, f'the kill was accepted; its state could not be '
                          f'read: {answer}')

    def delete(self, keys, parallel=1, progress=None, force=False):
        """Delete; ``[(keys, error)]`` for the parts that failed.

        A job that has not ended fails as
        :class:`~mrsclient.api.exceptions.NotEnded` (its state is read
        first), unless ``force``. ``progress(keys, answered)`` is told
        when each request goes out and when it is answered.
        """
        ids, given = self._resolved(keys)
        failures = [([key], value.error) for key, value in given.items()
                    if isinstance(value, Outcome)]
        if not force:
            ids, not_ended = self._ended(ids, parallel)
            failures.extend(not_ended)
        return failures + self._route.delete(ids, parallel, progress)

    def _ended(self, keys, parallel):
        """``(ids of the jobs that have ended, [(ids, error)] of others)``.

        Where one failure answers for them all (the cluster's list: no
        such cluster), it is one part.
        """
        if not keys:
            return [], []
        polled = self._route.poll_many(keys, parallel)
        first = polled.get(keys[0])
        if len(keys) > 1 and isinstance(first, Exception) and all(
                polled.get(key) is first for key in keys):
            return [], [(list(keys), first)]
        ended, failures = [], []
        for key in keys:
            answer = polled.get(key)
            if isinstance(answer, exceptions.ApiError) and (
                    exceptions.has_code(answer, exceptions.NO_SUCH_JOB)
                    or answer.http_status == 404):
                # Not there: the delete's own line, no request more.
                failures.append(([key], answer.doing(
                    self._route.action(key, 'delete'))))
            elif isinstance(answer, Exception):
                failures.append(([key], answer))
            elif not self._model(answer[1]).has_ended:
                job = self._model(answer[1])
                failures.append(([key], exceptions.NotEnded(
                    _named(key, job), job.state)))
            else:
                ended.append(key)
        return ended, failures

    def wait(self, keys, waiter=None, on_change=None, on_trouble=None,
             parallel=1, known=None):
        """Follow the jobs until each has ended, or the waiter's timeout.

        An :class:`Outcome` per key, its ``job`` the last read (or as
        ``known`` gave it): ``error`` None where it ended well (or, with
        ``waiter.well`` None, ended at all);
        :class:`~mrsclient.api.exceptions.EndedBadly`,
        :class:`~mrsclient.api.exceptions.TimedOut`, or the read's own
        error where its job cannot be read (no such job). A read that
        fails for a passing reason is tried again until the deadline:
        ``on_trouble(key, error)`` when a job's reads start to fail,
        ``on_trouble(key, None)`` when they work again;
        ``on_change(key, old, new)`` at each change of state (``old``
        None for the first one read, unless ``known`` gave it). Ctrl-C
        raises :class:`~mrsclient.api.jobs.waiting.Interrupted`.
        """
        ids, given = self._resolved(keys)
        return self._in_order(keys, given, self._follow(
            ids, waiter or Waiter(), True, on_change, on_trouble, parallel,
            known or {}))

    def _follow(self, ids, waiter, judged, on_change, on_trouble, parallel,
                known):
        """``{id: Outcome}`` of a wait on ids (resolved).

        ``judged``: whether an end that is not ``waiter.well`` fails (a
        cancel's does not: a kill is what was wanted).
        """
        def poll(pending):
            found = {}
            for key, answer in self._route.poll_many(pending,
                                                     parallel).items():
                if isinstance(answer, tuple):
                    job = self._model(answer[1])
                    answer = (job.state, job)
                found[key] = answer
            return found

        done, unread, timed_out = waiting.wait_for(
            ids, poll, lambda state: state in waiter.ended, waiter.timeout,
            waiter.interval, on_change or _untold,
            last={key: job.state for key, job in known.items()
                  if job is not None},
            clock=waiter.clock, sleep=waiter.sleep,
            describe=lambda error: error, trouble=on_trouble or _untold)
        outcomes = {}
        for key in ids:
            if key in done:
                job = done[key]
                error = None if not judged or waiter.well is None \
                    or waiter.well(job) \
                    else exceptions.EndedBadly(_ending(key, job), job)
                outcomes[key] = Outcome(key, job, error)
            elif key in unread:
                outcomes[key] = Outcome(key, known.get(key), unread[key])
            else:
                message, last = timed_out[key]
                last = last or known.get(key)
                outcomes[key] = Outcome(key, last, exceptions.TimedOut(
                    message, last.state if last else None))
        return outcomes

    def _each(self, action, ids, parallel, progress):
        """``{id: Outcome}`` of ``action(id)``, ``parallel`` at once."""
        progress = progress or concurrency.untold

        def tracked(key):
            with concurrency.telling(progress, [key]):
                return action(key)

        done = {}
        for key, job, error in concurrency.each_in_order(tracked, ids,
                                                         parallel):
            if isinstance(error, exceptions.ConfigurationError):
                raise error  # no request can go: not one job's failure
            done[key] = Outcome(key, job, error)
        return done

    # One job.

    def submit(self, body):
        """Submit a job to the cluster; its id.

        ``body`` is V2's request (``job_type`` a name), or, for a cluster
        before MRS 1.9.2, V1.1's (``job_type`` a code; its
        ``cluster_id`` is this cluster). Checked by the API reference's
        rules before any request (:mod:`.rules`); sent once.
        """
        if rules.is_v11(body):
            if self.cluster_id is None:
                return self._route.submit(body)  # the body names its own
            key = self.client.route().submit(
                dict(body, cluster_id=self.cluster_id))
            # It took a V1.1 job: its jobs are V1.1's.
            self._route.to_v11()
            return key
        return self._route.submit(body)

    def sql_result(self, key):
        """The rows of each SQL statement of a job: ``{number: [row]}``."""
        found = self.find([key]).get(key, key)
        if isinstance(found, exceptions.MrsError):
            raise found
        return self._route.sql_result(found)


def _untold(*told):
    """A callback nobody listens to."""


def _named(key, job):
    """A job as a line names it: with its cluster where it is known."""
    return f'job {key}' + (f' of cluster {job.cluster_id}'
                           if job.cluster_id else '')


def _ending(key, job):
    """The line of a job that ended badly: how, how long, its logs."""
    how = job.state if job.result in (job.state, None, 'UNDEFINED') \
        else f'{job.state} with the result {job.result}'
    line = f'{_named(key, job)[:1].upper()}{_named(key, job)[1:]} ended ' \
        f'{how}'
    look = []
    if job.ran_for is not None:
        look.append(f'it ran {_span(job.ran_for.total_seconds())}')
    if job.logs is not None:
        what, where = job.logs
        look.append(f'{what}: {exceptions.one_line(where, 300)}')
    return f'{line}; {", ".join(look)}.' if look else f'{line}.'


def _span(seconds):
    """``1h 2m``, ``3m 12s``, ``45s``."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f'{hours}h {minutes}m'
    return f'{minutes}m {seconds}s' if minutes else f'{seconds}s'
