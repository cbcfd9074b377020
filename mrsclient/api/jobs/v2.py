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

"""Jobs of one cluster through MRS's V2 API.

``/v2/{project_id}/clusters/{cluster_id}/job-executions``: the same calls
as :class:`~mrsclient.api.jobs.v11.V11JobExecutions`, and ``submit``.
"""

import itertools
import uuid

from mrsclient.api import exceptions
from mrsclient.api.http import answers
from mrsclient.api.http import concurrency
from mrsclient.api.jobs import lost_answers
from mrsclient.api.jobs import model
from mrsclient.api.jobs import names
from mrsclient.api.jobs import rules
from mrsclient.api.jobs import states

# Page size when a V2 list is fetched whole (the API's default is 10).
V2_PAGE_SIZE = 100
# The most jobs one list gives: a server still paging past this is not
# followed further (a cluster's list pages on with limit and offset).
MAX_LISTED = 200_000
# The job types whose statements have results (error code 0179 names
# SparkSql and SparkScript; the Hive ones run SQL too).
SQL_TYPES = ('SparkSql', 'SparkScript', 'HiveSql', 'HiveScript')


class V2JobExecutions:
    """``/v2/{project_id}/clusters/{cluster_id}/job-executions``."""

    version = 'v2'
    TERMINAL = frozenset(states.ENDED & set(states.V2_STATES))
    # ids in one batch-delete request (the api-ref sets no limit)
    BATCH_SIZE = 100
    # More requests one batch may cost to find the ids that fail it.
    SPLIT_REQUESTS = 30

    def __init__(self, client, cluster_id):
        self.client = client
        self.cluster_id = cluster_id

    def model(self, job):
        """The job as :class:`~mrsclient.api.jobs.model.JobExecution`."""
        return model.JobExecution.from_v2(job, self.cluster_id)

    def _url(self, *segments):
        return self.client.url(
            self.version, 'clusters', (self.cluster_id, 'cluster id'),
            'job-executions', *segments)

    @staticmethod
    def _id(job_id):
        return (job_id, 'job id')

    def action(self, job_id, verb):
        """What a line says was being done to one job."""
        return self._action(verb, f'job {job_id}')

    def _action(self, verb, what):
        return f'Failed to {verb} {what} of cluster {self.cluster_id}'

    def list(self, limit=None, offset=None, sort=None, parallel=1,
             **filters):
        """Jobs of the cluster, as a list: see :meth:`each`."""
        return list(self.each(limit, offset, sort, parallel, **filters))

    def each(self, limit=None, offset=None, sort=None, parallel=1,
             **filters):
        """Jobs of the cluster, one at a time; without ``limit``, all.

        ``filters`` are the API's own query names (``job_name``,
        ``job_state``, ``submitted_time_begin``, ...). ``offset`` is the
        API's 1-based page number. Without ``limit``, the first page of
        ``V2_PAGE_SIZE`` gives ``total_record``; the other pages are then
        read ``parallel`` at once, and the jobs come in the API's order,
        each once, as the pages come in (nothing is kept but the ids
        seen). A server that sends no ``total_record`` is read a page
        after another. Reading stops at a page that comes back short or
        brings no new job, and the list fails (:class:`.ListTooLong`)
        past ``MAX_LISTED`` jobs.

        ``job_state`` and ``job_result`` may be lists of values (the API
        takes one): each state is a list of its own, merged in submission
        order, at most ``limit`` in all (``offset`` is for one state);
        several results are kept from what the lists answer.
        """
        params = {k: v for k, v in filters.items() if v is not None}
        if sort is not None:
            params['sort_by'] = sort
        results = params.pop('job_result', None)
        if not isinstance(results, str) and results is not None \
                and len(results) == 1:
            results = results[0]
        if isinstance(results, str):
            params['job_result'], results = results, None
        states = params.pop('job_state', None)
        several = states is not None and not isinstance(states, str)
        found = itertools.chain.from_iterable(
            self._each_of(dict(params) if state is None
                          else dict(params, job_state=state),
                          limit, offset, parallel)
            for state in ((states,) if not several
                          else dict.fromkeys(states)))
        if results is not None:
            found = (job for job in found if job.get('job_result') in results)
        if several:
            found = sorted(found, key=_submitted,
                           reverse=params.get('sort_by', 'desc') != 'asc')
        return found if limit is None else itertools.islice(found, limit)

    def _each_of(self, query, limit, offset, parallel):
        if limit is not None:
            yield from self._page(query, limit, offset or 1)[0]
            return
        first, total = self._page(query, V2_PAGE_SIZE, 1)
        yield from self._whole(query, first, total, parallel)

    def _whole(self, params, first, total, parallel):
        """Every job, from the first page and its ``total_record``.

        The pages after the first are read with ``parallel`` requests
        under way (a page is asked for as soon as one is answered), and
        reading stops at the last page ``total_record`` gives, at a page
        that comes back short, or at one that brings no job not seen
        before (a server that ignores ``offset`` repeats a page): a
        server's totals cannot make the client send more than
        ``parallel`` requests past the jobs it really has, nor list more
        than ``MAX_LISTED``.
        """
        seen = Seen()
        fresh = seen.new(first)
        yield from fresh
        if not fresh or len(first) < V2_PAGE_SIZE:
            return
        last = -(-total // V2_PAGE_SIZE) if isinstance(total, int) \
            and not isinstance(total, bool) else None
        # Without a total, one page at a time: nothing says how many.
        width = max(1, parallel) if last is not None else 1
        numbers = itertools.count(2) if last is None \
            else range(2, last + 1)
        pages = concurrency.ahead(
            lambda n: self._page(params, V2_PAGE_SIZE, n)[0], numbers, width)
        try:
            for page in pages:
                fresh = seen.new(page)
                if len(seen) > MAX_LISTED:
                    raise exceptions.ListTooLong(
                        f'Failed to list the jobs of cluster '
                        f'{self.cluster_id}', MAX_LISTED)
                yield from fresh
                if not fresh or len(page) < V2_PAGE_SIZE:
                    return
        finally:
            pages.close()

    def _page(self, params, size, number):
        """``(jobs, total_record)`` of one page."""
        page, body = self.client.get_page(
            self._url(), 'job_list',
            action=f'Failed to list the jobs of cluster {self.cluster_id}',
            params=dict(params, limit=size, offset=number))
        return page, body.get('total_record')

    def show(self, job_id):
        # The api-ref warns this may answer 202 instead of 200; both are
        # success to the client.
        return self.client.get_object(
            self._url(self._id(job_id)), 'job_detail',
            action=self._action('show', f'job {job_id}'))

    def cancel(self, job_id, show=True):
        """Kill (202, no body); return the job as it is then.

        Without ``show`` (a wait follows), the job is not read: what is
        known is that it was running, or MRS would have refused the kill.
        """
        action = self._action('cancel', f'job {job_id}')
        seen = []

        def holds():
            seen.append(self.show(job_id))
            return seen[-1] if self.state_of(seen[-1]) in self.TERMINAL \
                else None

        def kill():
            # 202 and no body; whatever a server sends is not the job.
            self.client.call('POST', self._url(self._id(job_id), 'kill'),
                             action=action, changes=True)

        try:
            job = lost_answers.until_it_holds(kill, holds,
                                              f'the kill of job {job_id}',
                                              tries=1)
        except exceptions.ApiError as exc:
            if exceptions.has_code(exc, exceptions.KILL_REFUSED):
                raise lost_answers.already_ended(self, job_id, exc, action)
            if exc.lost and seen:
                raise lost_answers.unconfirmed(self, exc, seen[-1])
            raise
        except exceptions.LostAnswer as exc:
            if seen:
                raise lost_answers.unconfirmed(self, exc, seen[-1])
            raise
        if isinstance(job, dict):
            return job
        if show:
            return self.show(job_id)
        return {'job_id': job_id, 'job_state': 'RUNNING'}

    def find(self, names_or_ids):
        """Job ids for the values that are names (not shaped like ids).

        Each name is looked up with the list's own ``job_name`` filter
        (one page, whatever the size of the cluster), then matched
        exactly: ``{value: job id or MrsError}``.
        """
        found = {}
        for name in dict.fromkeys(names_or_ids):
            if names.is_id(name):
                continue
            try:
                found[name] = names.pick(
                    name, self.list(job_name=name), 'job_id', 'job_name',
                    'job', f'on cluster {self.cluster_id}')
            except exceptions.MrsError as exc:
                found[name] = exc
        return found

    def submit(self, body):
        """Add and run a job; return the new job's id.

        ``body`` is the api-ref's request: ``job_type``, ``job_name``,
        ``arguments``, ``properties``. Sent once, even when its answer is
        lost: sending it again could run the job twice. A body that
        breaks the API reference's rules raises
        :class:`~mrsclient.api.jobs.rules.Broken` (an ``InvalidValue``)
        before any request.
        """
        rules.check_v2(body)
        action = (f'Failed to submit job {body.get("job_name")} to '
                  f'cluster {self.cluster_id}')
        answer = self.client.call('POST', self._url(), json=body,
                                  action=action, changes=True)
        result = answer.get('job_submit_result') \
            if isinstance(answer, dict) else None
        job_id = result.get('job_id') if isinstance(result, dict) else None
        if not isinstance(job_id, str) or not job_id or \
                result.get('state') == 'JOBSTAT_SUBMIT_FAILED':
            raise exceptions.TransportError(
                action, f'the answer has no submitted job: '
                        f'{answers.quoted(answer, 200)}', reason='unexpected')
        return job_id

    def sql_result(self, job_id):
        """The rows of each SQL statement of a job: ``{number: [row]}``.

        The api-ref's table names the field ``sql-results``, its example
        and Huawei's SDK ``sql_results``: either is read. Where MRS
        cannot give a result (``0172``, ``0179``), the job is read and
        the line says why: still running, or not an SQL job.
        """
        action = self._action('read the SQL result of', f'job {job_id}')
        try:
            body = self.client.call(
                'GET', self._url(self._id(job_id), 'sql-result'),
                action=action)
        except exceptions.ApiError as exc:
            if not exceptions.has_code(exc, {'0172', '0179'}):
                raise
            raise self._why_no_result(job_id, exc)
        found = None
        if isinstance(body, dict):
            found = body.get('sql_results', body.get('sql-results'))
        if not isinstance(found, dict) or not all(
                isinstance(rows, list)
                and all(isinstance(row, dict) for row in rows)
                for rows in found.values()):
            raise exceptions.TransportError(
                action, f'the answer has no "sql_results" object of '
                        f'statements and their rows: '
                        f'{answers.quoted(body, 200)}', reason='unexpected')
        return {str(number): rows for number, rows in found.items()}

    def _why_no_result(self, job_id, refused):
        try:
            job = self.show(job_id)
        except exceptions.MrsError:
            return refused
        state, kind = self.state_of(job), job.get('job_type')
        if state not in self.TERMINAL:
            return refused.with_hint(f'The job is still {state}: its '
                                     'result comes once it has ended.')
        if kind not in SQL_TYPES:
            return refused.with_hint(
                f'It is a {exceptions.one_line(kind, 40)} job: only '
                f'{", ".join(SQL_TYPES)} jobs have an SQL result.')
        return refused

    def gone(self, job_id):
        return lost_answers.is_gone(self.show, job_id)

    def delete(self, job_ids, parallel=1, progress=None):
        """``batch-delete``, ``BATCH_SIZE`` ids a request.

        Whatever their states: the rule on jobs that have not ended is
        :mod:`~mrsclient.api.jobs.executions`'.

        Returns ``[(ids, error)]``, one for each part that failed, in the
        order given. A batch that fails as a whole (the cluster, the
        request, the transport) is one failure. Only ``0161`` ("Failed to
        delete jobs in batches") can mean that some ids failed it: then
        the batch is split in halves until each failing id stands alone,
        at most ``SPLIT_REQUESTS`` more requests a batch.
        ``progress(ids, answered)``, if given, is told when each batch
        goes out and when it is answered.
        """
        progress = progress or concurrency.untold
        unique = list(dict.fromkeys(job_ids))
        failures = []
        batches = [unique[start:start + self.BATCH_SIZE]
                   for start in range(0, len(unique), self.BATCH_SIZE)]
        # Batches go at once, or a lost batch's reads do: never a pool in
        # a pool (requests keeps 10 connections a host).
        inner = parallel if len(batches) == 1 else 1
        for _, found, _ in concurrency.map_in_order(
                lambda batch: self._delete_batch(
                    batch, _Budget(self.SPLIT_REQUESTS), inner, progress),
                batches, parallel):
            failures.extend(found)
        return failures

    def _what(self, batch):
        return f'job {batch[0]}' if len(batch) == 1 \
            else f'{len(batch)} jobs'

    def _delete_batch(self, batch, budget, parallel, progress):
        """``[(ids, error)]`` for the parts of ``batch`` not deleted.

        Sent once (a POST); when its answer is lost, the ids still there
        fail as one part.
        """
        try:
            with concurrency.telling(progress, batch):
                self.client.call(
                    'POST', self._url('batch-delete'),
                    json={'job_id_list': batch},
                    action=self._action('delete', self._what(batch)),
                    changes=True)
            return []
        except exceptions.MrsError as exc:
            error = exc
        if exceptions.answer_lost(error):
            # Did it take effect? The state of each id says.
            checked = concurrency.map_in_order(self.gone, batch, parallel)
            if any(failed for _, _, failed in checked):
                return [(batch, error)]
            left = [key for key, gone, _ in checked if not gone]
            if not left:
                lost_answers.LOG.info('The answer to the batch delete of %s '
                                      'was lost; they are deleted.',
                                      self._what(batch))
                return []
            return [(left, error)]
        if exceptions.has_code(error, {'0161'}) and len(batch) > 1 \
                and budget.take(2):
            middle = len(batch) // 2
            return (self._delete_batch(batch[:middle], budget, parallel,
                                       progress)
                    + self._delete_batch(batch[middle:], budget, parallel,
                                         progress))
        if exceptions.has_code(error, {'0161'}) and len(batch) == 1:
            # 0161 does not say why: an unknown job is the usual reason.
            try:
                if self.gone(batch[0]):
                    error = error.with_hint(
                        f'Job {batch[0]} does not exist on this cluster.')
            except exceptions.MrsError:
                pass
        return [(batch, error)]

    @staticmethod
    def state_of(job):
        return answers.state_name(job.get('job_state'))

    def poll(self, job_id):
        """``(job_state, job)``: one read of a wait."""
        job = self.show(job_id)
        return self.state_of(job), job

    def poll_many(self, job_ids, parallel=1):
        """``{id: (state, job) or MrsError}``: one round of a wait.

        A show per job, ``parallel`` at once; or, where that costs more
        rounds, the cluster's list (a page answers 100 jobs, the pages
        fetched at once) and a show for any job it lacks.
        """
        rounds = -(-len(job_ids) // max(1, parallel))
        found = {}
        if rounds > 1:
            try:
                found = self._listed(job_ids, rounds, parallel)
            except exceptions.MrsError as exc:
                # The list is one read of them all: its failure is each
                # job's (a wait tries again; a delete says it per job).
                return {key: exc for key in job_ids}
        missing = [key for key in job_ids if key not in found]
        for key, polled, error in concurrency.map_in_order(
                self.poll, missing, parallel):
            found[key] = polled if error is None else error
        return found

    def _listed(self, job_ids, rounds, parallel):
        """``{id: (state, job)}`` from the cluster's list, or {}.

        {} where the list costs more than ``rounds`` rounds of shows.
        """
        first, total = self._page({}, V2_PAGE_SIZE, 1)
        pages = -(-total // V2_PAGE_SIZE) if isinstance(total, int) \
            else rounds + 1
        found = {}
        if pages <= rounds:
            wanted = set(job_ids)
            for job in self._whole({}, first, total, parallel):
                key = str(job.get('job_id'))
                if key in wanted:
                    found[key] = (self.state_of(job), job)
        return found


def _submitted(job):
    """A job's submission time, for merging lists (0 where unknown)."""
    value = job.get('submitted_time')
    return value if isinstance(value, (int, float)) \
        and not isinstance(value, bool) else 0


class Seen:
    """The ids of the jobs a list has given, kept small.

    An id written as a UUID is written (lower case, dashes in place) is
    kept as its 16 bytes (100,000 jobs: about 6 MB, not the 11 MB of
    their strings); any other string as it is. Two ids that differ in any
    character are two jobs, and a job without a string id is never taken
    for another.
    """

    def __init__(self, key='job_id'):
        self._ids = set()
        self._key = key

    def __len__(self):
        return len(self._ids)

    def new(self, page):
        """The jobs of ``page`` not seen before (now seen)."""
        fresh = []
        for job in page:
            compact = _compact(job.get(self._key))
            if compact not in self._ids:
                self._ids.add(compact)
                fresh.append(job)
        return fresh


def _compact(value):
    if not isinstance(value, str):
        return object()  # equal to nothing seen before
    if len(value) != 36:
        return value
    try:
        found = uuid.UUID(value)
    except ValueError:
        return value
    # Only the one spelling whose bytes give it back exactly.
    return found.bytes if str(found) == value else value


class _Budget:
    """Requests a batch may still spend on finding what fails it."""

    def __init__(self, requests):
        self.left = requests

    def take(self, requests):
        """Spend ``requests`` if they are left; whether they were."""
        if self.left < requests:
            return False
        self.left -= requests
        return True
