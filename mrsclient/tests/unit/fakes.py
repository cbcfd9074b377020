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
