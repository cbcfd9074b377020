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

"""Cancel every running job of a cluster, from Python, with mrsclient.api.

Usage: python cancel_running_jobs.py <cluster-id>

The credentials come from the usual OS_* variables (a password of a
Keystone v3 user), the MRS endpoint from MRS_ENDPOINT. No OpenStackClient
is involved: a keystoneauth session and mrsclient.api.
"""

import os
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

from mrsclient.api import client
from mrsclient.api import exceptions


def main(cluster_id):
    auth = v3.Password(
        auth_url=os.environ['OS_AUTH_URL'],
        username=os.environ['OS_USERNAME'],
        password=os.environ['OS_PASSWORD'],
        project_name=os.environ['OS_PROJECT_NAME'],
        user_domain_name=os.environ.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=os.environ.get('OS_PROJECT_DOMAIN_NAME',
                                           'Default'))
    mrs = client.MrsClient(session.Session(auth=auth),
                           endpoint=os.environ['MRS_ENDPOINT'])
    jobs = mrs.job_executions(cluster_id)  # the cluster's V2 API
    failed = 0
    for job in jobs.list(job_state='RUNNING'):
        try:
            jobs.cancel(job['job_id'])
            print(f'{job["job_id"]} ({job["job_name"]}): kill sent')
        except exceptions.AlreadyEnded as ended:
            print(f'{job["job_id"]}: {ended}')
        except exceptions.MrsError as error:
            # One line; the service's code and request id are attributes.
            print(f'{job["job_id"]}: {error}', file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
