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

from osc_lib import exceptions
import testtools

from mrsclient.osc import wait


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
            clock=self.clock, sleep=self.clock.sleep)

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
             'b': [exceptions.CommandError('HTTP 500 0162: gone.')],
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
