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

"""Waiting: poll jobs until each is in a final state or time is up.

:func:`wait_for` is the loop under
:meth:`mrsclient.api.jobs.executions.JobExecutions.wait`: it follows
several jobs at once under one deadline, holds on through an outage, and
takes its clock and sleep as arguments so that a test drives it without
waiting. (osc-lib's ``wait_for_status`` is deprecated, and waits for one
resource at a time.)
"""

import time

from mrsclient.api import exceptions


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a wait.

    ``pending`` maps each job not yet ended to its last state seen.
    """

    def __init__(self, pending):
        super().__init__()
        self.pending = pending


def wait_for(keys, poll, is_final, timeout, interval, report,
             last=None, clock=time.monotonic,
             sleep=time.sleep, describe=str, trouble=lambda *told: None):
    """Poll every key until its state is final or ``timeout`` has passed.

    A read that fails for a passing reason (an outage:
    :func:`mrsclient.api.exceptions.transient`) is tried again at the
    next round, until the deadline (without one, until the job ends); an
    answer that settles it (no such job, a refused login) ends that
    key's wait.

    :param poll: ``poll(keys) -> {key: (state, obj) or MrsError}``,
        one round for the keys not yet final (the API may answer them
        with one list)
    :param is_final: ``is_final(state) -> bool``
    :param report: ``report(key, old_state, new_state)`` on each change
        (``old_state`` None for the first state seen)
    :param trouble: ``trouble(key, error)`` when a key's reads start to
        fail for a passing reason, and ``trouble(key, None)`` when one
        works again
    :param last: the states known before waiting (key -> state)
    :param timeout: seconds, or None: until every key is final
    :param describe: ``describe(error)``, the one line of a failed poll
        (a command's words for it)
    :returns: ``(done, failed, timed_out)``: key -> final obj, key ->
        one-line message, and key -> ``(message, last obj or None)``, for
        every key. The wait ends at most one round of polls after the
        deadline.
    :raises Interrupted: on Ctrl-C, naming the jobs not yet ended
    """
    last = dict(last or {})
    pending = list(dict.fromkeys(keys))
    try:
        return _wait(pending, last, poll, is_final, timeout, interval,
                     report, clock, sleep, describe, trouble)
    except KeyboardInterrupt:
        raise Interrupted({key: last.get(key) for key in pending})


def _wait(pending, last, poll, is_final, timeout, interval, report,
          clock, sleep, describe, trouble):
    deadline = None if timeout is None else clock() + timeout
    done, failed, timed_out, seen = {}, {}, {}, {}
    # key -> the error of its last read, while its reads fail.
    failing = {}
    while True:
        polled = poll(list(pending))
        for key in list(pending):
            answer = polled.get(key) or exceptions.MrsError(
                f'No state of job execution {key} was read.')
            if isinstance(answer, Exception):
                if exceptions.transient(answer):
                    if key not in failing:
                        trouble(key, answer)
                    failing[key] = answer
                    continue
                failed[key] = describe(answer)
                pending.remove(key)
                continue
            if failing.pop(key, None) is not None:
                trouble(key, None)
            state, obj = answer
            seen[key] = obj
            if state != last.get(key):
                report(key, last.get(key), state)
                last[key] = state
            if is_final(state):
                done[key] = obj
                pending.remove(key)
        if not pending:
            return done, failed, timed_out
        remaining = interval if deadline is None else deadline - clock()
        if deadline is not None and remaining <= 0:
            for key in pending:
                message = (f'Timed out after {timeout:g} s waiting for job '
                           f'execution {key} to end; '
                           f'{_last_state(last.get(key))}')
                if key in failing:
                    message += ('; its last read failed: '
                                f'{describe(failing[key])}')
                timed_out[key] = (_sentence(message), seen.get(key))
            return done, failed, timed_out
        sleep(max(0, min(interval, remaining)))


def _last_state(state):
    return 'its state was never read' if state is None \
        else f'its last state was {state}'


def _sentence(text):
    return text if text.endswith('.') else text + '.'
