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

"""MRS V2: ``/v2/{project_id}/clusters/{cluster_id}/job-executions``, in
the api-ref's shapes (list, show, kill).

As the api-ref warns, list and show answer 202, and ``arguments`` and
``properties`` arrive as strings. Every function is called with the
state lock held and returns ``(status, body)`` or raises
:class:`~.state.MrsError`.
"""

import re

from mrsclient.simulator import state as st

# (job_state, job_result) of each phase.
_STATES = {st.RUNNING: ('RUNNING', 'UNDEFINED'),
           st.SUCCEEDED: ('FINISHED', 'SUCCEEDED'),
           st.FAILED: ('FAILED', 'FAILED'),
           st.KILLED: ('KILLED', 'KILLED'),
           st.FINISHED_FAILED: ('FINISHED', 'FAILED')}


def _ms(seconds):
    return int(seconds * 1000) if seconds else 0


def render(job, now):
    job_state, job_result = _STATES[job.phase]
    ended = job.ended or now
    return {
        'job_id': job.id,
        'user': 'demo',
        'job_name': job.name,
        'job_result': job_result,
        'job_state': job_state,
        'job_progress': 100 if job.phase == st.SUCCEEDED else 50,
        'job_type': job.type,
        'started_time': _ms(job.started),
        'submitted_time': _ms(job.submitted),
        'finished_time': _ms(job.ended),
        'elapsed_time': _ms(ended - job.started),
        'queue': 'default',
        'arguments': '[' + ', '.join(job.arguments) + ']',
        'launcher_id': 'application_1564622673393_' + job.id[:4],
        'app_id': 'application_1564622673393_' + job.id[-4:],
        # In Huawei's SDK model of a job, not in the api-ref's example.
        'tracking_url': 'http://yarn.example:8088/proxy/'
                        'application_1564622673393_' + job.id[-4:] + '/',
        # As the api-ref's examples show it: a string, here Java's
        # rendering of a map, secrets and all.
        'properties': '{' + ', '.join(
            f'{k}={v}' for k, v in job.properties.items()) + '}',
    }


def _fields(job):
    """What the list filters on, without rendering the whole job."""
    job_state, job_result = _STATES[job.phase]
    return {'job_name': job.name, 'job_type': job.type,
            'job_state': job_state, 'job_result': job_result,
            'user': 'demo', 'queue': 'default'}


_FILTERS = frozenset({'job_name', 'job_type', 'job_state', 'job_result',
                      'user', 'queue', 'submitted_time_begin',
                      'submitted_time_end'})


def _filtered(jobs, query):
    wanted = {name: query[name] for name in (
        'job_name', 'job_type', 'job_state', 'job_result', 'user', 'queue')
        if query.get(name)}
    begin = int(query.get('submitted_time_begin') or 0)
    end = int(query.get('submitted_time_end') or 0)
    found = []
    for job in jobs:
        fields = _fields(job)
        if any(fields[name] != value for name, value in wanted.items()):
            continue
        if (begin and _ms(job.submitted) < begin) or (
                end and _ms(job.submitted) > end):
            continue
        found.append(job)
    return found


def list_jobs(state, cluster, query):
    """Jobs filtered by the api-ref's query names, one page of them.

    ``limit`` (default 10) jobs on page ``offset`` (from 1), ordered by
    submission time, ``sort_by`` asc or desc (the default). Only the page
    is rendered, so a cluster of thousands of jobs answers fast.
    """
    now = state.clock()
    found = state.jobs_of(cluster.project_id, cluster)  # by submission
    if _FILTERS.intersection(name for name, value in query.items() if value):
        found = _filtered(found, query)
    limit = int(query.get('limit') or 10)
    start = (int(query.get('offset') or 1) - 1) * limit
    if query.get('sort_by', 'desc') != 'asc':
        # Newest first: the page counted from the end.
        end = max(len(found) - start, 0)
        page = found[max(end - limit, 0):end][::-1]
    else:
        page = found[start:start + limit]
    return 202, {'total_record': len(found),
                 'job_list': [render(job, now) for job in page]}


def handles(parts):
    """Whether ``parts`` (after ``/v2/{project_id}/``) are ours."""
    return len(parts) >= 3 and parts[0] == 'clusters' \
        and parts[2] == 'job-executions'


def route(state, method, project_id, parts, query, body=None):
    """``parts`` follow ``/v2/{project_id}/``; None: no such route."""
    cluster = state.cluster(parts[1], project_id)
    if not cluster.v2:
        raise st.MrsError(500, '0167', 'The v2 job API cannot be accessed.')
    rest = tuple(parts[3:])
    if rest == () and method == 'GET':
        return list_jobs(state, cluster, query)
    if rest == ('batch-delete',) and method == 'POST':
        return batch_delete(state, cluster, body)
    if rest == () and method == 'POST':
        return submit(state, cluster, body)
    job = state.job(rest[0], project_id) if rest else None
    if job is None or job.cluster is not cluster:
        raise st.no_such_v2_job()
    if rest[1:] == () and method == 'GET':
        return 202, {'job_detail': render(job, state.clock())}
    if rest[1:] == ('sql-result',) and method == 'GET':
        return sql_result(job)
    if rest[1:] == ('kill',) and method == 'POST':
        if not job.request_kill(state.clock()):
            raise st.MrsError(500, '0175', 'Failed to kill the job.')
        st.took_effect(job)
        return 202, None
    return None


def batch_delete(state, cluster, body):
    """Delete the jobs of ``job_id_list``, all or nothing.

    Any id that is not a job of the cluster fails the whole batch with
    0161, and nothing is deleted.
    """
    ids = body.get('job_id_list') if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids \
            or not all(isinstance(job_id, str) for job_id in ids):
        raise st.MrsError(500, '0178', 'The job ID cannot be left blank.')
    jobs = [state.job(job_id, cluster.project_id) for job_id in ids]
    if any(job is None or job.cluster is not cluster for job in jobs):
        raise st.MrsError(500, '0161', 'Failed to delete jobs in batches.')
    for job in jobs:
        state.remove(job)
    st.took_effect(*jobs)
    return 200, None


JOB_TYPES = ('MapReduce', 'SparkSubmit', 'HiveScript', 'HiveSql', 'DistCp',
             'SparkScript', 'SparkSql', 'Flink')


def submit(state, cluster, body):
    """Add and run a job (job_type, job_name, arguments, properties)."""
    body = body if isinstance(body, dict) else {}
    name, job_type = body.get('job_name'), body.get('job_type')
    arguments = body.get('arguments') or []
    properties = body.get('properties') or {}
    if job_type not in JOB_TYPES or not isinstance(name, str) \
            or not re.fullmatch(r'[A-Za-z0-9_-]{1,64}', name) \
            or not isinstance(arguments, list) \
            or not isinstance(properties, dict):
        raise st.MrsError(400, '12000061',
                          f'Failed to submit the job (cluster ID: '
                          f'{cluster.id}; job name: {name}).')
    job = state.submit(cluster, name, job_type, arguments, properties)
    return 200, {'job_submit_result': {'job_id': job.id,
                                       'state': 'COMPLETE'}}


SQL_TYPES = ('SparkSql', 'SparkScript', 'HiveSql', 'HiveScript')
# The api-ref's example answer (obtain_the_sql_result.rst).
SQL_EXAMPLE = {
    '0': [{'result': 'succeed'}],
    '1': [{'database': 'default', 'isTemporary': 'false',
           'tableName': 'src_wordcount'}],
    '2': [{'result': 'succeed'}],
    '3': [{'result': 'succeed'}],
    '4': [{'name': 'a', 'id': '1'}, {'name': 'b', 'id': '2'}],
}


def sql_result(job):
    """The rows of each statement of an SQL job that has ended.

    A seeded job answers the api-ref's example. A submitted one answers
    a statement for each ``;``-separated part of its arguments: ``select
    *`` gives the example's two rows, ``select a, b from t`` two rows
    keyed ``a`` and ``b`` (values ``a1``, ``b1``, then ``a2``, ``b2``),
    ``show`` no rows, anything else ``{"result": "succeed"}``; no
    statement at all, no results (``{}``). A job that is not an SQL job,
    or is still running, answers 0172.
    """
    if job.type not in SQL_TYPES or job.phase == st.RUNNING:
        raise st.MrsError(500, '0172', 'Failed to collect the SQL job '
                                       'result.')
    if job.group != 'submitted':
        return 200, {'sql_results': SQL_EXAMPLE}
    statements = [part.strip() for part in ' '.join(job.arguments)
                  .split(';') if part.strip()]
    results = {}
    for number, statement in enumerate(statements):
        word = statement.split()[0].lower()
        results[str(number)] = _select(statement) if word == 'select' \
            else [] if word == 'show' else [{'result': 'succeed'}]
    return 200, {'sql_results': results}


def _select(statement):
    """The rows of a ``select``: the example's, or the columns named."""
    found = re.fullmatch(r'select\s+(.+?)(\s+from\s.*)?', statement,
                         re.IGNORECASE | re.DOTALL)
    names = [name.strip() for name in found.group(1).split(',')]
    if names == ['*']:
        return SQL_EXAMPLE['4']
    return [{name: f'{name}{n}' for name in names} for n in (1, 2)]
