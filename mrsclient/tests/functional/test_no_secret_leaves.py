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

"""No secret leaves: a leak hunt through the real ``openstack`` command.

Secrets are planted in every place a cloud takes them (clouds.yaml,
``OS_*``, ``--os-*``, python-otcextensions' OBS keys at a cloud's top
level), in a job's arguments, in an endpoint's URL; every output of every
format, ``-v``, ``--debug`` and every error is searched for each.
"""

import json
import os
import subprocess
import sys
import urllib.request

import fixtures

from mrsclient.tests.functional import base
from mrsclient.tests.functional.servers import hostile
from mrsclient.tests.unit import fakes

FORMATS = ('table', 'json', 'yaml', 'value', 'shell')
# Planted where a cloud keeps the OBS keys of python-otcextensions.
OBS_SECRET = 'obs-top-level-secret-0xfeed'


class LeakHunt(base.OwnSimulator):

    def setUp(self):
        super().setUp()
        self.start()
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            self.clouds = json.load(f)['clouds']
        self.v11 = self.sim['job_executions']
        self.cluster = self.sim['clusters']['v2']

    def planted(self):
        """Every secret of every AK/SK cloud, and the OBS one."""
        found = {OBS_SECRET}
        for cloud in self.clouds.values():
            for key in ('secret_key', 'security_token', 'password'):
                value = cloud['auth'].get(key)
                # The simulator's password is a word ("secret"): its own
                # masking is OSC's, and tested there.
                if value and len(value) > 8:
                    found.add(value)
        return found

    def assertNoSecret(self, result, where):
        shown = result.out + result.err
        for secret in self.planted():
            self.assertNotIn(secret, shown, where)
        if '--debug' not in where:
            self.assertNotIn('Traceback', result.err, where)

    def write(self, name, clouds):
        path = os.path.join(os.path.dirname(self.env['OS_CLIENT_CONFIG_FILE']),
                            name)
        with open(path, 'w') as f:
            json.dump({'clouds': clouds}, f)
        return path


class TestConfigurationShow(LeakHunt):

    def test_every_source_every_format(self):
        aksk = self.clouds['mrs-simulator-aksk']
        temporary = self.clouds['mrs-simulator-temporary']
        with_obs = dict(aksk, sk=OBS_SECRET, secret_key=OBS_SECRET)
        path = self.write('obs.yaml', {'obs': with_obs,
                                       'temporary': temporary})
        env_cloud = {
            'OS_CLIENT_CONFIG_FILE': '/dev/null', 'OS_AUTH_TYPE': 'mrs-aksk',
            'OS_AUTH_URL': aksk['auth']['auth_url'],
            'OS_ACCESS_KEY': temporary['auth']['access_key'],
            'OS_SECRET_KEY': temporary['auth']['secret_key'],
            'OS_SECURITY_TOKEN': temporary['auth']['security_token'],
            'OS_REGION_NAME': aksk['region_name']}
        options = ('--os-auth-type', 'mrs-aksk', '--os-auth-url',
                   aksk['auth']['auth_url'], '--os-access-key',
                   temporary['auth']['access_key'], '--os-secret-key',
                   temporary['auth']['secret_key'], '--os-security-token',
                   temporary['auth']['security_token'])
        sources = {
            'clouds.yaml, OBS keys': (('--os-cloud', 'obs'),
                                      {'OS_CLIENT_CONFIG_FILE': path}),
            'clouds.yaml, temporary': (('--os-cloud', 'temporary'),
                                       {'OS_CLIENT_CONFIG_FILE': path}),
            'OS_*': ((), env_cloud),
            '--os-*': (options, {'OS_CLIENT_CONFIG_FILE': '/dev/null'}),
        }
        for source, (argv, env) in sources.items():
            for form in FORMATS:
                result = self.openstack(*argv, 'configuration', 'show',
                                        '-f', form, env=env)
                self.assertEqual(0, result.code, (source, form, result))
                self.assertNoSecret(result, f'{source} -f {form}')
                self.assertIn('redacted', result.out, (source, form))
        # --unmask shows them, as it shows a password.
        result = self.openstack('--os-cloud', 'obs', 'configuration', 'show',
                                '--unmask', '-f', 'json',
                                env={'OS_CLIENT_CONFIG_FILE': path})
        shown = result.json()
        self.assertEqual(aksk['auth']['secret_key'], shown['auth.secret_key'])
        self.assertEqual(OBS_SECRET, shown['sk'])


class TestCommandsAndLogs(LeakHunt):

    def test_every_cloud_verbose_debug_and_errors(self):
        for cloud in ('mrs-simulator-aksk', 'mrs-simulator-temporary',
                      'mrs-simulator-agency', 'mrs-simulator'):
            for argv in (('--debug', 'list'),
                         ('-v', 'show', self.v11['succeeded'][0]),
                         ('--debug', 'show', 'no-such-job'),
                         ('--debug', 'list', '--cluster', 'no-such-cluster')):
                flags = argv[:1]
                result = self.openstack(
                    '--os-cloud', cloud, *flags, 'mrs', 'job', 'execution',
                    *argv[1:])
                self.assertNoSecret(result, f'{cloud} {argv}')

    def test_a_programs_secrets_in_every_shape(self):
        given = ['-Dpassword=S1xx', '-Dsecret=S2xx', '-Dtoken=S3xx',
                 '--conf', 'spark.executor.extraJavaOptions=-Dpassword=S5xx',
                 '--db-password', 'S6xx', '--user-passwd=S7xx']
        created = self.openstack(
            '--os-cloud', 'mrs-simulator', '--debug', 'mrs', 'job',
            'execution', 'create', '--cluster', self.cluster, '--type',
            'SparkSubmit', '--name', 'shapes', '-f', 'json', '--', *given)
        self.assertEqual(0, created.code, created)
        job = created.json()['id']
        shown = [created,
                 self.mrs('show', '--cluster', self.cluster, job,
                          cloud='mrs-simulator'),
                 self.mrs('list', '--cluster', self.cluster, '--long',
                          '-f', 'json', cloud='mrs-simulator')]
        for result in shown:
            for number in (1, 2, 3, 5, 6, 7):
                self.assertNotIn(f'S{number}xx', result.out + result.err,
                                 result)
        # MRS got every value as typed.
        url = self.sim['endpoint'] + f'/_simulator/jobs/{job}'
        with urllib.request.urlopen(url) as answer:
            self.assertEqual(given, json.load(answer)['arguments'])

    def test_a_security_token_with_a_line_break(self):
        temporary = self.clouds['mrs-simulator-temporary']
        token = temporary['auth']['security_token']
        cloud = json.loads(json.dumps(temporary))
        cloud['auth']['security_token'] = token + '\n'
        path = self.write('newline.yaml', {'newline': cloud})
        for flags in ((), ('--debug',)):
            result = self.openstack('--os-cloud', 'newline', *flags, 'mrs',
                                    'job', 'execution', 'list',
                                    env={'OS_CLIENT_CONFIG_FILE': path})
            self.assertEqual(1, result.code, result)
            self.assertIn('security_token holds a space, a line break',
                          result.err)
            self.assertNotIn(token, result.out + result.err)


class TestOtherHosts(base.CLITestCase):
    """What a server sends back, and where it points."""

    def serve(self, behave):
        server = hostile.Hostile(behave).start()
        self.addCleanup(server.close)
        return server

    def aksk_cloud(self, server, token='TEMP-TOKEN-never-shown'):
        return base.aksk_cloud(self, server.url,
                               secret_key='SK-HOSTILE-never-shown',
                               security_token=token)

    def test_a_redirect_to_another_host_is_not_followed(self):
        elsewhere = self.serve(lambda request: request.answer(200, {}))
        gateway = self.serve(lambda request: request.answer(307, '', {
            'Location': elsewhere.url + request.path}))
        env = self.aksk_cloud(gateway)
        for argv in (('show', 'x'), ('list',),
                     ('create', '--cluster', fakes.CLUSTER_ID, '--type',
                      'SparkSubmit', '--name', 'x', '--property',
                      'fs.obs.secret.key=OBS-never-sent-elsewhere', '--',
                      'obs://b/x.jar')):
            result = self.mrs(*argv, cloud='hostile', env=env)
            self.assertOneLineError(result, 'a redirect to',
                                    'which is not followed')
        # With a token (a password cloud's), the same.
        token_env = {'OS_AUTH_TYPE': 'admin_token', 'OS_TOKEN': fakes.TOKEN,
                     'OS_ENDPOINT': f'{gateway.url}/v1.1/{fakes.PROJECT_ID}'}
        result = self.openstack('mrs', 'job', 'execution', 'show', 'x',
                                env=token_env)
        self.assertOneLineError(result, 'which is not followed')
        self.assertEqual(0, sum(elsewhere.seen.values()))

    def test_an_error_that_quotes_the_security_token(self):
        def echo(request):
            request.answer(401, {
                'error_code': 'APIGW.0301',
                'error_msg': f'bad token {request.headers["X-Security-Token"]}'
                             f' for {request.headers["Authorization"]}'})
            return True

        env = self.aksk_cloud(self.serve(echo))
        for flags in ((), ('--debug',)):
            result = self.openstack('--os-cloud', 'hostile', *flags, 'mrs',
                                    'job', 'execution', 'show', 'x', env=env)
            self.assertEqual(1, result.code, result)
            self.assertIn('APIGW.0301', result.err)
            self.assertNotIn('TEMP-TOKEN-never-shown', result.out + result.err)
            self.assertNotIn('SK-HOSTILE-never-shown',
                             result.out + result.err)
            signature = result.err.split('Signature=')
            # Where one is shown (the --debug request log), masked.
            self.assertTrue(all(part.startswith('***')
                                for part in signature[1:]), result.err)

    def test_a_url_password_when_the_host_is_down(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'down': {
                'region_name': 'eu-de', 'auth_type': 'mrs-aksk',
                'mrs_endpoint_override': 'http://bob:URL-PASS-never@'
                                         '127.0.0.1:9',
                'auth': {'auth_url': 'http://127.0.0.1:9/v3',
                         'access_key': 'AK', 'secret_key': 'SK-down-never',
                         'project_id': fakes.PROJECT_ID}}}}, f)
        for flags in ((), ('--debug',)):
            result = self.openstack('--os-cloud', 'down', *flags, 'mrs',
                                    'job', 'execution', 'show', 'x',
                                    env={'OS_CLIENT_CONFIG_FILE': path})
            self.assertEqual(1, result.code, result)
            self.assertIn('bob:***@', result.err)
            self.assertNotIn('URL-PASS-never', result.out + result.err)
            self.assertNotIn('SK-down-never', result.out + result.err)


class TestTheSimulatorKeepsYourFiles(base.CLITestCase):

    def test_an_existing_clouds_yaml_is_refused_and_kept(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        mine = 'clouds:\n  otc:\n    auth: {password: mine-never-lost}\n'
        with open(path, 'w') as f:
            f.write(mine)
        script = os.path.join(os.path.dirname(sys.executable),
                              'mrs-simulator')
        done = subprocess.run([script, '--clouds-yaml', path],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(2, done.returncode, done)
        self.assertEqual(1, len(done.stderr.splitlines()), done.stderr)
        self.assertIn('was not written by mrs-simulator', done.stderr)
        with open(path) as f:
            self.assertEqual(mine, f.read())
