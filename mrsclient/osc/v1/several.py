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

"""Commands over several ids, as OSC's contract has them: every id
tried, each failure one line, ``N of M`` at the end, and Ctrl-C saying
what was sent.
"""

import contextlib
import logging

from osc_lib import exceptions

from mrsclient.api import exceptions as api_exceptions
from mrsclient.api.jobs import executions
from mrsclient.osc import errors
from mrsclient.osc.v1 import options

LOG = logging.getLogger(__name__)


def over_ids(app, parsed_args, verb, sending=None, hints=None):
    """``(api, outcome)`` of a command over ids."""
    api = options.job_executions(app, parsed_args)
    return api, Outcome(verb, parsed_args.job_executions, sending, hints)


class Outcome:
    """OSC's contract for a command over several ids.

    Every id is tried; each failure is one line on stderr (as it happens),
    and in the end ``N of M job executions failed to <verb>.`` is the
    command's error. With a single id its own failure is the one line.
    """

    def __init__(self, verb, ids, sending=None, hints=None):
        self.verb = verb
        # The command's own hints by error code (errors.line).
        self.hints = hints
        # What the requests do, for Ctrl-C's line (a wait's are shows).
        self.sending = sending or verb
        self.ids = ids
        self.total = len(ids)
        self.messages = []
        self.failed = 0
        # The outcomes that are not a failed request, counted apart: how
        # each job that ended badly ended, and where each wait timed out
        # left its job (None: never read).
        self.ended_badly = []
        self.still = []
        self.timeout = None
        # For Ctrl-C: the ids whose request went out, and those answered.
        self.sent = []
        self.answered = set()

    def take(self, outcomes, timeout=None):
        """``[(id, job)]`` to show of the library's outcomes, in order.

        A line for each that failed.

        A job that ended badly or whose wait timed out is shown as last
        read, and counted apart (``timeout``: the wait's).
        """
        shown = []
        for found in outcomes:
            error = found.error
            if isinstance(error, api_exceptions.EndedBadly):
                self.ended_badly_as(self.line(error), found.job.ending)
            elif isinstance(error, api_exceptions.TimedOut):
                self.time_out(str(error), error.state, timeout)
            elif error is not None:
                self.fail(self.line(error))
                continue
            if found.job is not None:
                shown.append((found.key, found.job))
        return shown

    def progress(self, keys, answered):
        """Requests for ``keys`` are going out, or have been answered."""
        if answered:
            self.answered.update(keys)
        else:
            self.sent.extend(keys)

    @contextlib.contextmanager
    def interruptible(self):
        """On Ctrl-C, one line: what was sent, what was not (exit 130)."""
        try:
            yield
        except executions.Interrupted:
            raise  # in a wait: its own lines name each job followed
        except KeyboardInterrupt:
            sent = list(dict.fromkeys(self.sent))
            done = [key for key in sent if key in self.answered]
            pending = [key for key in sent if key not in self.answered]
            unsent = [key for key in self.ids if key not in sent]
            parts = [f'answered: {", ".join(done)}' if done else '',
                     f'sent, no answer yet (it may still take effect): '
                     f'{", ".join(pending)}' if pending else '',
                     f'not sent: {", ".join(unsent)}' if unsent else '']
            LOG.error('Interrupted: %s of %s requests to %s were sent; %s.',
                      len(sent), len(self.ids), self.sending,
                      '; '.join(part for part in parts if part))
            raise

    def time_out(self, message, state=None, timeout=None):
        """One line for an id whose wait timed out (exit 124 alone).

        ``state``: the job's last state read (None: never read).
        """
        self.fail(message)
        self.still.append(state)
        self.timeout = timeout

    def ended_badly_as(self, message, state):
        """One line for a job that ended, but not well (``state``)."""
        self.fail(message)
        self.ended_badly.append(state)

    def line(self, error):
        """The one line of ``error``, with the command's hints."""
        return errors.line(error, self.hints)

    def fail(self, message, count=1):
        """One line for ``count`` ids that failed together."""
        self.messages.append(message)
        self.failed += count
        if self.total > 1:
            LOG.error(message)

    def error(self):
        """The command's error, or None."""
        if not self.messages:
            return None
        kind = TimedOut if len(self.still) == self.failed \
            else exceptions.CommandError
        if self.total == 1:
            return kind(self.messages[0])
        return kind(self.summary())

    def summary(self):
        """One sentence, one part per kind of outcome, each counted apart.

        "2 of 5 job executions failed to cancel; 1 of 5 ended badly
        (KILLED); 1 of 5 still RUNNING after 3 s."
        """
        after = '' if self.timeout is None else f' after {self.timeout:g} s'
        kinds = (
            (self.failed - len(self.ended_badly) - len(self.still),
             f'failed to {self.verb}'),
            (len(self.ended_badly),
             f'ended badly ({_states(self.ended_badly)})'),
            (len(self.still), f'still {_states(self.still)}{after}'))
        parts = []
        for count, what in kinds:
            if count:
                # The noun once, in the first part.
                noun = '' if parts else ' job executions'
                parts.append(f'{count} of {self.total}{noun} {what}')
        return '; '.join(parts) + '.'


def _states(states):
    """``RUNNING``, ``RUNNING, TOBEKILLED`` or ``not read``, counted."""
    counted = {}
    for state in states:
        name = 'not read' if state is None else str(state)
        counted[name] = counted.get(name, 0) + 1
    return ', '.join(name if count == 1 or len(counted) == 1
                     else f'{count} {name}'
                     for name, count in counted.items())


class TimedOut(exceptions.CommandError):
    """Every failure was a wait that timed out: the command exits 124."""
