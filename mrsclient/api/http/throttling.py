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

"""A throttling API (HTTP 429): every request sent again, and fewer.

A 429 (the API gateway's flow control) is never a failure until its
budget is spent: whatever the method, the request is sent again (the
gateway refused it before the service saw it, so even a POST is safe to
resend), after ``Retry-After`` (seconds or an HTTP date, at most
``MAX_RETRY_AFTER``), or else after an exponential backoff with full
jitter (``THROTTLE_BACKOFF`` doubled each time, at most
``THROTTLE_BACKOFF_CAP``). At most ``THROTTLE_TRIES`` sends and
``THROTTLE_BUDGET`` seconds of waiting a request; then its 429 is the
answer.

Why this is ours and not keystoneauth's: keystoneauth has one budget of
status retries for all its ``retriable_status_codes``. Put 429 there with
the ten tries a throttled fleet needs, and a read answered 503 would be
sent ten times too (it is sent three times, :mod:`mrsclient.api.http.retries`),
and a POST
answered 503 resent. And the answers say how fast to go: :class:`Pace`
learns the rate the API allows, as the ``adaptive`` retry mode of AWS's
SDKs does. Measured (P8 in the benchmarks): 100 deletes against a
gateway of 20 requests a second took 5.3 s with this pace, with or
without ``Retry-After``; a fixed pool of 10 with per-request backoff took
10.0 s without it. keystoneauth's Adapter ``rate_limit`` (clouds.yaml's
``rate_limit: {mrs: N}``) is still honoured: it bounds what is sent, this
module what is resent.

A ``Retry-After`` above ``MAX_RETRY_AFTER`` seconds is cut to it (a
response hook, so keystoneauth's own handling of it on the 502/503/504
it retries is cut too): no server can make a retry wait for an hour.
"""

import collections
import email.utils
import random
import threading
import time

from mrsclient.api.http import request_log

LOG = request_log.LOG

MAX_RETRY_AFTER = 5
THROTTLED = 429
THROTTLE_TRIES = 10
THROTTLE_BUDGET = 60.0
THROTTLE_BACKOFF = 0.5
THROTTLE_BACKOFF_CAP = 8.0


def cap_retry_after(response, *args, **kwargs):
    """A response hook: every ``Retry-After`` becomes what it may be.

    Runs before keystoneauth reads the header (it does ``int()`` of it on
    the 502, 503 and 504 it retries, and would sleep for a ``+999999`` or
    a ``99_9999``, or fail on a ``-1``): a value in any form
    :func:`retry_after` reads is written back as whole seconds from 0 to
    ``MAX_RETRY_AFTER`` (a fraction as it is), and one it cannot read is
    dropped, so that the backoff applies.
    """
    if 'Retry-After' not in response.headers:
        return response
    seconds = retry_after(response)
    if seconds is None:
        del response.headers['Retry-After']
    else:
        response.headers['Retry-After'] = str(int(seconds)) \
            if seconds == int(seconds) else f'{seconds:g}'
    return response


def retry_after(response, now=None):
    """Seconds a ``Retry-After`` asks for, from 0 to 5; or None.

    Seconds in any form Python's ``float()`` reads (a sign, underscores,
    an exponent), or an HTTP date with its zone (a date years ahead is
    5 s, one past is 0).
    """
    value = (response.headers.get('Retry-After') or '').strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
            if moment is None or moment.tzinfo is None:
                return None
            seconds = moment.timestamp() - (
                time.time() if now is None else now)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def throttle_delay(response, attempt, rng=random.random):
    """How long to wait after the ``attempt``-th 429 of a request."""
    asked = retry_after(response)
    if asked is not None:
        return asked
    ceiling = min(THROTTLE_BACKOFF * 2 ** (attempt - 1),
                  THROTTLE_BACKOFF_CAP)
    return ceiling * rng()


def throttled(send, on_throttle=None, on_answer=None, sleep=time.sleep):
    """``send()`` again while it is answered 429, within the budget.

    :param send: sends the request once; returns the response
    :param on_throttle: called on each 429 (the pool slows down)
    :param on_answer: called on each answer that is not a 429
    """
    waited = 0.0
    for attempt in range(1, THROTTLE_TRIES + 1):
        response = send()
        if response.status_code != THROTTLED:
            if on_answer:
                on_answer()
            return response
        if on_throttle:
            on_throttle()
        delay = throttle_delay(response, attempt)
        if attempt == THROTTLE_TRIES or waited + delay > THROTTLE_BUDGET:
            return response
        LOG.info('Throttled (HTTP 429) by %s; sending it again in %.2f s '
                 '(%d of %d).', response.url, delay, attempt + 1,
                 THROTTLE_TRIES)
        sleep(delay)
        waited += delay
    return response


class Pace:
    """How fast one client sends, slowed down while the API throttles.

    As the ``adaptive`` retry mode of AWS's SDKs does, the client learns
    the rate the API allows: on a 429, the answers of the last second
    give the rate to keep to, and requests are then spaced to it; each
    other answer raises it a little (about one more request a second each
    second), until the next 429 lowers it again. Before any 429 nothing
    is spaced: the size of the pool alone bounds the requests under way.
    """

    WINDOW = 1.0  # seconds of answers that tell the rate allowed
    KEEP = 0.9  # of the rate measured, kept to after a 429

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self.rate = None  # requests a second; None: not throttled yet
        self._next = 0.0
        self._answers = collections.deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def wait_turn(self):
        """Wait until the next request may go."""
        with self._lock:
            if self.rate is None:
                return
            now = self._clock()
            turn = max(now, self._next)
            self._next = turn + 1 / self.rate
        if turn > now:
            self._sleep(turn - now)

    def slow_down(self):
        """A 429: keep to a little less than what got through."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            self.rate = max(1.0, self.KEEP * len(self._answers)
                            / self.WINDOW)
            self._next = max(self._next, now + 1 / self.rate)

    def speed_up(self):
        """An answer that was not a 429."""
        with self._lock:
            now = self._clock()
            self._answers.append(now)
            self._forget(now)
            if self.rate is not None:
                self.rate += 1 / self.rate

    def _forget(self, now):
        while self._answers and self._answers[0] < now - self.WINDOW:
            self._answers.popleft()
