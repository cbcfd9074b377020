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
from mrsclient.api.http import concurrency
from mrsclient.osc import errors
from mrsclient.osc.v1 import options

LOG = logging.getLogger(__name__)


def over_ids(app, parsed_args, verb, sending=None):
    """``(api, outcome)`` of a command over ids, job names resolved."""
    api = options.job_executions(app, parsed_args)
    outcome = Outcome(verb, parsed_args.job_executions, sending)
    outcome.find(api)
    return api, outcome


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

    def find(self, api):
        """Turn job names into ids, with one list of the cluster's jobs.

        A name that matches no job or several is a failure of its own.
        """
        found = api.find(self.ids)
        ids = []
        for key in self.ids:
            value = found.get(key, key)
            if isinstance(value, api_exceptions.MrsError):
                self.fail(self.line(value))
            else:
                ids.append(value)
        self.ids = ids

    def each(self, action, parallel=1):
        """``[(id, action(id)), ...]`` for the ids where it worked.

        With ``parallel`` above 1, that many requests go at once; results
        and failures still come in the order of the ids.
        """
        def tracked(key):
            with concurrency.telling(self.progress, [key]):
                return action(key)

        worked = []
        with self.interruptible():
            for key, value, error in concurrency.each_in_order(
                    tracked, self.ids, parallel):
                if error is None:
                    worked.append((key, value))
                else:
                    self.fail(self.line(error))
        return worked

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
