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

"""A real OpenStack Sahara API server, the V1.1 job-execution peer.

``sahara-all`` runs the API and the engine in one process, so a cancel
really runs. Tokens are validated against the real Keystone by
keystonemiddleware's ``auth_token`` (the shipped api-paste.ini's ``acl``
filter) with a service user of role admin.
"""

import json
import os
import subprocess

from mrsclient.tests.functional.servers import common

CONF = """\
[DEFAULT]
host = 127.0.0.1
port = {port}
plugins = fake
transport_url = fake:/
periodic_enable = false
api_workers = 0
job_canceling_timeout = 3
api_paste_config = {venv}/etc/sahara/api-paste.ini
log_file = {workdir}/sahara.log
[database]
connection = sqlite:///{workdir}/sahara.db
[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {auth_url}
auth_type = password
username = sahara
password = {password}
project_name = service
user_domain_id = default
project_domain_id = default
[trustee]
username = sahara
password = {password}
project_name = service
user_domain_id = default
project_domain_id = default
auth_url = {auth_url}
"""


class Sahara(common.VenvServer):

    name = 'sahara'
    # Newer oslo.db lacks EngineFacade; newer jsonschema breaks every
    # request with a body (../shared/notes/real-servers.md).
    packages = ['sahara==19.0.0', 'oslo.db==14.1.0', 'SQLAlchemy==1.4.49',
                'jsonschema==4.17.3']

    def __init__(self, venvs, workdir):
        super().__init__(venvs, workdir)
        # Its URL goes into Keystone's catalog and its own config before
        # it starts, so it cannot bind port 0 and report it.
        self.port = common.free_port()
        self.root = f'http://127.0.0.1:{self.port}'

    def start(self, auth_url, service_password, projects):
        """Configure, seed and start; returns the seeded execution ids."""
        self.write_conf(CONF, port=self.port, venv=self.venv,
                        auth_url=auth_url, password=service_password)
        seeded = subprocess.run(
            [self.python, os.path.join(os.path.dirname(__file__),
                                       'sahara_seed.py'),
             self.conf, json.dumps(projects)],
            check=True, capture_output=True, text=True)
        ids = json.loads(seeded.stdout.strip().splitlines()[-1])
        # Up when an unauthenticated request is refused by auth_token.
        self.launch([self.bin('sahara-all'), '--config-file', self.conf]
                    ).wait_until(
            f'{self.root}/v1.1/{projects["demo"]}/job-executions', {401})
        return ids
