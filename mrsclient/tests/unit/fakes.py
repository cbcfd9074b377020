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

"""Shared test data: the api-ref examples and a session to send them."""

import copy

from keystoneauth1 import plugin
from keystoneauth1 import session

PROJECT_ID = '37caa80116e1403ab603e5eeb48a2f74'
JOB_EXECUTION_ID = '2de74673-1a78-48af-a95b-e1fec4a4ae9c'
TOKEN = 'gAAAAAB-secret-token-never-shown'

# The example answer of "Canceling Job Execution" in the api-ref.
CANCEL_EXAMPLE = {
    "job_execution": {
        "created_at": "2017-05-25T07:28:12",
        "updated_at": "2017-05-25T07:28:13",
        "id": JOB_EXECUTION_ID,
        "tenant_id": PROJECT_ID,
        "job_id": "",
        "start_time": "2017-05-25T07:28:12",
        "end_time": None,
        "cluster_id": "ef7b54f2-3d92-49b2-a6d7-94607e1ea7df",
        "oozie_job_id": None,
        "return_code": None,
        "input_id": None,
        "output_id": None,
        "is_protected": False,
        "is_public": None,
        "engine_job_id": None,
        "job_configs": None,
        "data_source_urls": None,
        "info": None,
    }
}


def cancel_example(**changes):
    """The api-ref cancel answer, with some fields changed."""
    body = copy.deepcopy(CANCEL_EXAMPLE)
    body['job_execution'].update(changes)
    return body


class FakeAuth(plugin.BaseAuthPlugin):
    """A token that is scoped to ``project_id`` (None: unscoped)."""

    def __init__(self, project_id=PROJECT_ID):
        super().__init__()
        self.project_id = project_id

    def get_headers(self, session, **kwargs):
        return {'X-Auth-Token': TOKEN}

    def get_project_id(self, session, **kwargs):
        return self.project_id


def make_session(project_id=PROJECT_ID):
    return session.Session(auth=FakeAuth(project_id))


CLUSTER_ID = 'ef7b54f2-3d92-49b2-a6d7-94607e1ea7df'
JOB_ID = '431b135e-c090-489f-b1db-0abe3822b855'

# The example answer of "Querying Information About a Job" (V2).
V2_SHOW_EXAMPLE = {
    "job_detail": {
        "job_id": JOB_ID,
        "user": "xxxx",
        "job_name": "pyspark1",
        "job_result": "SUCCEEDED",
        "job_state": "FINISHED",
        "job_progress": 100,
        "job_type": "SparkSubmit",
        "started_time": 1564626578817,
        "submitted_time": 1564626561541,
        "finished_time": 1564626664930,
        "elapsed_time": 86113,
        "queue": "default",
        "arguments": "[--class, org.apache.spark.examples.SparkPi, "
                     "--driver-memory, 512MB, --num-executors, 1, "
                     "--executor-cores, 1, --master, yarn-cluster, "
                     "obs://obs-test/jobs/spark/spark-examples_2.11-2.1.0"
                     ".jar, 10000]",
        "launcher_id": "application_1564622673393_0006",
        "app_id": "application_1564622673393_0007",
        "properties": "{}"
    }
}

# The example answer of "Querying a List of Jobs" (V2).
V2_LIST_EXAMPLE = {
    "total_record": 2,
    "job_list": [{
        "job_id": "981374c1-85da-44ee-be32-edfb4fba776c",
        "user": "xxxx",
        "job_name": "SparkSubmitTest",
        "job_result": "UNDEFINED",
        "job_state": "ACCEPTED",
        "job_progress": 0,
        "job_type": "SparkSubmit",
        "started_time": 0,
        "submitted_time": 1564714763119,
        "finished_time": 0,
        "elapsed_time": 0,
        "queue": "default",
        "arguments": "[--class, --driver-memory, --executor-cores, "
                     "--master, yarn-cluster, obs://obs-test/hadoop-"
                     "mapreduce-examples-3.1.1.jar, dddd]",
        "launcher_id": "application_1564622673393_0613",
        "properties": "{}"
    }, {
        "job_id": "c54c8aa0-c277-4f83-8acc-521d85cfa32b",
        "user": "xxxx",
        "job_name": "SparkSubmitTest2",
        "job_result": "UNDEFINED",
        "job_state": "ACCEPTED",
        "job_progress": 0,
        "job_type": "SparkSubmit",
        "started_time": 0,
        "submitted_time": 1564714020099,
        "finished_time": 0,
        "elapsed_time": 0,
        "queue": "default",
        "arguments": "[--conf, yujjsjhe, --driver-memory, yueujdjjd, "
                     "--master, yarn-cluster, obs://obs-test/hadoop-"
                     "mapreduce-examples-3.1.1.jar]",
        "launcher_id": "application_1564622673393_0611",
        "properties": "{}"
    }]
}


def v11_page(ids, next_marker=None, **changes):
    """A V1.1 list answer of executions with these ids."""
    executions = []
    for job_execution_id in ids:
        execution = copy.deepcopy(CANCEL_EXAMPLE['job_execution'])
        execution.update(id=job_execution_id, **changes)
        executions.append(execution)
    return {'markers': {'prev': None, 'next': next_marker},
            'job_executions': executions}


def v2_job(job_id, **changes):
    job = dict(V2_SHOW_EXAMPLE['job_detail'], job_id=job_id)
    job.update(changes)
    return job
