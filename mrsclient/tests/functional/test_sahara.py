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

"""``openstack mrs job execution cancel`` against real Keystone and Sahara.

Logins are real password logins to Keystone; Sahara validates every token
against Keystone (keystonemiddleware auth_token) and really cancels.
"""

import json
import os
import time

import fixtures
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

from mrsclient.tests.functional import base


class SaharaTestCase(base.CLITestCase):
    """The rig's Keystone and Sahara, as the demo project's operator."""

    cloud = 'sahara-demo'

    def setUp(self):
        super().setUp()
        self.servers = base.servers()
        self.env = {'OS_CLIENT_CONFIG_FILE': self.servers['clouds_yaml']}
        self.ids = self.servers['sahara']['job_executions']
        self.projects = self.servers['keystone']['projects']

    def session(self, user='demo'):
        auth = v3.Password(
            auth_url=self.servers['keystone']['url'], username=user,
            password=self.servers['passwords'][user], project_name=user,
            user_domain_id='default', project_domain_id='default')
        return ks_session.Session(auth=auth)


class TestCancelOnSahara(SaharaTestCase):

    def cancel(self, job_execution, *extra, cloud='sahara-demo'):
        return self.openstack('--os-cloud', cloud, 'mrs', 'job',
                              'execution', 'cancel', job_execution, *extra)

    def status_on_server(self, user, job_execution):
        url = (f'{self.servers["sahara"]["root"]}/v1.1/'
               f'{self.projects[user]}/job-executions/{job_execution}')
        body = self.session(user).get(url).json()
        return body['job_execution']['info']['status']

    def test_cancel_running_execution(self):
        result = self.cancel(self.ids['running'], '-f', 'json')
        self.assertSucceeded(result)
        shown = result.json()
        self.assertEqual(self.ids['running'], shown['id'])
        self.assertEqual(self.projects['demo'], shown['tenant_id'])
        # Sahara answers with the execution as it was before the cancel.
        self.assertEqual({'status': 'RUNNING'}, shown['info'])
        self.assertIsInstance(shown['job_configs'], dict)
        # ...and records the cancel.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status = self.status_on_server('demo', self.ids['running'])
            if status in ('TOBEKILLED', 'KILLED'):
                break
            time.sleep(0.5)
        self.assertIn(status, ('TOBEKILLED', 'KILLED'))

    def test_cancel_finished_execution_changes_nothing(self):
        result = self.cancel(self.ids['succeeded'], '-f', 'json')
        self.assertSucceeded(result)
        self.assertEqual({'status': 'SUCCEEDED'}, result.json()['info'])
        self.assertEqual('SUCCEEDED', self.status_on_server(
            'demo', self.ids['succeeded']))

    def test_protected_execution(self):
        result = self.cancel(self.ids['protected'])
        self.assertOneLineError(
            result, 'Failed to cancel job execution '
                    f'{self.ids["protected"]}: HTTP 400 CANCELING_FAILED: ',
            'marked as protected', '(Request-ID: req-')
        self.assertEqual('RUNNING', self.status_on_server(
            'demo', self.ids['protected']))

    def test_unknown_id(self):
        self.assertOneLineError(
            self.cancel('5e7a2fbd-0000-4000-8000-000000000000'),
            'HTTP 404 NOT_FOUND: ', 'not found')

    def test_another_projects_execution_is_not_found(self):
        other = self.ids['other_project']
        self.assertOneLineError(self.cancel(other), 'HTTP 404 NOT_FOUND: ')
        self.assertEqual('RUNNING', self.status_on_server('other', other))

    def test_token_of_one_project_cannot_use_anothers_url(self):
        # What keeps projects apart is Keystone's token check in Sahara.
        url = (f'{self.servers["sahara"]["root"]}/v1.1/'
               f'{self.projects["other"]}/job-executions/'
               f'{self.ids["other_project"]}/cancel')
        response = self.session('demo').get(url, raise_exc=False)
        self.assertEqual(401, response.status_code)
        self.assertEqual('RUNNING', self.status_on_server(
            'other', self.ids['other_project']))

    def test_debug_shows_neither_token_nor_password(self):
        # The token comes by environment: OSC's own "START with options"
        # debug line echoes the command line as typed.
        token = self.session('demo').get_token()
        result = self.openstack(
            '--debug', 'mrs', 'job', 'execution', 'cancel',
            self.ids['killed'],
            env={'OS_AUTH_TYPE': 'v3token', 'OS_TOKEN': token,
                 'OS_AUTH_URL': self.servers['keystone']['url'],
                 'OS_PROJECT_ID': self.projects['demo']})
        self.assertEqual(0, result.code, result)
        self.assertIn('REQ: curl', result.err)
        self.assertNotIn(token, result.out + result.err)

        result = self.openstack('--debug', '--os-cloud', 'sahara-demo',
                                'mrs', 'job', 'execution', 'cancel', 'nope')
        self.assertEqual(1, result.code, result)
        self.assertIn('HTTP 404 NOT_FOUND', result.err)
        self.assertIn('X-Auth-Token: {SHA256}', result.err)
        self.assertNotIn(self.servers['passwords']['demo'],
                         result.out + result.err)

    def test_endpoint_override_with_a_bare_host(self):
        with open(self.servers['clouds_yaml']) as f:
            clouds = json.load(f)
        cloud = clouds['clouds']['sahara-demo']
        cloud['mrs_endpoint_override'] = self.servers['sahara']['root']
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'override': cloud}}, f)
        result = self.openstack(
            '--os-cloud', 'override', 'mrs', 'job', 'execution', 'cancel',
            self.ids['running_too'], '-c', 'id', '-f', 'value',
            env={'OS_CLIENT_CONFIG_FILE': path})
        self.assertSucceeded(result)
        self.assertEqual(self.ids['running_too'], result.out.strip())

    def test_endpoint_override_from_the_environment(self):
        # OS_* variables, no clouds.yaml: the override's %(project_id)s is
        # filled in from the token. "localhost" tells it from the catalog.
        port = self.servers['sahara']['root'].rsplit(':', 1)[1]
        result = self.openstack(
            '--debug', 'mrs', 'job', 'execution', 'cancel', 'nope',
            env={'OS_CLIENT_CONFIG_FILE': os.devnull,
                 'OS_AUTH_URL': self.servers['keystone']['url'],
                 'OS_USERNAME': 'demo',
                 'OS_PASSWORD': self.servers['passwords']['demo'],
                 'OS_PROJECT_NAME': 'demo',
                 'OS_USER_DOMAIN_ID': 'default',
                 'OS_PROJECT_DOMAIN_ID': 'default',
                 'OS_MRS_ENDPOINT_OVERRIDE':
                     f'http://localhost:{port}/v1.1/%(project_id)s'})
        self.assertEqual(1, result.code, result)
        self.assertIn(
            f'GET http://localhost:{port}/v1.1/{self.projects["demo"]}/'
            'job-executions/nope/cancel', result.err)
        self.assertIn('HTTP 404 NOT_FOUND', result.err)


class TestFindAndFollowOnSahara(SaharaTestCase):
    """list, show and cancel over several ids, and --wait, on Sahara.

    Sahara's fake plugin never confirms a kill: a cancelled execution
    stays TOBEKILLED, a job that never dies for ``--wait --timeout``.
    """

    def test_list_shows_this_projects_executions_only(self):
        result = self.mrs('list', '-f', 'json')
        self.assertSucceeded(result)
        listed = {row['id']: row['state'] for row in result.json()}
        self.assertEqual('FINISHED', listed[self.ids['succeeded']])
        self.assertEqual('KILLED', listed[self.ids['killed']])
        self.assertNotIn(self.ids['other_project'], listed)
        mine = {key: value for key, value in self.ids.items()
                if not key.startswith('other')}
        self.assertEqual(set(mine.values()), set(listed))

    def test_limit_one_and_a_marker(self):
        everything = self.mrs('list', '--sort', 'id', '-f', 'value',
                              '-c', 'id').out.split()
        self.assertEqual(sorted(everything), everything)
        self.assertEqual(everything[::-1], self.mrs(
            'list', '--sort', 'id:desc', '-f', 'value', '-c',
            'id').out.split())
        result = self.mrs('list', '--limit', '1', '--sort', 'id',
                          '-f', 'value', '-c', 'id')
        self.assertSucceeded(result)
        self.assertEqual(everything[:1], result.out.split())
        # Sahara starts the page *at* the marker (MRS documents "after
        # it"); the plugin sends the marker as given.
        result = self.mrs('list', '--limit', '2', '--sort', 'id',
                          '--marker', everything[2], '-f', 'value', '-c',
                          'id')
        self.assertSucceeded(result)
        self.assertEqual(everything[2:4], result.out.split())

    def test_long_list_and_show(self):
        result = self.mrs('list', '--long', '-f', 'json')
        self.assertSucceeded(result)
        # The 8 columns of every job, and V1.1's 13 others
        self.assertEqual(21, len(result.json()[0]))
        result = self.mrs('show', self.ids['succeeded'], '-f', 'json')
        self.assertSucceeded(result)
        self.assertEqual({'status': 'SUCCEEDED'}, result.json()['info'])
        self.assertEqual({}, result.json()['job_configs']['params'])
        table = self.mrs('show', self.ids['succeeded'])
        self.assertIn('"params": {}}', table.out)

    def test_show_another_projects_execution(self):
        self.assertOneLineError(
            self.mrs('show', self.ids['other_project']),
            f'Failed to show job execution {self.ids["other_project"]}: '
            'HTTP 404 NOT_FOUND')

    def test_several_ids_one_unknown(self):
        a, b = self.ids['batch_a'], self.ids['batch_b']
        unknown = '5e7a2fbd-0000-4000-8000-000000000000'
        result = self.mrs('cancel', a, unknown, b, '-f', 'json')
        self.assertEqual(1, result.code, result)
        self.assertEqual([a, b], [d['id'] for d in result.documents()])
        errors = result.err.splitlines()
        self.assertEqual(2, len(errors), result.err)
        self.assertTrue(errors[0].startswith(
            f'Failed to cancel job execution {unknown}: HTTP 404 '
            'NOT_FOUND: '), errors[0])
        self.assertEqual('1 of 3 job executions failed to cancel.',
                         errors[1])
        for job_execution in (a, b):
            result = self.mrs('show', job_execution, '-c', 'info', '-f',
                              'json')
            self.assertIn(result.json()['info']['status'],
                          ('TOBEKILLED', 'KILLED'))

    def test_wait_on_a_finished_execution_ends_at_once(self):
        result = self.mrs('cancel', self.ids['killed'], '--wait', '-f',
                          'json')
        self.assertSucceeded(result)
        self.assertEqual({'status': 'KILLED'}, result.json()['info'])

    def test_wait_timeout_when_the_kill_is_never_confirmed(self):
        job = self.ids['never_dies']
        result, elapsed = self.net_time(lambda: self.mrs(
            'cancel', job, '--wait', '--timeout', '3', '--poll-interval',
            '1'))
        self.assertEqual(124, result.code, result)
        self.assertIn(f'| id               | {job} ', result.out)
        self.assertIn('| state            | TOBEKILLED ', result.out)
        self.assertEqual(
            [f'{job}: RUNNING -> TOBEKILLED',
             f'Timed out after 3 s waiting for job execution {job} to end; '
             'its last state was TOBEKILLED.'],
            result.err.splitlines())
        # 3 s plus one interval (and a read), net of openstack's start.
        self.assertLess(elapsed, 3 + 1 + 2, result)


class TestDeleteOnSahara(SaharaTestCase):

    cloud = 'sahara-other'

    def test_several_ids_one_unknown(self):
        a, b = self.ids['other_delete_a'], self.ids['other_delete_b']
        unknown = '5e7a2fbd-0000-4000-8000-000000000000'
        result = self.mrs('delete', a, unknown, b)
        self.assertEqual(1, result.code, result)
        self.assertEqual('', result.out)
        errors = result.err.splitlines()
        self.assertEqual(2, len(errors), result.err)
        self.assertTrue(errors[0].startswith(
            f'Failed to delete job execution {unknown}: HTTP 404 '
            'NOT_FOUND: '), errors[0])
        self.assertEqual('1 of 3 job executions failed to delete.',
                         errors[1])
        # Sahara deletes asynchronously: both are gone soon after.
        deadline = time.monotonic() + 20
        for job_execution in (a, b):
            while self.mrs('show', job_execution).code == 0:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.5)
            self.assertOneLineError(self.mrs('show', job_execution),
                                    'HTTP 404 NOT_FOUND')


class TestSecretsOnSahara(SaharaTestCase):
    """No password, token or application-credential secret is printed.

    With or without --debug, on success or error, against real Keystone.
    """

    def assertNothingSecret(self, result, *secrets):
        for secret in secrets:
            self.assertNotIn(secret, result.out + result.err)

    def test_application_credential_secret(self):
        s = self.session()
        made = s.post(
            f'{self.servers["keystone"]["url"]}/users/{s.get_user_id()}/'
            'application_credentials',
            json={'application_credential': {
                'name': f'mrs-{self.id().rsplit(".", 1)[-1]}-{time.time()}'}}
        ).json()['application_credential']
        env = {'OS_CLIENT_CONFIG_FILE': os.devnull,
               'OS_AUTH_TYPE': 'v3applicationcredential',
               'OS_AUTH_URL': self.servers['keystone']['url'],
               'OS_APPLICATION_CREDENTIAL_ID': made['id'],
               'OS_APPLICATION_CREDENTIAL_SECRET': made['secret']}
        ok = self.openstack('--debug', 'mrs', 'job', 'execution', 'show',
                            self.ids['succeeded'], '-f', 'json', env=env)
        self.assertEqual(0, ok.code, ok)
        self.assertEqual(self.ids['succeeded'], ok.json()['id'])
        failed = self.openstack('mrs', 'job', 'execution', 'cancel', 'nope',
                                env=env)
        self.assertOneLineError(failed, 'HTTP 404 NOT_FOUND')
        for result in (ok, failed):
            self.assertNothingSecret(result, made['secret'])

    def test_password_and_token_on_every_path(self):
        password = self.servers['passwords']['demo']
        token = self.session().get_token()
        token_env = {'OS_CLIENT_CONFIG_FILE': os.devnull,
                     'OS_AUTH_TYPE': 'v3token', 'OS_TOKEN': token,
                     'OS_AUTH_URL': self.servers['keystone']['url'],
                     'OS_PROJECT_NAME': 'demo',
                     'OS_PROJECT_DOMAIN_ID': 'default'}
        results = [
            self.mrs('list', '--debug'),
            self.mrs('show', 'nope', '--debug'),
            self.mrs('cancel', self.ids['protected'], '--debug'),
            self.openstack('--debug', 'mrs', 'job', 'execution', 'list',
                           env=token_env),
            self.openstack('--debug', 'mrs', 'job', 'execution', 'show',
                           'nope', env=token_env),
        ]
        self.assertEqual([0, 1, 1, 0, 1], [r.code for r in results])
        for result in results:
            self.assertIn('X-Auth-Token: {SHA256}', result.err)
            self.assertNothingSecret(result, password, token)
        # A wrong password is one line and does not echo what was typed.
        wrong = self.openstack(
            'mrs', 'job', 'execution', 'list',
            env={'OS_CLIENT_CONFIG_FILE': os.devnull,
                 'OS_AUTH_URL': self.servers['keystone']['url'],
                 'OS_USERNAME': 'demo', 'OS_PASSWORD': 'not-' + password,
                 'OS_PROJECT_NAME': 'demo', 'OS_USER_DOMAIN_ID': 'default',
                 'OS_PROJECT_DOMAIN_ID': 'default'})
        self.assertEqual(1, wrong.code, wrong)
        self.assertEqual(1, len(wrong.err.splitlines()), wrong)
        self.assertNothingSecret(wrong, password)
