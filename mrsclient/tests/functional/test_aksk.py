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

"""AK/SK signing through the real ``openstack`` command (auth type
``mrs-aksk``) against a simulator of each test's own: no password, no
token, every request signed.
"""

import copy
import json
import os
import time

from mrsclient.tests.functional import base

WAIT = ('--wait', '--poll-interval', '0.5')


class AkSkCase(base.OwnSimulator):

    cloud = 'mrs-simulator-aksk'

    def start(self, *options):
        super().start(*options)
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            self.clouds = json.load(f)['clouds']
        self.v11 = self.sim['job_executions']
        self.v2 = self.sim['jobs']
        self.clusters = self.sim['clusters']

    def with_cloud(self, name, top=None, **auth):
        """A clouds.yaml of its own: cloud ``name`` changed by ``auth``.

        ``top`` changes the cloud's own keys (None drops one).
        """
        cloud = copy.deepcopy(self.clouds[name])
        for key, value in (top or {}).items():
            if value is None:
                cloud.pop(key, None)
            else:
                cloud[key] = value
        for key, value in auth.items():
            if value is None:
                cloud['auth'].pop(key, None)
            else:
                cloud['auth'][key] = value
        path = os.path.join(os.path.dirname(self.env['OS_CLIENT_CONFIG_FILE']),
                            f'{name}-changed.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'changed': cloud}}, f)
        return {'OS_CLIENT_CONFIG_FILE': path}

    def secrets(self):
        """Every secret of every AK/SK cloud written."""
        return {value for cloud in self.clouds.values()
                for key, value in cloud['auth'].items()
                if key in ('secret_key', 'security_token')}


class TestEveryCommandSigned(AkSkCase):

    def setUp(self):
        super().setUp()
        self.start()

    def assertSigned(self, result, stderr=''):
        self.assertEqual(0, result.code, result)
        if stderr is not None:
            self.assertEqual(stderr, result.err, result)

    def test_v11_and_v2_commands(self):
        v2 = ('--cluster', self.clusters['v2'])
        self.assertSigned(self.mrs('list', '-f', 'value', '-c', 'id'))
        self.assertSigned(self.mrs('list', *v2, '--state', 'ended'))
        self.assertSigned(self.mrs('show', self.v11['succeeded'][0]))
        self.assertSigned(self.mrs('show', *v2, self.v2['running'][0]))
        self.assertSigned(self.mrs('cancel', self.v11['running'][0], *WAIT),
                          stderr=None)
        self.assertSigned(self.mrs('cancel', *v2, self.v2['running'][0],
                                   *WAIT), stderr=None)
        created = self.mrs('create', *v2, '--type', 'SparkSql', '--name',
                           'report', *WAIT, '-f', 'value', '-c', 'id',
                           '--', 'select * from t')
        self.assertSigned(created, stderr=None)
        job = created.out.strip()
        self.assertSigned(self.mrs('wait', *v2, job))
        self.assertSigned(self.mrs('wait', self.v11['succeeded'][0]))
        self.assertSigned(self.mrs('result', 'list', *v2, job))
        self.assertSigned(self.mrs('delete', *v2, job))
        self.assertSigned(self.mrs('delete', self.v11['succeeded'][0]))
        old = self.mrs('create', '--cluster', self.clusters['v1'], '--type',
                       'MapReduce', '--name', 'wc', '--jar', '/wc.jar',
                       *WAIT)
        self.assertSigned(old, stderr=None)

    def test_with_project_id_a_cancel_is_one_request(self):
        before = self.stats()
        result = self.mrs('cancel', self.v11['running'][1], '-f', 'value',
                          '-c', 'id')
        self.assertSigned(result)
        self.assertEqual(1, self.stats()['admitted'] - before['admitted'])

    def test_the_project_found_by_region_and_from_the_environment(self):
        by_region = self.mrs('list', '-f', 'value', '-c', 'id',
                             cloud='mrs-simulator-aksk-region')
        self.assertSigned(by_region)
        self.assertIn(self.v11['succeeded'][0], by_region.out)
        cloud = self.clouds['mrs-simulator-aksk']
        # OS_* as for every auth type (and as otcextensions' OBS keys).
        env = {'OS_CLIENT_CONFIG_FILE': '/dev/null', 'OS_AUTH_TYPE':
               'mrs-aksk', 'OS_AUTH_URL': cloud['auth']['auth_url'],
               'OS_ACCESS_KEY': cloud['auth']['access_key'],
               'OS_SECRET_KEY': cloud['auth']['secret_key'],
               'OS_REGION_NAME': cloud['region_name'],
               'OS_MRS_ENDPOINT_OVERRIDE': cloud['mrs_endpoint_override']}
        from_env = self.openstack('--debug', 'mrs', 'job', 'execution',
                                  'list', '-f', 'value', '-c', 'id', env=env)
        self.assertEqual(0, from_env.code, from_env)
        self.assertIn(self.v11['succeeded'][0], from_env.out)
        self.assertNotIn(cloud['auth']['secret_key'],
                         from_env.out + from_env.err)

    def test_the_obs_keys_of_otcextensions(self):
        # otcextensions keeps them at the top of the cloud, ak and sk.
        keys = self.clouds['mrs-simulator-aksk']['auth']
        env = self.with_cloud('mrs-simulator-aksk', access_key=None,
                              secret_key=None)
        with open(env['OS_CLIENT_CONFIG_FILE']) as f:
            clouds = json.load(f)
        clouds['clouds']['changed'].update(ak=keys['access_key'],
                                           sk=keys['secret_key'])
        with open(env['OS_CLIENT_CONFIG_FILE'], 'w') as f:
            json.dump(clouds, f)
        listed = self.openstack('--os-cloud', 'changed', '--debug', 'mrs',
                                'job', 'execution', 'list', env=env)
        self.assertEqual(0, listed.code, listed)
        self.assertIn('cloud cfg:', listed.err)
        self.assertIn(self.v11['succeeded'][0], listed.out)
        self.assertNotIn(keys['secret_key'], listed.out + listed.err)

    def test_a_temporary_key_with_its_token(self):
        self.assertSigned(self.mrs('list', cloud='mrs-simulator-temporary'))
        without = self.with_cloud('mrs-simulator-temporary',
                                  security_token=None)
        self.assertOneLineError(
            self.mrs('list', cloud='changed', env=without), 'HTTP 401',
            'APIGW.0301', 'the security token is missing or wrong',
            'check access_key and secret_key')

    def test_no_secret_in_any_output_with_debug(self):
        secrets = self.secrets()
        self.assertGreaterEqual(len(secrets), 3)
        for cloud in ('mrs-simulator-aksk', 'mrs-simulator-aksk-region',
                      'mrs-simulator-temporary', 'mrs-simulator-agency'):
            result = self.openstack(
                '--os-cloud', cloud, '--debug', 'mrs', 'job', 'execution',
                'show', self.v11['succeeded'][0])
            self.assertEqual(0, result.code, result)
            self.assertIn('cloud cfg:', result.err)  # OSC's own dump
            for secret in secrets:
                self.assertNotIn(secret, result.out + result.err, cloud)
            self.assertNotIn('SDK-HMAC-SHA256 Access', result.err)

    def test_no_secret_of_an_aksk_cloud_in_another_command(self):
        # OSC dumps the cloud's configuration before any MRS code runs
        # but the plugin module: another service's command on an
        # mrs-aksk cloud (its requests are not MRS's: refused, unsigned).
        secrets = self.secrets()
        result = self.openstack('--os-cloud', 'mrs-simulator-aksk',
                                '--debug', 'server', 'list')
        self.assertNotEqual(0, result.code, result)
        self.assertIn('cloud cfg:', result.err)
        for secret in secrets:
            self.assertNotIn(secret, result.out + result.err)


class TestErrors(AkSkCase):
    """Each one line, exit 1, nothing half-done."""

    def setUp(self):
        super().setUp()
        self.start()

    def test_a_wrong_secret_key(self):
        wrong = self.with_cloud('mrs-simulator-aksk', secret_key='wrong')
        self.assertOneLineError(
            self.mrs('cancel', self.v11['running'][0], cloud='changed',
                     env=wrong),
            'HTTP 401 APIGW.0301', 'check access_key and secret_key')
        shown = self.mrs('show', self.v11['running'][0], '-f', 'value',
                         '-c', 'state')
        self.assertEqual('RUNNING\n', shown.out)

    def test_no_agency(self):
        none = self.with_cloud('mrs-simulator-agency',
                               metadata_url='http://127.0.0.1:9')
        self.assertOneLineError(
            self.mrs('list', cloud='changed', env=none),
            "Cannot read the ECS agency's temporary keys from the metadata "
            'service (http://127.0.0.1:9/openstack/latest/securitykey): no '
            'answer (ConnectFailure). Outside an ECS with an agency, set '
            'access_key and secret_key.')

    def test_a_missing_secret_key(self):
        missing = self.with_cloud('mrs-simulator-aksk', secret_key=None)
        before = self.stats()['admitted']
        self.assertOneLineError(
            self.mrs('list', cloud='changed', env=missing),
            'The access key has no secret key: set secret_key (or '
            'OS_SECRET_KEY) beside access_key.')
        self.assertEqual(before, self.stats()['admitted'])

    def test_errors_speak_of_access_keys(self):
        # Operators trip on words of another sign-in (a token's scope, a
        # service catalog): these say which AK/SK setting to add.
        for top, auth, fragments in (
                ({'region_name': None}, {'project_id': None},
                 ('access keys carry none', 'Set project_id (under auth) '
                  'or region_name in clouds.yaml')),
                ({'mrs_endpoint_override': None}, {},
                 ('access keys have no service catalog',
                  'Set region_name with an IAM auth_url, or '
                  'mrs_endpoint_override')),
                ({'mrs_endpoint_override': 'mrs.example.com'}, {},
                 ("The MRS endpoint 'mrs.example.com' has no scheme: write "
                  'https://mrs.example.com.',))):
            env = self.with_cloud('mrs-simulator-aksk', top=top, **auth)
            result = self.mrs('list', cloud='changed', env=env)
            self.assertOneLineError(result, *fragments)
            self.assertNotIn('--os-project-name', result.err)

    def test_an_endpoint_without_a_scheme_before_the_login(self):
        # A check that needs no server: before the login, whose own
        # failure (a wrong password here) would hide it.
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            cloud = json.load(f)['clouds']['mrs-simulator']
        cloud['mrs_endpoint_override'] = 'mrs.example.com'
        cloud['auth']['password'] = 'wrong'
        path = os.path.join(os.path.dirname(self.env['OS_CLIENT_CONFIG_FILE']),
                            'no-scheme.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'changed': cloud}}, f)
        result = self.mrs('list', cloud='changed',
                          env={'OS_CLIENT_CONFIG_FILE': path})
        self.assertOneLineError(
            result, "The MRS endpoint 'mrs.example.com' has no scheme")


class TestTime(AkSkCase):

    def test_a_clock_too_far_from_the_gateways(self):
        self.start('--clock-skew', '1200')
        self.assertOneLineError(
            self.mrs('list'), 'HTTP 401 APIGW.0301',
            "This machine's clock read", "UTC and the gateway's",
            'it refuses a request signed more than 15 minutes from its own '
            'time. Set the clock (NTP).')

    def test_an_expired_temporary_key(self):
        self.start('--key-life', '1')
        time.sleep(1.5)
        self.assertOneLineError(
            self.mrs('list', cloud='mrs-simulator-temporary'), 'HTTP 401',
            'check the temporary key and its security_token (it may have '
            'expired)')

    def test_an_agencys_keys_renewed_during_a_wait(self):
        # Keys that live 2 s, a job that runs 6: renewed before each
        # expires, none used expired.
        self.start('--key-life', '2')
        before = self.stats()['temporary_keys']
        created = self.mrs(
            'create', '--cluster', self.clusters['v2'], '--type',
            'SparkSql', '--name', 'long', '--property',
            'mrs.simulator.duration=6', *WAIT, '-f', 'value', '-c',
            'state', '--', 'select 1', cloud='mrs-simulator-agency')
        self.assertEqual(0, created.code, created)
        self.assertEqual('FINISHED\n', created.out)
        self.assertGreater(self.stats()['temporary_keys'] - before, 3)
