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

"""The --wait loop, driven by a fake clock: no test here sleeps."""

import testtools

from mrsclient.api import exceptions as api_exceptions
from mrsclient.api.jobs import waiting as wait

RESET = api_exceptions.LostAnswer('Failed to show job a',
                                  'The connection was reset', reason='reset')
REFUSED = api_exceptions.LostAnswer('Failed to show job a', 'refused',
                                    reason='refused')
STALLED = api_exceptions.LostAnswer('Failed to show job a', 'No answer',
                                    reason='timeout')
BUSY = api_exceptions.ApiError(503, message='Service Unavailable')
THROTTLED = api_exceptions.ApiError(429, code='APIGW.0308')
PROXY_500 = api_exceptions.ApiError(500, message='<html>oops</html>')
NO_SUCH_JOB = api_exceptions.ApiError(500, code='0176',
                                      message='The job does not exist.')
REFUSED_LOGIN = api_exceptions.ApiError(401, code='APIGW.0301')


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class TestWaitFor(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.changes = []
        self.troubles = []

    def wait(self, keys, states, timeout=10, interval=2, last=None):
        """``states``: key -> the states successive polls answer."""
        polls = {key: iter(answers) for key, answers in states.items()}

        def poll(keys):
            answers = {}
            for key in keys:
                state = next(polls[key])
                answers[key] = state if isinstance(state, Exception) \
                    else (state, {'id': key, 'state': state})
            return answers

        return wait.wait_for(
            keys, poll, {'KILLED', 'FAILED'}.__contains__, timeout, interval,
            lambda *change: self.changes.append(change), last=last,
            clock=self.clock, sleep=self.clock.sleep, describe=str,
            trouble=lambda key, error: self.troubles.append((key, error)))

    def test_reports_changes_until_final(self):
        done, failed, _ = self.wait(
            ['a'], {'a': ['RUNNING', 'RUNNING', 'TOBEKILLED', 'KILLED']},
            last={'a': 'RUNNING'})
        self.assertEqual({'a': {'id': 'a', 'state': 'KILLED'}}, done)
        self.assertEqual({}, failed)
        self.assertEqual([('a', 'RUNNING', 'TOBEKILLED'),
                          ('a', 'TOBEKILLED', 'KILLED')], self.changes)
        self.assertEqual([2, 2, 2], self.clock.sleeps)

    def test_first_state_seen_is_reported_from_none(self):
        self.wait(['a'], {'a': ['KILLED']})
        self.assertEqual([('a', None, 'KILLED')], self.changes)
        self.assertEqual([], self.clock.sleeps)

    def test_timeout_names_the_last_state(self):
        done, failed, timed_out = self.wait(['a'], {'a': ['RUNNING'] * 100},
                                            timeout=3, interval=2)
        self.assertEqual(({}, {}), (done, failed))
        # The line, and the job as it was last read, to be shown.
        self.assertEqual(
            {'a': ('Timed out after 3 s waiting for job execution a to end; '
                   'its last state was RUNNING.',
                   {'id': 'a', 'state': 'RUNNING'})}, timed_out)
        # Polls at 0, 2 and 3 s: the last sleep is cut to the deadline.
        self.assertEqual([2, 1], self.clock.sleeps)
        self.assertEqual(1003.0, self.clock.now)

    def test_zero_timeout_polls_once(self):
        done, failed, timed_out = self.wait(['a'], {'a': ['RUNNING']},
                                            timeout=0)
        self.assertIn('a', timed_out)
        self.assertEqual([], self.clock.sleeps)

    def test_several_keys_under_one_deadline(self):
        done, failed, timed_out = self.wait(
            ['a', 'b', 'c'],
            {'a': ['RUNNING', 'KILLED'],
             'b': [api_exceptions.MrsError('HTTP 500 0162: gone.')],
             'c': ['RUNNING'] * 100},
            timeout=5, interval=2)
        self.assertEqual(['a'], list(done))
        self.assertEqual('HTTP 500 0162: gone.', failed['b'])
        self.assertIn('its last state was RUNNING', timed_out['c'][0])
        self.assertEqual([2, 2, 1], self.clock.sleeps)

    def test_a_key_given_twice_is_waited_for_once(self):
        done, _, _ = self.wait(['a', 'a'], {'a': ['KILLED']})
        self.assertEqual(['a'], list(done))

    def test_without_a_timeout_a_wait_lasts_until_the_end(self):
        # Three hours of RUNNING, then KILLED: nothing cuts it at 600 s.
        rounds = 3 * 3600 // 5
        done, failed, timed_out = self.wait(
            ['a'], {'a': ['RUNNING'] * rounds + ['KILLED']}, timeout=None,
            interval=5)
        self.assertEqual((['a'], {}, {}), (list(done), failed, timed_out))
        self.assertEqual(1000.0 + 3 * 3600, self.clock.now)

    def test_an_outage_is_waited_out(self):
        # Every passing fault, one after another, then the job ends: the
        # wait holds on, says once that reads fail and once that they
        # work again.
        outage = [RESET, REFUSED, STALLED, BUSY, THROTTLED, PROXY_500]
        done, failed, timed_out = self.wait(
            ['a'], {'a': ['RUNNING'] + outage + ['RUNNING', 'KILLED']},
            timeout=None, last={'a': 'RUNNING'})
        self.assertEqual((['a'], {}, {}), (list(done), failed, timed_out))
        self.assertEqual([('a', RESET), ('a', None)], self.troubles)
        self.assertEqual([('a', 'RUNNING', 'KILLED')], self.changes)

    def test_an_outage_past_the_deadline_times_out_naming_the_error(self):
        done, failed, timed_out = self.wait(
            ['a'], {'a': ['RUNNING'] + [BUSY] * 100}, timeout=5, interval=2)
        self.assertEqual(({}, {}), (done, failed))
        message, last = timed_out['a']
        self.assertEqual(
            'Timed out after 5 s waiting for job execution a to end; its '
            'last state was RUNNING; its last read failed: HTTP 503: '
            'Service Unavailable.',
            message)
        self.assertEqual({'id': 'a', 'state': 'RUNNING'}, last)

    def test_a_job_never_read_times_out_saying_so(self):
        _, _, timed_out = self.wait(['a'], {'a': [RESET] * 100}, timeout=3)
        self.assertIn('its state was never read; its last read failed',
                      timed_out['a'][0])
        self.assertIsNone(timed_out['a'][1])

    def test_an_answer_that_settles_it_ends_that_wait(self):
        for error in (NO_SUCH_JOB, REFUSED_LOGIN,
                      api_exceptions.ApiError(404, message='Not Found'),
                      api_exceptions.TransportError('x', 'TLS', 'tls')):
            done, failed, timed_out = self.wait(
                ['a'], {'a': ['RUNNING', error]}, timeout=None)
            self.assertEqual({'a': str(error)}, failed)
            self.assertEqual(({}, {}), (done, timed_out))
