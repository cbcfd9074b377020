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

"""Job executions of a project through MRS's V1.1 (Sahara compatible) API.

``/v1.1/{project_id}/job-executions``;
:class:`~mrsclient.api.jobs.v2.V2JobExecutions` offers
the same calls on a cluster, so a command never asks which one it has
(``MrsClient.job_executions`` picks one from the cluster given, or none).

Every job execution this module gives back carries ``status``: its
``info.status`` where the service fills it (Sahara does), else the
``job_state`` of the job-exe of the same id, named as in
``JOB_EXE_STATES``. A list reads those from its clusters' job-exe lists
(``/v1.1/{project_id}/job-exes``, pages of 100) where that costs fewer
requests than a read of each.
"""

import logging
import math

from mrsclient.api import exceptions
from mrsclient.api.http import answers
from mrsclient.api.http import concurrency
from mrsclient.api.jobs import lost_answers
from mrsclient.api.jobs import model
from mrsclient.api.jobs import rules
from mrsclient.api.jobs import states
from mrsclient.api.jobs import v2

LOG = logging.getLogger(__name__)

# V1.1 job-exe job_state codes (api-ref querying_exe_object_details.rst),
# named for the operator. -1 ("Terminated") is a job that was killed: it
# is named KILLED, as info.status and V2 name it, so that one name finds
# every killed job whatever record it came from.
JOB_EXE_STATES = {-1: 'KILLED', 1: 'STARTING', 2: 'RUNNING',
                  3: 'COMPLETED', 4: 'ABNORMAL', 5: 'ERROR'}
# How a COMPLETED job-exe ended, by its job_final_status (1 "terminated
# due to an execution error", 2 "executed successfully", 3 "canceled"),
# named as info.status names it, so that success reads the same.
JOB_EXE_ENDINGS = {1: 'FAILED', 2: 'SUCCEEDED', 3: 'KILLED'}
# A page of a whole list: the api-ref allows a limit up to 1073741822;
# a thousand executions are about 1.5 MB of JSON, and a service that
# gives fewer a page still says so with markers.next.
LIST_PAGE = 1000
# The most executions one list gives (as the V2 list's).
MAX_LISTED = v2.MAX_LISTED
# The largest page of the job-exe list (its page_size: 1 to 100).
EXE_PAGE = 100


def exe_state(exe):
    """The named ``job_state`` of a job-exe."""
    code, ending = exe.get('job_state'), exe.get('job_final_status')
    if code == 3 and type(ending) is int and ending in JOB_EXE_ENDINGS:
        return JOB_EXE_ENDINGS[ending]
    if type(code) is int and code in JOB_EXE_STATES:
        return JOB_EXE_STATES[code]
    return f'UNKNOWN ({exceptions.one_line(code, 40)})'


def v11_status(job_execution):
    """``info.status`` of a V1.1 job execution, or None."""
    info = job_execution.get('info')
    status = info.get('status') if isinstance(info, dict) else None
    return answers.state_name(status)


class V11JobExecutions:
    """``/v1.1/{project_id}/job-executions`` (Sahara compatible)."""

    version = 'v1.1'
    # Sahara's final states (also what MRS fills into info.status), and
    # the final job-exe states: V1.1's words for :data:`states.ENDED`.
    TERMINAL = frozenset({'SUCCEEDED'} | states.ENDED - {'FINISHED'})
    # After a cancel whose answer was lost: the kill was taken (Sahara's
    # TOBEKILLED) or the job has ended.
    STOPPING = TERMINAL | {'TOBEKILLED'}

    def __init__(self, client):
        self.client = client

    @staticmethod
    def model(job_execution):
        """The execution as a :class:`~.model.JobExecution`."""
        return model.JobExecution.from_v11(job_execution)

    @staticmethod
    def action(job_execution_id, verb):
        """What a line says was being done to one job execution."""
        return f'Failed to {verb} job execution {job_execution_id}'

    def _url(self, *segments):
        return self.client.url(self.version, 'job-executions', *segments)

    @staticmethod
    def _id(job_execution_id):
        return (job_execution_id, 'job execution id')

    def list(self, limit=None, marker=None, sort_by=None, status=True,
             parallel=concurrency.DEFAULT_PARALLEL):
        """Job executions, as a list: see :meth:`each`."""
        return list(self.each(limit, marker, sort_by, status, parallel))

    def each(self, limit=None, marker=None, sort_by=None, status=True,
             parallel=concurrency.DEFAULT_PARALLEL):
        """Job executions, one page after another.

        With ``limit`` one page of at most that many is fetched; without
        it, pages of ``LIST_PAGE`` and ``markers.next`` is followed until
        the last page, a marker seen before, or a page with no new
        execution; past ``MAX_LISTED`` executions the list fails
        (:class:`.ListTooLong`). Only the ids seen are kept. Without
        ``status``, a job whose ``info`` is null costs no job-exe request
        (and has the ``status`` None).
        """
        params = {'limit': limit or LIST_PAGE, 'marker': marker,
                  'sort_by': sort_by}
        seen, markers_seen = v2.Seen('id'), set()
        while True:
            page, body = self.client.get_page(
                self._url(), 'job_executions',
                action='Failed to list job executions',
                params={k: v for k, v in params.items() if v is not None})
            fresh = page if limit is not None else seen.new(page)
            if len(seen) > MAX_LISTED:
                raise exceptions.ListTooLong('Failed to list job executions',
                                             MAX_LISTED)
            self._add_status(fresh, parallel, exes=status)
            yield from fresh
            markers = body.get('markers')
            following = markers.get('next') \
                if isinstance(markers, dict) else None
            if limit is not None or not fresh or not following \
                    or not isinstance(following, str) \
                    or following in markers_seen:
                return
            markers_seen.add(following)
            params['marker'] = following

    def _add_status(self, jobs, parallel, exes):
        """Give each job its ``status``; a job-exe that fails leaves None.

        Where ``info`` is null the state is its job-exe's: read from the
        cluster's job-exe list where its pages are fewer than the jobs
        of that cluster still to read, else one read each.
        """
        missing = {}
        for job in jobs:
            job['status'] = v11_status(job)
            if exes and job['status'] is None \
                    and isinstance(job.get('id'), str) and job['id']:
                missing.setdefault(job.get('cluster_id'), []).append(job)
        alone = []
        for cluster_id, unread in missing.items():
            states = self._listed_states(cluster_id, len(unread), parallel) \
                if isinstance(cluster_id, str) and len(unread) > 1 else {}
            for job in unread:
                if job['id'] in states:
                    job['status'] = states[job['id']]
                else:
                    alone.append(job)
        for job, state, _ in concurrency.map_in_order(
                lambda job: self._exe_state(job['id']), alone, parallel):
            job['status'] = state

    def _listed_states(self, cluster_id, wanted, parallel):
        """``{id: state}`` of a cluster's job-exe list; {} if it fails.

        The first page gives ``totalRecord``; the others are read, at
        once, only if they are fewer than ``wanted`` reads would be.
        """
        url = self.client.url(self.version, 'job-exes')

        def page(number):
            return self.client.get_page(
                url, 'job_executions',
                action=f'Failed to list the job-exes of cluster '
                       f'{cluster_id}',
                params={'cluster_id': cluster_id, 'page_size': EXE_PAGE,
                        'current_page': number})

        try:
            first, body = page(1)
        except exceptions.MrsError as exc:
            LOG.debug('%s: reading each job-exe instead.', exc)
            return {}
        pages = [first]
        total = body.get('totalRecord')
        if type(total) is int and len(first) == EXE_PAGE \
                and 1 < math.ceil(total / EXE_PAGE) <= wanted:
            # A page that fails leaves its jobs to be read one by one.
            pages.extend(value[0] for _, value, error in
                         concurrency.map_in_order(
                             page, range(2, math.ceil(total / EXE_PAGE) + 1),
                             parallel) if error is None)
        return {exe.get('id'): exe_state(exe)
                for rows in pages for exe in rows}

    def _exe_state(self, job_execution_id):
        """The named ``job_state`` of the job-exe of this id."""
        return exe_state(self.client.get_object(
            self.client.url(self.version, 'job-exes',
                            self._id(job_execution_id)),
            'job_execution',
            action=f'Failed to read the state of job execution '
                   f'{job_execution_id}'))

    def _record(self, job_execution_id):
        """The execution as V1.1 answers it, without a job-exe read."""
        return self.client.get_object(
            self._url(self._id(job_execution_id)), 'job_execution',
            action=f'Failed to show job execution {job_execution_id}')

    def show(self, job_execution_id):
        job = self._record(job_execution_id)
        job['status'] = v11_status(job)
        if job['status'] is None:
            try:
                job['status'] = self._exe_state(job_execution_id)
            except exceptions.MrsError:
                pass  # poll asks again, and says why
        return job

    def submit(self, body):
        """Add and execute a job on a cluster before MRS 1.9.2; its id.

        ``body`` holds the api-ref's fields of ``jobs/submit-job``
        (``job_type`` a code, ``job_name``, ``cluster_id``, ``jar_path``,
        ``arguments`` one string, ``input``, ``output``, ...). Sent once,
        even when its answer is lost: sending it again could run the job
        twice. The api-ref answers the execution as ``job_execution``;
        Huawei's SDK reads its fields at the top: either is taken. A body
        that breaks the page's rules raises
        :class:`~mrsclient.api.jobs.rules.Broken` before any request.
        """
        rules.check_v11(body)
        action = (f'Failed to submit job {body.get("job_name")} to '
                  f'cluster {body.get("cluster_id")}')
        answer = self.client.call(
            'POST', self.client.url(self.version, 'jobs', 'submit-job'),
            json=body, action=action, changes=True)
        job = answer.get('job_execution', answer) \
            if isinstance(answer, dict) else None
        job_id = job.get('id') if isinstance(job, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise exceptions.TransportError(
                action, f'the answer has no submitted job: '
                        f'{answers.quoted(answer, 200)}', reason='unexpected')
        return job_id

    @staticmethod
    def find(names_or_ids):
        """V1.1 job executions have no names: every value is an id."""
        return {}

    def cancel(self, job_execution_id, show=True):
        """Cancel; return the answer (the job as it was before).

        When the answer is lost, the job as it is then, if it is being
        killed or has ended (:mod:`mrsclient.api.jobs.lost_answers`). ``show``
        changes nothing:
        the answer is the job.

        A job on a cluster whose jobs only the V2 API manages (``12000085``)
        is killed there: the execution's own record names its cluster (a
        show, which V1.1 still answers), then the kill goes to that
        cluster's V2 API, said at INFO; the job is given back as that show
        read it, before the kill, as a V1.1 cancel answers.
        """
        action = f'Failed to cancel job execution {job_execution_id}'

        def send():
            job = self.client.get_object(
                self._url(self._id(job_execution_id), 'cancel'),
                'job_execution', action=action, changes=True)
            job['status'] = v11_status(job)
            return job

        def holds():
            job = self.show(job_execution_id)
            return job if job['status'] in self.STOPPING else None

        try:
            return lost_answers.until_it_holds(
                send, holds, f'the cancel of job execution '
                             f'{job_execution_id}')
        except exceptions.ApiError as exc:
            if exceptions.has_code(exc, {'12000085'}):
                return self._cancel_on_v2(job_execution_id, exc)
            if exceptions.has_code(exc, exceptions.KILL_REFUSED):
                raise lost_answers.already_ended(
                    self, job_execution_id, exc, action)
            raise

    def _cancel_on_v2(self, job_execution_id, refused):
        """Kill a job of a V2-only cluster there (see ``cancel``)."""
        api, job = self._v2_of(job_execution_id, refused, 'cancelling')
        api.cancel(job_execution_id, show=False)
        return job

    def _v2_of(self, job_execution_id, refused, doing):
        """``(V2 API of the job's cluster, the job)``, said at INFO.

        For a change that V1.1 ``refused`` with ``12000085``: the
        execution's own record (which V1.1 still answers) names its
        cluster; without one, ``refused`` is raised.
        """
        try:
            job = self._record(job_execution_id)
            job['status'] = v11_status(job)
        except exceptions.MrsError:
            raise refused
        cluster_id = job.get('cluster_id')
        if not isinstance(cluster_id, str) or not cluster_id:
            raise refused
        LOG.info('Job execution %s runs on cluster %s, whose jobs only the '
                 'V2 API manages: %s it there.', job_execution_id,
                 cluster_id, doing)
        return v2.V2JobExecutions(self.client, cluster_id), job

    def gone(self, job_execution_id):
        """True when the service says there is no such job execution."""
        return lost_answers.is_gone(self.show, job_execution_id)

    def delete(self, job_execution_ids, parallel=1, progress=None):
        """Delete each (204); ``[([id], error)]`` for those that failed.

        ``progress(ids, answered)``, if given, is told when each request
        goes out and when it is answered. A job of a cluster whose jobs
        only the V2 API manages (``12000085``) is deleted there, as
        ``cancel`` kills it. (Sahara's own delete stops a running
        execution: the rule on jobs that have not ended is
        :mod:`~mrsclient.api.jobs.executions`'.)
        """
        progress = progress or concurrency.untold

        def delete_one(job_execution_id):
            with concurrency.telling(progress, [job_execution_id]):
                try:
                    lost_answers.until_it_holds(
                        lambda: self.client.call(
                            'DELETE', self._url(self._id(job_execution_id)),
                            action=self.action(job_execution_id, 'delete'),
                            changes=True),
                        lambda: True if self.gone(job_execution_id)
                        else None,
                        f'the delete of job execution {job_execution_id}')
                except exceptions.ApiError as exc:
                    if not exceptions.has_code(exc, {'12000085'}):
                        raise
                    api, _ = self._v2_of(job_execution_id, exc, 'deleting')
                    failed = api.delete([job_execution_id])
                    if failed:
                        raise failed[0][1]

        return [([key], error) for key, _, error in
                concurrency.map_in_order(delete_one, job_execution_ids,
                                         parallel) if error is not None]

    @staticmethod
    def state_of(job_execution):
        if 'status' in job_execution:
            return job_execution['status']
        return v11_status(job_execution)

    def poll_many(self, job_execution_ids, parallel=1):
        """``{id: (state, job) or MrsError}``: one round of a wait.

        A show each, ``parallel`` at once; or, where that takes more than
        one round, the first page of the project's list (``LIST_PAGE``
        executions, the states of those asked read as ``list`` reads
        them) and a show for any it lacks.
        """
        found = {}
        if len(job_execution_ids) > max(1, parallel):
            try:
                found = self._listed(set(job_execution_ids), parallel)
            except exceptions.MrsError as exc:
                LOG.debug('%s: reading each instead.', exc)
        missing = [key for key in job_execution_ids if key not in found]
        for key, polled, error in concurrency.map_in_order(
                self.poll, missing, parallel):
            found[key] = polled if error is None else error
        return found

    def _listed(self, wanted, parallel):
        """``{id: (state, job)}`` of the asked on the list's first page."""
        page = [job for job in self.each(limit=LIST_PAGE, status=False)
                if job.get('id') in wanted]
        self._add_status(page, parallel, exes=True)
        return {job['id']: (job['status'], job) for job in page
                if job['status'] is not None}

    def poll(self, job_execution_id):
        """``(state, job execution)``: one read of a wait."""
        job_execution = self.show(job_execution_id)
        if job_execution['status'] is None:
            # The job-exe read failed in show: again, and say why.
            job_execution['status'] = self._exe_state(job_execution_id)
        return job_execution['status'], job_execution
