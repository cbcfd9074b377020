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

"""MRS V1.1 (Sahara compatible): ``/v1.1/{project_id}/job-executions``
and ``/v1.1/{project_id}/job-exes/{id}``, in the api-ref's shapes.

Every function is called with the state lock held and returns
``(status, body)`` or raises :class:`~.state.MrsError`.
"""

import datetime
import re

from mrsclient.simulator import state as st

DEFAULT_PAGE_SIZE = 10
# The api-ref's ranges: job-executions' limit 1 to 1073741822, job-exes'
# page_size 1 to 100 (querying_the_exe_object_list_of_jobs.rst).
MAX_LIMIT = 1073741822
MAX_EXE_PAGE_SIZE = 100

# job-exe job_state and job_final_status codes of each phase
# (api-ref querying_exe_object_details.rst).
_EXE_CODES = {st.RUNNING: (2, 0), st.SUCCEEDED: (3, 2), st.FAILED: (5, 1),
              st.FINISHED_FAILED: (3, 1),
              st.KILLED: (-1, 3)}


def _time(seconds):
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(
        seconds, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S')


def render(job):
    """A job as a V1.1 ``job_execution`` object (the api-ref's fields)."""
    return {
        'id': job.id,
        'tenant_id': job.project_id,
        'job_id': job.template_id,
        'cluster_id': job.cluster.id,
        'created_at': _time(job.submitted),
        'updated_at': _time(job.ended or job.started),
        'start_time': _time(job.started),
        'end_time': _time(job.ended),
        'oozie_job_id': None,
        'engine_job_id': None,
        'return_code': '0' if job.phase == st.SUCCEEDED else None,
        'input_id': None,
        'output_id': None,
        'is_protected': False,
        'is_public': None,
        'job_configs': {'configs': {'mapreduce.job.maps': '2'},
                        'args': list(job.arguments[1:]),
                        'params': {}},
        'data_source_urls': None,
        'info': None if job.info_null else {
            'status': 'FAILED' if job.phase == st.FINISHED_FAILED
            else job.phase},
    }


def render_exe(job):
    """A job as a V1.1 job-exe object (a subset of the api-ref's)."""
    code, final = _EXE_CODES[job.phase]
    return {**(job.submitted_v11 or {}), 'id': job.id,
            'job_id': job.template_id,
            'job_name': job.name, 'tenant_id': job.project_id,
            'cluster_id': job.cluster.id, 'job_state': code,
            'job_final_status': final,
            'create_at': int(job.submitted * 1000),
            'start_time': int(job.started * 1000),
            'end_time': int(job.ended * 1000) if job.ended else None}


def _sort_key(field):
    def key(job):
        value = render(job).get(field)
        return (value is None, str(value), job.id)
    return key


def _number(query, name, default, highest):
    """A paging parameter in the api-ref's range, or 400 12000002."""
    text = query.get(name)
    if text is None or text == '':
        return default
    if not text.isdigit() or not 1 <= int(text) <= highest:
        raise st.MrsError(400, '12000002', f'The parameter is invalid: '
                                           f'{name} must be 1 to {highest}.')
    return int(text)


def list_job_executions(state, project_id, query):
    """The api-ref's list, by ``limit``, ``marker`` and ``sort_by``.

    ``marker`` is the last id not to return, a ``-`` before the
    ``sort_by`` field sorts descending, and ``markers.next`` is the last
    id of a page when more follow. Without ``limit`` a page holds
    ``DEFAULT_PAGE_SIZE`` (the api-ref sets no default; a small one
    makes clients walk the markers); ``limit`` takes the api-ref's range.
    """
    sort_by = query.get('sort_by') or 'created_at'
    field = sort_by.lstrip('-')
    found = sorted(state.jobs_of(project_id), key=_sort_key(field),
                   reverse=sort_by.startswith('-'))
    ids = [job.id for job in found]
    start = 0
    if query.get('marker'):
        if query['marker'] not in ids:
            raise st.MrsError(400, '0176', 'The marker job does not exist.')
        start = ids.index(query['marker']) + 1
    limit = _number(query, 'limit', DEFAULT_PAGE_SIZE, MAX_LIMIT)
    end = start + limit
    page = found[start:end]
    return 200, {
        'markers': {'prev': ids[start - 1] if start else None,
                    'next': page[-1].id if end < len(found) and page
                    else None},
        'job_executions': [render(job) for job in page]}


def list_job_exes(state, project_id, query):
    """One page of a cluster's job-exes, newest first, and ``totalRecord``.

    ``cluster_id`` is mandatory (the api-ref's example writes
    ``clusterId``: taken too); ``page_size`` 1 to 100 (default 10),
    ``current_page`` from 1; ``id``, ``job_name`` and ``state`` (a
    job_state code) filter.
    """
    cluster_id = query.get('cluster_id') or query.get('clusterId')
    if not cluster_id:
        raise st.MrsError(400, '12000002', 'The parameter is invalid: '
                                           'cluster_id is mandatory.')
    cluster = state.cluster(cluster_id, project_id)
    size = _number(query, 'page_size', DEFAULT_PAGE_SIZE, MAX_EXE_PAGE_SIZE)
    page = _number(query, 'current_page', 1, MAX_LIMIT)
    found = [render_exe(job) for job in sorted(
        state.jobs_of(project_id, cluster),
        key=lambda job: (-job.submitted, job.id))]
    for name in ('id', 'job_name', 'state'):
        if query.get(name):
            field = 'job_state' if name == 'state' else name
            found = [exe for exe in found
                     if str(exe[field]) == query[name]]
    start = (page - 1) * size
    return 200, {'totalRecord': len(found),
                 'job_executions': found[start:start + size]}


# job_type codes of jobs/submit-job (adding_a_job_and_executing_the_job
# .rst), by the V2 name the simulator keeps; 4 (HiveQL) and 7 (Spark SQL)
# are "not supported currently".
SUBMIT_TYPES = {1: 'MapReduce', 2: 'SparkSubmit', 3: 'HiveScript',
                5: 'DistCp', 6: 'SparkScript'}


def submit_job(state, project_id, body):
    """Add and execute a job (``POST jobs/submit-job``), the api-ref's way.

    The answer is the api-ref example's ``job_execution``. Refused: a
    job_type other than 1, 2, 3, 5, 6 or a bad name (``12000002``), no
    jar_path for MapReduce or Spark (``12000081``), no hive_script_path
    for Hive or Spark Script (``12000114``), no file_action for DistCp
    (``12000002``), a cluster of MRS 1.9.2 or later (``12000085``).
    """
    body = body if isinstance(body, dict) else {}
    code, name = body.get('job_type'), body.get('job_name')
    if type(code) is not int or code not in SUBMIT_TYPES \
            or not isinstance(name, str) \
            or not re.fullmatch(r'[A-Za-z0-9_-]{1,64}', name):
        raise st.MrsError(400, '12000002', 'The parameter is invalid.')
    cluster = state.cluster(str(body.get('cluster_id')), project_id)
    if cluster.v2:
        raise v2_only()
    if code in (1, 2) and not body.get('jar_path'):
        raise st.MrsError(400, '12000081', 'The jar_path parameter cannot '
                          'be left blank if the job type is MapReduce or '
                          'Spark.')
    if code in (3, 6) and not body.get('hive_script_path'):
        raise st.MrsError(400, '12000114', 'The hive_script_path parameter '
                          'cannot be left blank if the job type is Hive or '
                          'SparkScript.')
    if code == 5 and body.get('file_action') not in ('import', 'export'):
        raise st.MrsError(400, '12000002', 'The parameter is invalid.')
    program = body.get('jar_path') or body.get('hive_script_path') or ''
    arguments = str(body.get('arguments') or '').split()
    job = state.submit(cluster, name, SUBMIT_TYPES[code],
                       [program, *arguments], {})
    job.submitted_v11 = {key: body.get(key, '') for key in (
        'jar_path', 'input', 'output', 'job_log', 'file_action',
        'arguments', 'hql', 'hive_script_path')}
    seconds = int(job.submitted)
    return 200, {'job_execution': {
        'templated': False, 'created_at': seconds, 'updated_at': seconds,
        'id': job.id, 'tenant_id': project_id, 'job_id': '',
        'job_name': name, 'input_id': None, 'output_id': None,
        'start_time': seconds, 'end_time': None, 'cluster_id': cluster.id,
        'engine_job_id': None, 'return_code': None, 'is_public': None,
        'is_protected': False, 'group_id': job.id, 'job_type': code,
        **job.submitted_v11, 'job_state': 2, 'job_final_status': 0,
        'job_configs': None, 'extra': None, 'data_source_urls': None,
        'info': None}}


def handles(parts):
    """Whether ``parts`` (after ``/v1.1/{project_id}/``) are ours."""
    return parts[:1] in (['job-executions'], ['job-exes'], ['cluster_infos'],
                         ['jobs'])


def cluster_infos(state, project_id, query):
    """The project's clusters, a page of them.

    ``pageSize`` (default 10) a page, ``currentPage`` from 1;
    ``clusterTotal`` is a string, as the api-ref types it.
    """
    clusters = sorted((c for c in state.clusters.values()
                       if c.project_id == project_id), key=lambda c: c.id)
    size = int(query.get('pageSize') or 10)
    start = (int(query.get('currentPage') or 1) - 1) * size
    return 200, {'clusterTotal': str(len(clusters)), 'clusters': [
        render_cluster(c, state.clock())
        for c in clusters[start:start + size]]}


def render_cluster(cluster, now):
    """A cluster with the fields of the api-ref's list and details pages.

    Types as the pages give them (most numbers are strings there, times
    10-digit timestamps as strings), so that python-otcextensions'
    ``mrs cluster list`` reads them as from MRS.
    """
    created = str(int(now) - 86400)
    node_group = {'groupName': 'master_node_default_group', 'nodeNum': 2,
                  'nodeSize': 'c6.4xlarge.4.linux.bigdata',
                  'nodeSpecId': 'cdc6035a249a40249312f5ef72a23cd7',
                  'rootVolumeSize': 480, 'rootVolumeType': 'SATA',
                  'dataVolumeType': 'SATA', 'dataVolumeCount': 1,
                  'dataVolumeSize': 600}
    return {
        'clusterId': cluster.id, 'clusterName': cluster.name,
        'masterNodeNum': '2', 'coreNodeNum': '3', 'totalNodeNum': '5',
        'clusterState': 'running', 'createAt': created,
        'updateAt': created, 'billingType': 'Metered',
        'dataCenter': st.REGION, 'vpc': 'vpc-mrs-simulator', 'fee': '0',
        'hadoopVersion': '3.1.1',
        'masterNodeSize': 'c6.4xlarge.4.linux.bigdata',
        'coreNodeSize': 'c6.4xlarge.4.linux.bigdata',
        'componentList': [{'componentId': 'MRS 3.1.0_001',
                           'componentName': 'Hadoop',
                           'componentVersion': '3.1.1',
                           'componentDesc': 'A framework for distributed '
                                            'processing of large data sets.'},
                          {'componentId': 'MRS 3.1.0_002',
                           'componentName': 'Spark2x',
                           'componentVersion': '2.4.5',
                           'componentDesc': 'A fast engine for large-scale '
                                            'data processing.'}],
        'externalIp': '', 'externalAlternateIp': '',
        'internalIp': '192.0.2.10', 'deploymentId': '', 'remark': '',
        'orderId': '', 'azId': 'simulator-az-1', 'azName': 'simulator-az-1',
        'masterNodeProductId': '', 'masterNodeSpecId': '',
        'coreNodeProductId': '', 'coreNodeSpecId': '',
        'instanceId': cluster.id, 'vnc': '', 'tenantId': cluster.project_id,
        'volumeSize': 600, 'volumeType': 'SATA', 'subnetId': 'subnet-sim',
        'clusterType': '0', 'subnetName': 'subnet-mrs-simulator',
        'securityGroupsId': 'sg-master', 'slaveSecurityGroupsId': 'sg-core',
        'stageDesc': 'Running', 'mrsManagerFinish': True,
        'safeMode': '0',
        'clusterVersion': 'MRS 3.1.0' if cluster.v2 else 'MRS 1.8.10',
        'nodePublicCertName': 'mrs-simulator-key',
        'masterNodeIp': '192.0.2.10',
        'privateIpFirst': '192.0.2.10', 'errorInfo': '',
        'chargingStartTime': created, 'logCollection': 1,
        'taskNodeGroups': [], 'nodeGroups': [node_group],
        'masterDataVolumeType': 'SATA', 'masterDataVolumeSize': 600,
        'masterDataVolumeCount': 1, 'coreDataVolumeType': 'SATA',
        'coreDataVolumeSize': 600, 'coreDataVolumeCount': 1,
        'tags': [],
    }


def route(state, method, project_id, parts, query, body=None):
    """``parts`` follow ``/v1.1/{project_id}/``; None: no such route."""
    if parts == ['job-executions'] and method == 'GET':
        return list_job_executions(state, project_id, query)
    if parts == ['jobs', 'submit-job'] and method == 'POST':
        return submit_job(state, project_id, body)
    if parts == ['job-exes'] and method == 'GET':
        return list_job_exes(state, project_id, query)
    if parts == ['cluster_infos'] and method == 'GET':
        return cluster_infos(state, project_id, query)
    if parts[:1] == ['cluster_infos'] and len(parts) == 2 \
            and method == 'GET':
        return 200, {'cluster': render_cluster(
            state.cluster(parts[1], project_id), state.clock())}
    job = state.job(parts[1], project_id) if len(parts) >= 2 else None
    if job is None:
        raise st.no_such_job()
    if job.group == 'revoke':
        raise st.Revoke()
    action = (method, parts[0], tuple(parts[2:]))
    if action == ('GET', 'job-executions', ()):
        return 200, {'job_execution': render(job)}
    if action == ('GET', 'job-exes', ()):
        return 200, {'job_execution': render_exe(job)}
    if action == ('DELETE', 'job-executions', ()):
        if job.cluster.v2:
            raise v2_only()
        state.remove(job)
        st.took_effect(job)
        return 204, None
    if action == ('GET', 'job-executions', ('cancel',)):
        return cancel(state, job)
    return None


def v2_only():
    """What V1.1 answers a change to a job of a V2 cluster."""
    return st.MrsError(
        400, '12000085', 'This interface does not support the cluster '
        'of this version.Please use the /v2/{project_id}/clusters/'
        '{cluster_id}/job-executions job submit interface.')


def cancel(state, job):
    """200 with the execution as it was; it dies after the kill delay.

    12000085 on a V2 cluster, 0160 once the job has ended.
    """
    if job.cluster.v2:
        raise v2_only()
    before = render(job)
    if not job.request_kill(state.clock()):
        raise st.MrsError(500, '0160', 'Failed to kill the job.')
    st.took_effect(job)
    return 200, {'job_execution': before}
