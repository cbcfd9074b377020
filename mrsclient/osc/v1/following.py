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

"""``--wait`` and ``wait``: what the commands say while jobs are followed.

The wait is the library's
(:meth:`mrsclient.api.jobs.executions.JobExecutions.wait`), and so is the
judgement of how each job ended; here are its lines on stderr.
"""

import contextlib

from mrsclient.api.jobs import executions
from mrsclient.osc import progress


def waiter(parsed_args):
    """The library's :class:`~.executions.Waiter` of the options."""
    return executions.Waiter(interval=parsed_args.poll_interval,
                             timeout=parsed_args.timeout)


def callbacks(app, outcome, parsed_args, unread=()):
    """``{on_change, on_trouble}`` of a wait: its lines on stderr.

    A line for each change of state, and for a job whose reads start to
    fail for a passing reason (they are tried again every poll interval)
    and work again. The first state read of a job in ``unread`` is no
    change.
    """
    def say(text):
        progress.say(app, text)

    def report(key, old, new):
        if old is None and key in unread:
            return  # the first read of a job: nothing changed
        say(f'{key}: {old} -> {new}' if old is not None else f'{key}: {new}')

    until = 'until it ends' if parsed_args.timeout is None \
        else f'until the timeout ({parsed_args.timeout:g} s)'

    def trouble(key, error):
        if error is None:
            say(f'{key}: its state is read again.')
        else:
            say(f'{key}: could not read its state, trying again every '
                f'{parsed_args.poll_interval:g} s {until}: '
                f'{outcome.line(error)}')

    return {'on_change': report, 'on_trouble': trouble}


@contextlib.contextmanager
def interruptible(app):
    """On Ctrl-C in a wait, a line for each job still followed.

    It names the job's last state; the command ends (exit 130).
    """
    try:
        yield
    except executions.Interrupted as stop:
        # Said even under -q: the command ends without its output.
        for key, state in stop.pending.items():
            app.stderr.write(f'Stopped waiting for {key}; '
                             + ('its state was never read.\n'
                                if state is None
                                else f'its last state was {state}.\n'))
        app.stderr.flush()
        raise
