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

"""Create Sahara's schema and seed it: run by the Sahara venv's python.

usage: python sahara_seed.py <sahara.conf> '<json {"demo": id, ...}>'

Prints, as JSON, the ids of what it made. ``sahara-db-manage upgrade``
fails on sqlite, so the schema comes from ``sahara.db.api.setup_db()``.
Everything goes through sahara's own conductor API, in a context of the
project it belongs to.
"""

import json
import sys

conf_file, projects = sys.argv[1], json.loads(sys.argv[2])
sys.argv = sys.argv[:1]  # sahara parses sys.argv too

from sahara import conductor  # noqa: E402
from sahara import config  # noqa: E402
from sahara import context  # noqa: E402
from sahara.db import api as db_api  # noqa: E402

config.parse_configs([conf_file])
db_api.setup_db()
api = conductor.API


def seed_project(project_id, executions):
    ctx = context.Context(tenant_id=project_id, user_id='seed')
    context.set_ctx(ctx)
    cluster = api.cluster_create(ctx, {
        'name': 'analytics', 'plugin_name': 'fake',
        'hadoop_version': '0.1', 'status': 'Active',
        'user_keypair_id': None, 'default_image_id': None})
    job = api.job_create(ctx, {'name': 'wordcount', 'type': 'MapReduce',
                               'mains': [], 'libs': []})
    made = {}
    for name, status, protected in executions:
        execution = api.job_execution_create(ctx, {
            'job_id': job.id, 'cluster_id': cluster.id,
            'info': {'status': status}, 'is_protected': protected,
            'job_configs': {'configs': {'mapreduce.job.maps': '2'},
                            'args': ['swift://in', 'swift://out'],
                            'params': {}},
            'engine_job_id': f'fake-{name}'})
        made[name] = execution.id
    return made


ids = seed_project(projects['demo'], [
    ('running', 'RUNNING', False),
    ('running_too', 'RUNNING', False),
    ('succeeded', 'SUCCEEDED', False),
    ('killed', 'KILLED', False),
    ('protected', 'RUNNING', True),
    # for --wait (the fake plugin never confirms a kill) and several ids
    ('never_dies', 'RUNNING', False),
    ('batch_a', 'RUNNING', False),
    ('batch_b', 'RUNNING', False),
])
other = seed_project(projects['other'], [
    ('running', 'RUNNING', False),
    # for delete, apart from what the demo project's tests list
    ('delete_a', 'SUCCEEDED', False),
    ('delete_b', 'KILLED', False),
])
ids['other_project'] = other['running']
ids['other_delete_a'] = other['delete_a']
ids['other_delete_b'] = other['delete_b']
print(json.dumps(ids))
