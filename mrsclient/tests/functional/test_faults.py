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

"""Faults, secrets and TLS, with the real ``openstack`` command.

A local server (servers/faulty.py) resets, stalls, answers 503 or echoes
the token. Each command must end within its bound with one clear line, succeed
where a retry saves it, send a POST once, and never print the token.
"""

import os
import subprocess

import fixtures

from mrsclient.tests.functional import base
from mrsclient.tests.functional.servers import faulty
from mrsclient.tests.unit import fakes

TIMEOUT = 1  # OS_MRS_TIMEOUT_SECONDS of these tests, in seconds


class FaultTestCase(base.CLITestCase):

    tls = None

    def setUp(self):
        super().setUp()
        self.server = faulty.FaultyServer(tls=self.tls).start()
        self.addCleanup(self.server.close)
        # The token comes by environment, never on the command line (OSC's
        # own --debug line echoes the command line).
        self.env = {'OS_AUTH_TYPE': 'admin_token', 'OS_TOKEN': fakes.TOKEN,
                    'OS_ENDPOINT': self.server.endpoint,
                    'OS_MRS_TIMEOUT_SECONDS': str(TIMEOUT)}

    def mrs(self, *argv, **kwargs):
        return self.openstack('mrs', 'job', 'execution', *argv, **kwargs)

    def seen(self, name):
        return sum(count for path, count in self.server.seen.items()
                   if f'/{name}' in path)

    def assertNoToken(self, result):
        self.assertNotIn(fakes.TOKEN, result.out + result.err)


class TestFaults(FaultTestCase):

    def test_503_twice_then_200_is_saved_by_the_retries(self):
        result = self.mrs('show', 'flaky', '-f', 'json', '-c', 'info')
        self.assertSucceeded(result)  # and nothing on stderr
        self.assertEqual({'status': 'KILLED'}, result.json()['info'])
        self.assertEqual(3, self.seen('flaky'))

    def test_retries_show_with_v(self):
        result = self.mrs('show', 'flaky', '-v', env=self.env)
        self.assertEqual(0, result.code, result)
        self.assertIn('Retriable status code 503. Retrying in 0.5s',
                      result.err)

    def test_a_reset_connection_is_retried_then_one_line(self):
        result, elapsed = self.net_time(lambda: self.mrs('show', 'reset'))
        # Reset, not refused: the words say which.
        self.assertOneLineError(
            result, 'Failed to show job execution reset: The connection to '
                    'http://127.0.0.1:', 'was reset before an answer came '
                                         '(3 tries).')
        self.assertEqual(3, self.seen('reset'))
        # Three tries, 1.5 s of backoff between them.
        self.assertLess(elapsed, 1.5 + 3)

    def test_a_server_that_never_answers(self):
        result, elapsed = self.net_time(
            lambda: self.mrs('show', 'stall', timeout=60))
        # The time it really took, and how it was spent.
        self.assertOneLineError(
            result, 'Failed to show job execution stall: No answer from ',
            f'(3 tries of {TIMEOUT} s).')
        spent = int(result.err.split(' in ')[1].split(' s ')[0])
        self.assertTrue(3 * TIMEOUT <= spent <= 3 * TIMEOUT + 3, result)
        self.assertEqual(3, self.seen('stall'))
        # 3 tries of 1 s and 1.5 s of backoff, net of openstack's start.
        self.assertLess(elapsed, 3 * TIMEOUT + 1.5 + 1, result)

    def test_a_post_that_gets_503_is_sent_once(self):
        cluster, job = fakes.CLUSTER_ID, faulty.IDS['busy']
        result = self.mrs('cancel', '--cluster', cluster, job)
        self.assertOneLineError(
            result, f'Failed to cancel job {job} of cluster {cluster}: '
                    'HTTP 503')
        self.assertEqual(
            1, self.server.seen[f'/v2/{fakes.PROJECT_ID}/clusters/{cluster}/'
                                f'job-executions/{job}/kill'])

    def test_a_get_that_gets_503_is_tried_three_times(self):
        self.assertOneLineError(self.mrs('show', 'busy'), 'HTTP 503')
        self.assertEqual(3, self.seen('busy'))

    def test_a_bad_timeout_setting(self):
        for value in ('soon', '0'):
            result = self.mrs('show', 'ok',
                              env={'OS_MRS_TIMEOUT_SECONDS': value})
            self.assertOneLineError(
                result, 'mrs_timeout_seconds must be a number of seconds '
                        f"above 0, not '{value}'.")


class TestTokenNeverShows(FaultTestCase):

    def test_echoed_token_with_and_without_debug(self):
        for job, fragment in (('echo-json', 'HTTP 500 0176: Token *** has'),
                              ('echo-html', 'HTTP 502: Bad Gateway ***'),
                              ('echo-ok', 'is not JSON: ')):
            result = self.mrs('cancel', job)
            self.assertOneLineError(result, fragment)
            self.assertNoToken(result)
            result = self.mrs('cancel', job, '--debug')
            self.assertEqual(1, result.code, result)
            self.assertIn('REQ: curl', result.err)
            self.assertIn(fragment, result.err)
            self.assertNoToken(result)

    def test_success_with_debug(self):
        result = self.mrs('show', 'ok', '--debug')
        self.assertEqual(0, result.code, result)
        self.assertIn('RESP BODY: ', result.err)
        self.assertNoToken(result)


class TestTLS(FaultTestCase):
    """A self-signed HTTPS endpoint: refused unless the operator says."""

    def setUp(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        self.cert = os.path.join(tmp, 'cert.pem')
        key = os.path.join(tmp, 'key.pem')
        subprocess.run(
            ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
             '-keyout', key, '-out', self.cert, '-days', '1',
             '-subj', '/CN=127.0.0.1',
             '-addext', 'subjectAltName=IP:127.0.0.1'],
            check=True, capture_output=True)
        self.tls = (self.cert, key)
        super().setUp()

    def test_verification_is_on_by_default(self):
        result = self.mrs('show', 'ok')
        self.assertOneLineError(
            result, 'Failed to show job execution ok: TLS error with '
                    'https://127.0.0.1:', 'CERTIFICATE_VERIFY_FAILED',
            '--os-cacert', '--insecure')
        self.assertEqual({}, dict(self.server.seen))
        self.assertNoToken(result)

    def test_insecure_when_asked(self):
        result = self.openstack('--insecure', 'mrs', 'job', 'execution',
                                'show', 'ok', '-f', 'value', '-c', 'id')
        self.assertSucceeded(result)
        self.assertEqual(fakes.JOB_EXECUTION_ID, result.out.strip())

    def test_the_ca_given(self):
        result = self.openstack('--os-cacert', self.cert, 'mrs', 'job',
                                'execution', 'show', 'ok', '-f', 'value',
                                '-c', 'id')
        self.assertSucceeded(result)
