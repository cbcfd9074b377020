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

"""Timeouts and retries, on the wire (requests-mock); no test sleeps."""

import logging
from unittest import mock

import fixtures
import requests
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.http import request_log
from mrsclient.api.http import retries
from mrsclient.api.http import throttling
from mrsclient.tests.unit import fakes

HOST = 'https://mrs.example.com'
PID = fakes.PROJECT_ID
JEID = fakes.JOB_EXECUTION_ID
SHOW = f'{HOST}/v1.1/{PID}/job-executions/{JEID}'
V2 = f'{HOST}/v2/{PID}/clusters/{fakes.CLUSTER_ID}/job-executions/{JEID}'
UNAVAILABLE = {'status_code': 503, 'text': 'Service Unavailable'}
SHOWN = {'json': fakes.cancel_example(info={'status': 'RUNNING'})}


class Console(logging.Handler):
    """Records as OSC's console handler at a verbosity's level sees them."""

    def __init__(self, level):
        super().__init__(level)
        self.lines = []

    def emit(self, record):
        self.lines.append(f'{record.levelname} {record.getMessage()}')


class TestRetries(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.sleeps = self.useFixture(fixtures.MockPatch(
            'keystoneauth1.session.time.sleep')).mock
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.client = client.MrsClient(fakes.make_session(),
                                       f'{HOST}/v1.1/{PID}', timeout=7)

    def console(self, level):
        handler = Console(level)
        request_log.LOG.addHandler(handler)
        self.addCleanup(request_log.LOG.removeHandler, handler)
        return handler

    def test_get_is_retried_on_503_and_then_works(self):
        console = self.console(logging.WARNING)
        self.mock.get(SHOW, [UNAVAILABLE, UNAVAILABLE,
                             SHOWN])
        self.client.route().show(JEID)
        self.assertEqual(3, self.mock.call_count)
        self.assertEqual(7, self.mock.last_request.timeout)
        # The retries are no failure: nothing at OSC's default verbosity.
        self.assertEqual([], console.lines)

    def test_retries_are_bounded(self):
        for status in retries.RETRIABLE_STATUS_CODES:
            before = self.mock.call_count
            self.mock.get(SHOW, status_code=status)
            e = self.assertRaises(exceptions.MrsError,
                                  self.client.route().show, JEID)
            self.assertIn(f'HTTP {status}', str(e))
            self.assertEqual(1 + retries.RETRIES,
                             self.mock.call_count - before)

    def test_a_reset_connection_is_retried(self):
        self.mock.get(SHOW, [
            {'exc': requests.exceptions.ConnectionError('reset by peer')},
            {'exc': requests.exceptions.ReadTimeout('slow')},
            SHOWN])
        self.client.route().show(JEID)
        self.assertEqual(3, self.mock.call_count)

    def test_faults_of_both_kinds_count_apart(self):
        # keystoneauth counts connection and status retries apart: a read
        # whose faults alternate is sent 5 times at the most.
        reset = {'exc': requests.exceptions.ConnectionError('reset')}
        self.mock.get(SHOW, [reset, UNAVAILABLE, reset, UNAVAILABLE,
                             reset, SHOWN])
        self.assertRaises(exceptions.MrsError,
                          self.client.route().show, JEID)
        self.assertEqual(1 + 2 * retries.RETRIES, self.mock.call_count)

    def test_the_v11_cancel_is_a_get_sent_once_then_judged(self):
        self.mock.get(SHOW + '/cancel', [UNAVAILABLE, SHOWN])
        self.mock.get(SHOW, **SHOWN)
        self.client.route().cancel(JEID)
        # cancel 503, show: still RUNNING, so cancel again: 200.
        self.assertEqual(['/cancel', '', '/cancel'],
                         [r.url[len(SHOW):] for r in
                          self.mock.request_history])

    def test_a_post_is_sent_once(self):
        self.mock.get(V2, json=fakes.V2_SHOW_EXAMPLE)
        self.mock.post(V2 + '/kill', **UNAVAILABLE)
        running = {'json': {'job_detail': fakes.v2_job(
            JEID, job_state='RUNNING')}}
        self.mock.get(V2, **running)
        self.assertRaises(exceptions.MrsError,
                          self.client.route(fakes.CLUSTER_ID).cancel,
                          JEID)
        self.mock.post(V2 + '/kill', exc=requests.exceptions.ConnectionError)
        self.assertRaises(exceptions.MrsError,
                          self.client.route(fakes.CLUSTER_ID).cancel,
                          JEID)
        self.assertEqual(2, sum(r.method == 'POST'
                                for r in self.mock.request_history))

    def test_user_agent_names_mrsclient(self):
        self.mock.get(SHOW, **SHOWN)
        self.client.route().show(JEID)
        self.assertIn('mrsclient/', self.mock.last_request.headers[
            'User-Agent'])

    def test_any_keystoneauth_error_is_one_line(self):
        from keystoneauth1 import exceptions as ks_exceptions
        self.useFixture(fixtures.MockPatch(
            'keystoneauth1.session.Session.request',
            side_effect=ks_exceptions.Unauthorized('The request you have '
                                                   'made requires '
                                                   'authentication.')))
        e = self.assertRaises(exceptions.MrsError,
                              self.client.route().show, JEID)
        self.assertEqual(f'Failed to show job execution {JEID}: '
                         'Unauthorized: The request you have made requires '
                         'authentication. (HTTP 401).', str(e))

    def test_retry_after_is_capped(self):
        self.mock.get(SHOW, [
            {'status_code': 503, 'headers': {'Retry-After': '3600'}},
            {'status_code': 503, 'headers': {'Retry-After': '2'}},
            SHOWN])
        self.client.route().show(JEID)
        # keystoneauth honours Retry-After in its newer releases (then:
        # 5 and 2 s), and backs off 0.5 and 1 s in the oldest we allow.
        delays = [call.args[0] for call in self.sleeps.call_args_list]
        self.assertEqual(2, len(delays))
        self.assertLessEqual(max(delays), throttling.MAX_RETRY_AFTER)

    def test_the_hook_cuts_retry_after(self):
        # Every form int() or float() takes, and HTTP dates; what
        # keystoneauth then reads with int() is whole seconds, 0 to 5.
        for sent, kept in (('3600', '5'), ('2', '2'), ('+999999', '5'),
                           ('99_9999', '5'), ('1e9', '5'), ('inf', '5'),
                           ('-1', '0'), ('0.2', '0.2'), ('soon', None),
                           ('nan', None),
                           ('Wed, 21 Oct 2099 07:28:00 GMT', '5'),
                           ('Wed, 21 Oct 2015 07:28:00 GMT', '0'),
                           ('Wed, 21 Oct 2099 07:28:00 -0000', None),
                           ('Wed, 21 Oct 2099 07:28:00', None)):
            response = requests.Response()
            response.headers['Retry-After'] = sent
            throttling.cap_retry_after(response)
            self.assertEqual(kept, response.headers.get('Retry-After'),
                             sent)

    def test_keystoneauth_never_sleeps_what_a_server_asks(self):
        for sent in ('+999999', '99_9999', '-1',
                     'Wed, 21 Oct 2099 07:28:00 GMT'):
            self.sleeps.reset_mock()
            self.mock.get(SHOW, [
                {'status_code': 503, 'headers': {'Retry-After': sent}},
                SHOWN])
            self.client.route().show(JEID)
            delays = [call.args[0] for call in self.sleeps.call_args_list]
            self.assertEqual(1, len(delays), sent)
            self.assertTrue(0 <= delays[0] <= throttling.MAX_RETRY_AFTER,
                            (sent, delays))

    def test_retry_records_are_info_shown_with_v(self):
        console = self.console(logging.INFO)
        self.mock.get(SHOW, [UNAVAILABLE, SHOWN])
        self.client.route().show(JEID)
        self.assertEqual(['INFO Retriable status code 503. Retrying in '
                          '0.5s. 2 retries left'], console.lines)


class TestDebugLogMasksTheToken(testtools.TestCase):

    def test_an_echoed_token_is_masked_in_the_body_log(self):
        log = self.useFixture(fixtures.FakeLogger(
            name='mrsclient.http', level=logging.DEBUG))
        mock = self.useFixture(rm_fixture.Fixture())
        mock.get(SHOW, status_code=401, json={
            'error_msg': f'token {fakes.TOKEN} is not valid'},
            headers={'Content-Type': 'application/json'})
        c = client.MrsClient(fakes.make_session(), f'{HOST}/v1.1/{PID}')
        e = self.assertRaises(exceptions.MrsError,
                              c.route().show, JEID)
        self.assertIn('token *** is not valid', str(e))
        self.assertIn('RESP BODY: {"error_msg": "token *** is not valid"}',
                      log.output)
        self.assertNotIn(fakes.TOKEN, log.output)


class TestThrottling(testtools.TestCase):
    """429: sent again whatever the method, within a bounded budget."""

    def setUp(self):
        super().setUp()
        # Time is the test's: the client is given its sleep and clock,
        # and a sleep moves the clock.
        self.now = [0.0]
        self.sleeps = mock.Mock(side_effect=self.advance)
        self.mock = self.useFixture(rm_fixture.Fixture())
        self.client = client.MrsClient(fakes.make_session(),
                                       f'{HOST}/v1.1/{PID}',
                                       sleep=self.sleeps,
                                       clock=lambda: self.now[0])

    def advance(self, seconds):
        self.now[0] += seconds

    def throttled(self, retry_after=None):
        headers = {} if retry_after is None else {'Retry-After': retry_after}
        return {'status_code': 429, 'headers': headers, 'json': {
            'error_code': 'APIGW.0308',
            'error_msg': 'The throttling threshold has been reached'}}

    def test_a_post_answered_429_is_sent_again(self):
        self.mock.post(f'{V2}/kill', [self.throttled('1'), self.throttled(),
                                      {'status_code': 202}])
        self.mock.get(V2, json={'job_detail': fakes.v2_job(JEID)})
        self.client.route(fakes.CLUSTER_ID).cancel(JEID)
        self.assertEqual(3, sum(r.method == 'POST'
                                for r in self.mock.request_history))
        delays = [call.args[0] for call in self.sleeps.call_args_list]
        self.assertEqual(1.0, delays[0])  # as Retry-After asked
        # Without one: full jitter under the second backoff step.
        self.assertLessEqual(delays[1], 2 * throttling.THROTTLE_BACKOFF)

    def test_throttling_for_ever_ends_within_the_budget_in_one_line(self):
        self.mock.get(SHOW, **self.throttled('5'))
        e = self.assertRaises(exceptions.MrsError,
                              self.client.route().show, JEID)
        self.assertEqual(throttling.THROTTLE_TRIES, self.mock.call_count)
        waited = sum(c.args[0] for c in self.sleeps.call_args_list)
        # The budget of the resends, and at most a second of pace a send
        # (the slowest pace is a request a second).
        self.assertLessEqual(waited, throttling.THROTTLE_BUDGET
                             + throttling.THROTTLE_TRIES)
        self.assertIn('HTTP 429 APIGW.0308', str(e))
        self.assertIn('The API is throttling requests', str(e))
        self.assertEqual(1, len(str(e).splitlines()))

    def test_retry_after_as_an_http_date_and_capped(self):
        response = requests.Response()
        for value, now, expected in (
                ('Wed, 21 Oct 2026 07:28:02 GMT', 1792567680.0, 2.0),
                ('3600', None, throttling.MAX_RETRY_AFTER),
                ('soon', None, None), ('', None, None)):
            response.headers['Retry-After'] = value
            self.assertEqual(expected, throttling.retry_after(response, now))

    def test_the_pace_learns_the_rate_allowed(self):

        now, slept = [100.0], []

        def sleep(seconds):
            slept.append(seconds)
            now[0] += seconds

        pace = throttling.Pace(clock=lambda: now[0], sleep=sleep)
        for _ in range(20):  # 20 answers in a second, unspaced
            pace.wait_turn()
            pace.speed_up()
            now[0] += 0.04
        self.assertEqual([], slept)
        pace.slow_down()  # then a 429
        self.assertAlmostEqual(18.0, pace.rate)
        for _ in range(3):
            pace.wait_turn()
        # Spaced to 18 a second from the 429 on.
        self.assertEqual(3, len(slept))
        self.assertAlmostEqual(1 / 18, slept[-1])
        pace.speed_up()
        self.assertGreater(pace.rate, 18.0)
