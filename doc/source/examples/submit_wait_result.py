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

"""Submit an SQL job, wait for its end and print its rows, from Python.

Usage: python submit_wait_result.py <cluster name or id> "<SQL>"

Signs in from the usual OS_* variables: access keys (OS_ACCESS_KEY,
OS_SECRET_KEY; the project OS_PROJECT_ID, or the one IAM names as
OS_REGION_NAME), else a Keystone v3 password (OS_USERNAME, OS_PASSWORD,
OS_PROJECT_NAME). MrsClient finds MRS's endpoint as keystoneauth
adapters find theirs: MRS_ENDPOINT_OVERRIDE if set, else the catalog's
"mrs" service in OS_REGION_NAME (with access keys: the endpoint beside
IAM's). No OpenStackClient is involved.
"""

import os
import sys

from keystoneauth1 import loading
from keystoneauth1 import session

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.jobs import executions


def sign_in():
    """The auth plugin the environment describes."""
    env = os.environ
    if env.get('OS_ACCESS_KEY'):
        return loading.get_plugin_loader('mrs-aksk').load_from_options(
            auth_url=env['OS_AUTH_URL'], access_key=env['OS_ACCESS_KEY'],
            secret_key=env['OS_SECRET_KEY'],
            project_id=env.get('OS_PROJECT_ID'))
    return loading.get_plugin_loader('password').load_from_options(
        auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'],
        password=env['OS_PASSWORD'], project_name=env['OS_PROJECT_NAME'],
        user_domain_name=env.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=env.get('OS_PROJECT_DOMAIN_NAME', 'Default'))


def main(cluster, sql):
    mrs = client.MrsClient(
        session.Session(auth=sign_in()),
        region_name=os.environ.get('OS_REGION_NAME'),
        endpoint_override=os.environ.get('MRS_ENDPOINT_OVERRIDE'))
    try:
        jobs = mrs.job_executions(cluster)
        job_id = jobs.submit({'job_type': 'SparkSql', 'job_name': 'example',
                              'arguments': [sql]})
        print(f'{job_id}: submitted')
        [waited] = jobs.wait(
            [job_id], executions.Waiter(interval=1, timeout=600),
            on_change=lambda key, old, new: print(f'{key}: {new}'))
        if waited.error is not None:
            # It ended badly (how, and where its logs are), timed out, or
            # could not be read: one line.
            print(waited.error, file=sys.stderr)
            return 1
        for number, rows in sorted(jobs.sql_result(job_id).items()):
            for row in rows:
                print(f'{number}: {row}')
    except exceptions.MrsError as error:
        # One line; the service's code and request id are attributes.
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
