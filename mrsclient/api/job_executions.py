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

"""Job executions in MRS's two APIs, behind one interface.

:class:`V11JobExecutions` speaks the V1.1 (Sahara compatible) API of a
project; :class:`V2JobExecutions` the V2 API of one cluster. Both offer
``list``, ``show``, ``cancel`` and ``poll`` (the state for ``--wait``), so
a command never asks which one it has: ``MrsClient.job_executions`` picks
it from ``--cluster``.
"""

from osc_lib import exceptions

from mrsclient.api import concurrency
from mrsclient.api import errors
from mrsclient.api import secrets

# Page size when a V2 list is fetched whole (the API's default is 10).
V2_PAGE_SIZE = 100

# V1.1 job-exe job_state codes (api-ref querying_exe_object_details.rst),
# named for the operator, and the ones after which nothing changes.
JOB_EXE_STATES = {-1: 'TERMINATED', 1: 'STARTING', 2: 'RUNNING',
                  3: 'COMPLETED', 4: 'ABNORMAL', 5: 'ERROR'}


def v11_status(job_execution):
    """``info.status`` of a V1.1 job execution, or None."""
    info = job_execution.get('info')
    status = info.get('status') if isinstance(info, dict) else None
    return _state(status)


def _state(value):
    """A state as the service names it, made one short line; or None."""
    return errors.one_line(value, 40) if isinstance(value, str) else None


class V11JobExecutions:
    """``/v1.1/{project_id}/job-executions`` (Sahara compatible)."""

    version = 'v1.1'
    # Sahara's final states (also what MRS fills into info.status), and
    # the final job-exe states.
    TERMINAL = frozenset({'KILLED', 'SUCCEEDED', 'FAILED', 'DONEWITHERROR',
                          'TERMINATED', 'COMPLETED', 'ABNORMAL', 'ERROR'})

    def __init__(self, client):
        self.client = client

    def _url(self, *segments):
        return self.client.url(self.version, 'job-executions', *segments)

    @staticmethod
    def _id(job_execution_id):
        return (job_execution_id, 'job execution id')

    def list(self, limit=None, marker=None, sort_by=None):
        """Job executions; without ``limit``, every page.

        With ``limit`` one page of at most that many is fetched; without
        it, ``markers.next`` is followed until the last page.
        """
        params = {'limit': limit, 'marker': marker, 'sort_by': sort_by}
        found, seen = [], set()
        while True:
            page, body = self.client.get_page(
                self._url(), 'job_executions',
                action='Failed to list job executions',
                params={k: v for k, v in params.items() if v is not None})
            found.extend(page)
            markers = body.get('markers')
            following = markers.get('next') \
                if isinstance(markers, dict) else None
            if limit is not None or not page or not following \
                    or following in seen:
                return found
            seen.add(following)
            params['marker'] = following

    def show(self, job_execution_id):
        return self.client.get_object(
            self._url(self._id(job_execution_id)), 'job_execution',
            action=f'Failed to show job execution {job_execution_id}')

    @staticmethod
    def find(names_or_ids):
        """V1.1 job executions have no names: every value is an id."""
        return {}

    def cancel(self, job_execution_id):
        """Cancel; return the answer (the job as it was before)."""
        action = f'Failed to cancel job execution {job_execution_id}'
        try:
            return self.client.get_object(
                self._url(self._id(job_execution_id), 'cancel'),
                'job_execution', action=action)
        except errors.MrsApiError as exc:
            if str(exc.code) != '12000085':
                raise
            raise exc.on_cluster(self._cluster_of(job_execution_id))

    def _cluster_of(self, job_execution_id):
        """The execution's cluster id, for the 12000085 hint, or None."""
        try:
            return self.show(job_execution_id).get('cluster_id') or None
        except exceptions.CommandError:
            return None

    def delete(self, job_execution_ids, parallel=1):
        """Delete each (204); ``[(id, error or None)]`` in the order given."""
        def delete_one(job_execution_id):
            self.client.call(
                'DELETE', self._url(self._id(job_execution_id)),
                action=f'Failed to delete job execution {job_execution_id}')

        return [(key, error) for key, _, error in
                concurrency.map_in_order(delete_one, job_execution_ids,
                                         parallel)]

    @staticmethod
    def state_of(job_execution):
        return v11_status(job_execution)

    def poll(self, job_execution_id):
        """``(state, job execution)`` for ``--wait``.

        The state is ``info.status`` where the service fills it (Sahara
        does); where ``info`` says nothing, the job-exe of the same id
        gives its ``job_state`` code, named as in ``JOB_EXE_STATES``.
        """
        job_execution = self.show(job_execution_id)
        state = self.state_of(job_execution)
        if state is None:
            exe = self.client.get_object(
                self.client.url(self.version, 'job-exes',
                                self._id(job_execution_id)),
                'job_execution',
                action=f'Failed to read the state of job execution '
                       f'{job_execution_id}')
            code = exe.get('job_state')
            if type(code) is int and code in JOB_EXE_STATES:
                state = JOB_EXE_STATES[code]
            else:
                state = f'UNKNOWN ({errors.one_line(code, 40)})'
        return state, job_execution


class V2JobExecutions:
    """``/v2/{project_id}/clusters/{cluster_id}/job-executions``."""

    version = 'v2'
    TERMINAL = frozenset({'KILLED', 'FINISHED', 'FAILED'})
    # ids in one batch-delete request (the api-ref sets no limit)
    BATCH_SIZE = 100

    def __init__(self, client, cluster_id):
        self.client = client
        self.cluster_id = cluster_id

    def _url(self, *segments):
        return self.client.url(
            self.version, 'clusters', (self.cluster_id, 'cluster id'),
            'job-executions', *segments)

    @staticmethod
    def _id(job_id):
        return (job_id, 'job id')

    def list(self, limit=None, offset=None, sort=None, **filters):
        """Jobs of the cluster; without ``limit``, every page.

        ``filters`` are the API's own query names (``job_name``,
        ``job_state``, ``submitted_time_begin``, ...). ``offset`` is the
        API's 1-based page number. Without ``limit``, pages of
        ``V2_PAGE_SIZE`` are fetched until ``total_record`` jobs are in
        hand, a page comes back short, or a page brings no new job.
        """
        params = {k: v for k, v in filters.items() if v is not None}
        if sort is not None:
            params['sort_by'] = sort
        page_size = limit or V2_PAGE_SIZE
        page_number = offset or 1
        found, seen = [], set()
        while True:
            params.update(limit=page_size, offset=page_number)
            page, body = self.client.get_page(
                self._url(), 'job_list',
                action=f'Failed to list the jobs of cluster '
                       f'{self.cluster_id}',
                params=params)
            ids = {str(job.get('job_id')) for job in page}
            if page and ids <= seen:
                return found  # a server ignoring offset repeats a page
            seen |= ids
            found.extend(page)
            total = body.get('total_record')
            if limit is not None or len(page) < page_size or (
                    isinstance(total, int) and len(found) >= total):
                return found
            page_number += 1

    def show(self, job_id):
        # The api-ref warns this may answer 202 instead of 200; both are
        # success to the client.
        return self.client.get_object(
            self._url(self._id(job_id)), 'job_detail',
            action=f'Failed to show job {job_id} of cluster '
                   f'{self.cluster_id}')

    def cancel(self, job_id):
        """Kill (202, no body); return the job as it is then."""
        self.client.call(
            'POST', self._url(self._id(job_id), 'kill'),
            action=f'Failed to cancel job {job_id} of cluster '
                   f'{self.cluster_id}')
        return self.show(job_id)

    def find(self, names_or_ids):
        """Job ids for the values that are names (not shaped like ids).

        One list of the cluster's jobs answers them all: ``{value: job id
        or CommandError}``.
        """
        from mrsclient.api import names  # only on a cluster

        wanted = [v for v in names_or_ids if not names.is_id(v)]
        if not wanted:
            return {}
        jobs = self.list()
        found = {}
        for name in wanted:
            try:
                found[name] = names.pick(
                    name, jobs, 'job_id', 'job_name', 'job',
                    f'on cluster {self.cluster_id}')
            except exceptions.CommandError as exc:
                found[name] = exc
        return found

    def submit(self, body):
        """Add and run a job; return the new job as ``show`` gives it.

        ``body`` is the api-ref's request: ``job_type``, ``job_name``,
        ``arguments``, ``properties``. Sent once (a POST is never
        retried).
        """
        action = (f'Failed to submit job {body.get("job_name")} to '
                  f'cluster {self.cluster_id}')
        answer = self.client.call('POST', self._url(), json=body,
                                  action=action)
        result = answer.get('job_submit_result') \
            if isinstance(answer, dict) else None
        job_id = result.get('job_id') if isinstance(result, dict) else None
        if not isinstance(job_id, str) or not job_id or \
                result.get('state') == 'JOBSTAT_SUBMIT_FAILED':
            raise exceptions.CommandError(
                f'{action}: the answer has no submitted job: '
                f'{errors.one_line(secrets.mask_text(str(answer)), 200)!r}.')
        return self.show(job_id)

    def delete(self, job_ids, parallel=1):
        """``batch-delete``, ``BATCH_SIZE`` ids a request.

        The API answers a batch as a whole, so a failed batch is split in
        halves until each id that fails stands alone and is named.
        Returns ``[(id, error or None)]`` in the order given.
        """
        unique = list(dict.fromkeys(job_ids))
        batches = [unique[start:start + self.BATCH_SIZE]
                   for start in range(0, len(unique), self.BATCH_SIZE)]
        failed = {}
        for _, batch_failures, _ in concurrency.map_in_order(
                self._delete_batch, batches, parallel):
            failed.update(batch_failures)
        return [(key, failed.get(key)) for key in job_ids]

    def _delete_batch(self, batch):
        """``{id: error}`` for the ids of ``batch`` that were not deleted."""
        what = (f'job {batch[0]}' if len(batch) == 1
                else f'{len(batch)} jobs')
        try:
            self.client.call(
                'POST', self._url('batch-delete'),
                json={'job_id_list': batch},
                action=f'Failed to delete {what} of cluster '
                       f'{self.cluster_id}')
            return {}
        except exceptions.CommandError as exc:
            if len(batch) == 1:
                return {batch[0]: exc}
            middle = len(batch) // 2
            return {**self._delete_batch(batch[:middle]),
                    **self._delete_batch(batch[middle:])}

    @staticmethod
    def state_of(job):
        return _state(job.get('job_state'))

    def poll(self, job_id):
        """``(job_state, job)`` for ``--wait``."""
        job = self.show(job_id)
        return self.state_of(job), job
