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

"""A real Keystone (PyPI ``keystone``) on 127.0.0.1 for the functional tests.

sqlite, fernet tokens, an in-memory cache (else each token check costs
about 250 ms), cheap password hashing (logins of ~20 ms instead of ~250 ms),
served by waitress. See ../shared/notes/real-servers.md for the figures.
"""

import grp
import os
import pwd
import secrets
import subprocess

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from mrsclient.tests.functional.servers import common

REGION = 'RegionOne'

CONF = """\
[DEFAULT]
log_file = {workdir}/keystone.log
[database]
connection = sqlite:///{workdir}/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = {workdir}/fernet-keys
[credential]
key_repository = {workdir}/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory
[identity]
password_hash_rounds = 4
"""


class Keystone(common.VenvServer):

    name = 'keystone'
    packages = ['keystone==30.0.0', 'waitress==3.0.2']

    def __init__(self, venvs, workdir):
        super().__init__(venvs, workdir)
        self.url = None  # known once it listens
        self.admin_password = secrets.token_urlsafe(12)

    def _manage(self, *args):
        subprocess.run([self.bin('keystone-manage'), '--config-file',
                        self.conf, *args], check=True, capture_output=True)

    def start(self):
        self.write_conf(CONF)
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        owner = ['--keystone-user', user, '--keystone-group', group]
        self._manage('db_sync')
        self._manage('fernet_setup', *owner)
        self._manage('credential_setup', *owner)
        # It binds port 0 and writes the port it got; the catalog's
        # identity endpoint is bootstrapped once that is known.
        port_file = os.path.join(self.workdir, 'port')
        env = dict(os.environ, KEYSTONE_PORT_FILE=port_file,
                   OS_KEYSTONE_CONFIG_DIR=self.workdir)
        process = self.launch([self.python, os.path.join(
            os.path.dirname(__file__), 'keystone_wsgi.py')], env=env)
        port = int(process.wait_for_file(port_file))
        self.url = f'http://127.0.0.1:{port}/v3'
        process.wait_until(self.url, {200})
        self._manage('bootstrap',
                     # One word: a password may start with "-" (1 in 64
                     # of token_urlsafe's), which argparse would take
                     # for an option (exit 2, the rig ends early).
                     f'--bootstrap-password={self.admin_password}',
                     '--bootstrap-admin-url', self.url,
                     '--bootstrap-internal-url', self.url,
                     '--bootstrap-public-url', self.url,
                     '--bootstrap-region-id', REGION)

    def admin_session(self):
        auth = v3.Password(auth_url=self.url, username='admin',
                           password=self.admin_password,
                           project_name='admin',
                           user_domain_id='default',
                           project_domain_id='default')
        return ks_session.Session(auth=auth)

    def seed(self, mrs_endpoint):
        """Projects, users and the ``mrs`` service; returns what was made.

        ``demo`` and ``other`` are two operators' projects, each with its
        own user (role member); ``service`` holds the user Sahara checks
        tokens with (role admin, as keystonemiddleware needs).
        """
        s = self.admin_session()

        def post(path, key, body):
            return s.post(self.url + path, json={key: body}).json()[key]

        role_ids = {r['name']: r['id'] for r in
                    s.get(self.url + '/roles').json()['roles']}
        made = {'users': {}, 'projects': {}}
        for name, role in (('demo', 'member'), ('other', 'member'),
                           ('service', 'admin')):
            project = post('/projects', 'project',
                           {'name': name, 'domain_id': 'default'})
            user_name = 'sahara' if name == 'service' else name
            password = secrets.token_urlsafe(12)
            user = post('/users', 'user',
                        {'name': user_name, 'domain_id': 'default',
                         'password': password})
            s.put(f'{self.url}/projects/{project["id"]}/users/'
                  f'{user["id"]}/roles/{role_ids[role]}')
            made['projects'][name] = project['id']
            made['users'][user_name] = {'password': password,
                                        'project': name}
        service = post('/services', 'service',
                       {'type': 'mrs', 'name': 'mrs'})
        for interface in ('public', 'internal'):
            post('/endpoints', 'endpoint',
                 {'service_id': service['id'], 'interface': interface,
                  'region_id': REGION, 'url': mrs_endpoint})
        return made
