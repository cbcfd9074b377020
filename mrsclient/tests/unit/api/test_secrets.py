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

import json
import logging

import fixtures
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import secret_names
from mrsclient.tests.unit import fakes

SECRET = 'SK-never-shown-0xdeadbeef'


class TestMasking(testtools.TestCase):

    # The rule: a name's last word (or last two), in any letter case.
    SECRET = ('fs.obs.secret.key', 'fs.obs.access.key', 'PASSWORD',
              'x.Token', 'app_credential', 'jdbc.pwd', 'obs.sk', 'obs.ak',
              'spark.ssl.keyStorePassword', 'spark.ssl.keyPassword',
              '--db-password', '--secret-key', '--user-passwd',
              '-Dfs.obs.secret.key', 'fs.s3a.secret.key', 'secretKey',
              'accessKey', 'aws_secret_access_key', 'fs.obs.session.token',
              'security_token', 'hive.metastore.credentials', 'apikey',
              'api-key', 'ssh.private.key', 'x.passphrase', 'SECRET',
              # Java system properties: -D and the name.
              '-Dpassword', '-Dsecret', '-Dtoken', '-DdbPassword')
    NOT_SECRET = ('mapreduce.job.output.key.class', 'spark.ssl.keyStore',
                  'monkey_count', 'tokens', 'key', 'value',
                  'fs.obs.endpoint', 'mapreduce.job.maps', 'disk',
                  'task', '--password-file', 'keyStoreType',
                  'secret_names.dir',
                  'token.lifetime', 'aws_access_key_id', 'skew', 'mask',
                  '--class', 'passwordless', 'key.serializer', '',
                  '-Dfile.encoding', '-Debug', '-Duser.name', '-D')

    def test_by_what_a_name_means(self):
        for name in self.SECRET:
            self.assertTrue(secret_names.is_secret(name), name)
        for name in self.NOT_SECRET:
            self.assertFalse(secret_names.is_secret(name), name)

    def test_words_of_a_name(self):
        self.assertEqual(['spark', 'ssl', 'key', 'store', 'password'],
                         secret_names.words('spark.ssl.keyStorePassword'))
        self.assertEqual(['x', 'http', 'token'],
                         secret_names.words('x.HTTPToken'))

    def test_the_value_after_an_option_so_named(self):
        self.assertEqual(
            ['--class', 'X', 'app.jar', '--db-password', '***',
             '--secret-key', '***', '--user-passwd=***', '--name', 'pi'],
            secret_names.mask_mapping(['--class', 'X', 'app.jar',
                                       '--db-password', SECRET, '--secret-key',
                                       SECRET, f'--user-passwd={SECRET}',
                                       '--name', 'pi']))
        self.assertEqual(
            '[--class, X, --db-password, ***, --user-passwd=***, -v]',
            secret_names.mask_text(f'[--class, X, --db-password, {SECRET}, '
                                   f'--user-passwd={SECRET}, -v]'))
        self.assertEqual(
            '{"arguments": ["--db-password", "***", "--class", "X"]}',
            secret_names.mask_text(json.dumps(
                {'arguments': ['--db-password', SECRET, '--class', 'X']})))

    def test_every_shape_a_program_takes_a_secret_in(self):
        given = ['-Dpassword=S1', '-Dsecret=S2', '-Dtoken=S3',
                 '--conf', 'spark.executor.extraJavaOptions=-Dpassword=S5',
                 '--conf', 'spark.driver.extraJavaOptions=-Dx=1 -Dtoken=S6',
                 '--db-password', 'S7', '--user-passwd=S8',
                 '-Dfile.encoding=UTF-8']
        masked = secret_names.mask_mapping(given)
        self.assertEqual(
            ['-Dpassword=***', '-Dsecret=***', '-Dtoken=***', '--conf',
             'spark.executor.extraJavaOptions=-Dpassword=***', '--conf',
             'spark.driver.extraJavaOptions=-Dx=1 -Dtoken=***',
             '--db-password', '***', '--user-passwd=***',
             '-Dfile.encoding=UTF-8'], masked)
        # The same as one string (how MRS renders arguments), and JSON.
        for text in (' '.join(given), json.dumps({'arguments': given})):
            shown = secret_names.mask_text(text)
            for number in range(1, 9):
                self.assertNotIn(f'S{number}', shown, text)
            self.assertIn('UTF-8', shown)

    def test_passwords_inside_urls(self):
        self.assertEqual(
            'jdbc:mysql://db/x?user=bob&password=***&ssl=true '
            'https://bob:***@repo.example/p',
            secret_names.mask_text(
                f'jdbc:mysql://db/x?user=bob&password={SECRET}&ssl=true '
                f'https://bob:{SECRET}@repo.example/p'))
        # A port is not a password.
        url = 'http://127.0.0.1:8080/v3 and http://h:1/x@y'
        self.assertEqual(url, secret_names.mask_text(url))

    def test_what_is_not_a_secret_shows(self):
        flat = ('{mapreduce.job.output.key.class=Text, '
                'spark.ssl.keyStore=/etc/ks, monkey_count=3}')
        self.assertEqual(flat, secret_names.mask_text(flat))

    def test_objects_json_and_flat_text(self):
        self.assertEqual(
            {'fs.obs.secret.key': '***', 'fs.obs.endpoint': 'e',
             'nested': {'password': '***'}},
            secret_names.mask_mapping({'fs.obs.secret.key': SECRET,
                                       'fs.obs.endpoint': 'e',
                                       'nested': {'password': SECRET}}))
        text = json.dumps({'properties': {'fs.obs.secret.key': SECRET,
                                          'fs.obs.endpoint': 'e'}})
        self.assertNotIn(SECRET, secret_names.mask_text(text))
        self.assertIn('"fs.obs.endpoint": "e"', secret_names.mask_text(text))
        flat = f'{{fs.obs.secret.key={SECRET}, fs.obs.endpoint=e}}'
        self.assertEqual('{fs.obs.secret.key=***, fs.obs.endpoint=e}',
                         secret_names.mask_text(flat))
        # keystoneauth's own token line keeps its hash.
        line = 'X-Auth-Token: {SHA256}abc'
        self.assertEqual(line, secret_names.mask_text(line))

    def test_arguments(self):
        for argument in (f'-Dfs.obs.secret.key={SECRET}',
                         f'spark.hadoop.fs.obs.secret.key={SECRET}',
                         f'--conf=spark.hadoop.fs.obs.access.key={SECRET}',
                         f'password = {SECRET} and more'):
            masked = secret_names.mask_mapping(['--conf', argument])
            self.assertNotIn(SECRET, json.dumps(masked), argument)
            self.assertTrue(masked[1].endswith('***'), masked)
        # As MRS sends arguments: one string.
        sent = (f'[--conf, spark.hadoop.fs.obs.secret.key={SECRET}, '
                f'-Dfs.obs.access.key={SECRET}, --class, org.Pi]')
        self.assertEqual('[--conf, spark.hadoop.fs.obs.secret.key=***, '
                         '-Dfs.obs.access.key=***, --class, org.Pi]',
                         secret_names.mask_text(sent))

    def test_the_seen_tokens_are_safe_under_threads_and_bounded(self):
        from concurrent import futures
        import types

        from mrsclient.api.http import request_log

        def answer(n):
            token = f'token-{n:08d}'
            request_log.remember_token(types.SimpleNamespace(
                request=types.SimpleNamespace(
                    headers={'X-Auth-Token': token})))
            return request_log.mask('text')

        with futures.ThreadPoolExecutor(8) as pool:
            self.assertEqual(['text'] * 2000, list(pool.map(answer,
                                                            range(2000))))
        # At most the latest are kept, and they are masked.
        self.assertEqual(request_log.MAX_REMEMBERED,
                         len(request_log._SECRETS))
        answer(5000)
        self.assertEqual('a token-00000000 b ***', request_log.mask(
            'a token-00000000 b token-00005000'))

    def test_the_debug_log_of_a_submission(self):
        log = self.useFixture(fixtures.FakeLogger(
            name='mrsclient.http', level=logging.DEBUG))
        mock = self.useFixture(rm_fixture.Fixture())
        url = (f'https://mrs.example.com/v2/{fakes.PROJECT_ID}/clusters/'
               f'{fakes.CLUSTER_ID}/job-executions')
        mock.post(url, json={'job_submit_result': {
            'job_id': fakes.JOB_ID, 'state': 'COMPLETE'}})
        mock.get(f'{url}/{fakes.JOB_ID}', json={'job_detail': fakes.v2_job(
            fakes.JOB_ID, properties=f'{{fs.obs.secret.key={SECRET}}}')},
            headers={'Content-Type': 'application/json'})
        c = client.MrsClient(fakes.make_session(),
                             f'https://mrs.example.com/v1.1/'
                             f'{fakes.PROJECT_ID}')
        api = c.route(fakes.CLUSTER_ID)
        job = api.show(api.submit({
            'job_type': 'MapReduce', 'job_name': 'wc',
            'properties': {'fs.obs.secret.key': SECRET}}))
        self.assertEqual({'fs.obs.secret.key': SECRET},
                         mock.request_history[0].json()['properties'])
        self.assertIn('REQ: curl', log.output)
        self.assertIn('"fs.obs.secret.key": "***"', log.output)
        self.assertNotIn(SECRET, log.output)
        # The client hands the answer on as it is; the columns mask it.
        self.assertIn(SECRET, job['properties'])
