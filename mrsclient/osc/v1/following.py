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

"""``--wait`` and ``wait``: follow jobs to their end, and judge it.

The loop is the library's (:mod:`mrsclient.api.jobs.waiting`); here is
what the commands say while it runs and when it ends.
"""

from mrsclient.api.http import answers
from mrsclient.api.jobs import waiting
from mrsclient.api import secret_names
from mrsclient.osc import progress


def wait(app, api, jobs, outcome, parsed_args):
    """Follow ``[(id, job)]`` to final states; failures go to outcome.

    A job given as None is first read by the wait itself (so an outage
    then is waited out too). Each change of state is a line on stderr,
    and so is a job whose reads start to fail for a passing reason (they
    are tried again every poll interval) and its reads working again.
    Returns ``(shown, ended)``: ``[(id, job)]`` of the jobs to show
    (those that ended, and those the timeout left as they were last
    read), and of those that ended, in the order given. A timeout is the
    outcome's own kind of failure (exit 124). On Ctrl-C, one line on
    stderr names each job still followed and its last state, and the
    command ends (exit 130).
    """
    unread = {key for key, job in jobs if job is None}

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

    try:
        parallel = getattr(parsed_args, 'parallel', 1)
        done, failed, timed_out = api.wait(
            [key for key, _ in jobs], timeout=parsed_args.timeout,
            interval=parsed_args.poll_interval, on_change=report,
            on_trouble=trouble, parallel=parallel, describe=outcome.line,
            last={key: api.state_of(job) for key, job in jobs
                  if job is not None})
    except waiting.Interrupted as stop:
        # Said even under -q: the command ends without its output.
        for key, state in stop.pending.items():
            app.stderr.write(f'Stopped waiting for {key}; '
                             + ('its state was never read.\n'
                                if state is None
                                else f'its last state was {state}.\n'))
        app.stderr.flush()
        raise
    shown = []
    for key, job in jobs:
        if key in failed:
            outcome.fail(failed[key])
        elif key in timed_out:
            message, last = timed_out[key]
            last = last or job  # as last read, or as given
            outcome.time_out(message, timeout=parsed_args.timeout,
                             state=api.state_of(last) if last else None)
            if last:
                shown.append((key, last))
        else:
            shown.append((key, done[key]))
    return shown, [(key, done[key]) for key, _ in jobs if key in done]


def judge_ends(api, ended, outcome):
    """One failure for each job of ``[(id, job)]`` that did not end well.

    Ended well: V2 FINISHED with the result SUCCEEDED; V1.1 SUCCEEDED.
    """
    for key, job in ended:
        if not api.succeeded(job):
            line = f'{what(api, key)} ended {ending(api, job)}'
            look = where_to_look(job)
            outcome.ended_badly_as(f'{line}; {look}.' if look
                                   else f'{line}.', brief_ending(api, job))


def where_to_look(job):
    """How long a job ran and where its logs are, from what it carries.

    V2's ``elapsed_time`` (milliseconds) and ``tracking_url`` (YARN's
    page of the application), else its ``app_id``; None when the job
    carries none of them. As the service sent them, secrets masked.
    """
    parts = []
    elapsed = job.get('elapsed_time')
    if isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool) \
            and elapsed > 0:
        parts.append(f'it ran {_span(elapsed / 1000)}')
    for field, words in (('tracking_url', 'its logs'),
                         ('app_id', 'its YARN application')):
        value = job.get(field)
        if isinstance(value, str) and value.strip():
            shown = secret_names.mask_text(answers.one_line(value, 300))
            parts.append(f'{words}: {shown}')
            break
    return ', '.join(parts) or None


def _span(seconds):
    """``1h 2m``, ``3m 12s``, ``45s``."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f'{hours}h {minutes}m'
    return f'{minutes}m {seconds}s' if minutes else f'{seconds}s'


def what(api, key):
    """A job as a line names it: with its cluster on V2."""
    if api.version == 'v2':
        return f'Job {key} of cluster {api.cluster_id}'
    return f'Job execution {key}'


def brief_ending(api, job):
    """How a job ended, for a summary: ``KILLED``, ``FINISHED/FAILED``."""
    state = api.state_of(job)
    if api.version == 'v2':
        result = answers.state_name(job.get('job_result'))
        if result not in (state, None, 'UNDEFINED'):
            return f'{state}/{result}'
    return str(state)


def ending(api, job):
    """How a job ended, as a line says it."""
    if api.version == 'v2':
        result = answers.state_name(job.get('job_result'))
        return f'{api.state_of(job)} with the result {result}'
    return str(api.state_of(job))
