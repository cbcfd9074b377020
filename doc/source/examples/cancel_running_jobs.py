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

Usage: python cancel_running_jobs.py <cluster name or id>

The credentials come from the usual OS_* variables (a password of a
Keystone v3 user). MrsClient finds MRS's endpoint as keystoneauth
adapters find theirs: MRS_ENDPOINT_OVERRIDE if set, else the catalog's
"mrs" service in OS_REGION_NAME. No OpenStackClient is involved. The
same lines work on a cluster whose jobs V1.1 manages: the library
hides which API a job lives on.
"""

import os
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

from mrsclient.api import client
from mrsclient.api import exceptions


def main(cluster):
    auth = v3.Password(
        auth_url=os.environ['OS_AUTH_URL'],
        username=os.environ['OS_USERNAME'],
        password=os.environ['OS_PASSWORD'],
        project_name=os.environ['OS_PROJECT_NAME'],
        user_domain_name=os.environ.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=os.environ.get('OS_PROJECT_DOMAIN_NAME',
                                           'Default'))
    mrs = client.MrsClient(
        session.Session(auth=auth),
        region_name=os.environ.get('OS_REGION_NAME'),
        endpoint_override=os.environ.get('MRS_ENDPOINT_OVERRIDE'))
    try:
        jobs = mrs.job_executions(cluster)
        running = [job.id for job in jobs.list(state='running')]
        # Ten kills at once; a job that ended meanwhile is no failure.
        cancelled = jobs.cancel(
            running, parallel=10,
            tell=lambda key, line: print(f'{key}: {line}'))
    except exceptions.MrsError as error:
        # One line; the service's code and request id are attributes.
        print(error, file=sys.stderr)
        return 1
    failed = 0
    for outcome in cancelled:
        if outcome.error is None:
            print(f'{outcome.key} ({outcome.job.name}): kill sent')
        else:
            print(f'{outcome.key}: {outcome.error}', file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
