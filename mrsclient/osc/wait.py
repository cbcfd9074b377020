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

"""``--wait``: poll jobs until each is in a final state or time is up.

osc-lib's ``wait_for_status`` is deprecated, and it waits for one
resource at a time; this loop follows several at once under one
deadline, and takes its clock and sleep as arguments so that a test
drives it without waiting.
"""

import time

from osc_lib import exceptions

from mrsclient.osc import errors


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a wait.

    ``pending`` maps each job not yet ended to its last state seen.
    """

    def __init__(self, pending):
        super().__init__()
        self.pending = pending


def wait_for(keys, poll, is_final, timeout, interval, report,
             last=None, clock=time.monotonic,
             sleep=time.sleep, describe=errors.line):
    """Poll every key until its state is final or ``timeout`` has passed.

    :param poll: ``poll(keys) -> {key: (state, obj) or MrsError}``,
        one round for the keys not yet final (the API may answer them
        with one list); a ``CommandError`` ends the wait for that key
        only
    :param is_final: ``is_final(state) -> bool``
    :param report: ``report(key, old_state, new_state)`` on each change
        (``old_state`` None for the first state seen)
    :param last: the states known before waiting (key -> state)
    :param timeout: seconds, or None: until every key is final
    :param describe: ``describe(error)``, the one line of a failed poll
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
                     report, clock, sleep, describe)
    except KeyboardInterrupt:
        raise Interrupted({key: last.get(key) for key in pending})


def _wait(pending, last, poll, is_final, timeout, interval, report,
          clock, sleep, describe):
    deadline = None if timeout is None else clock() + timeout
    done, failed, timed_out, seen = {}, {}, {}, {}
    while True:
        polled = poll(list(pending))
        for key in list(pending):
            answer = polled.get(key) or exceptions.CommandError(
                f'No state of job execution {key} was read.')
            if isinstance(answer, Exception):
                failed[key] = describe(answer)
                pending.remove(key)
                continue
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
        if remaining <= 0:
            for key in pending:
                timed_out[key] = (
                    f'Timed out after {timeout:g} s waiting for job execution '
                    f'{key} to end; its last state was {last.get(key)}.',
                    seen.get(key))
            return done, failed, timed_out
        sleep(min(interval, remaining))
