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

"""A request that changes something, judged by what it was meant to do.

A cancel or a delete whose answer is lost (a gateway's 502, 503 or 504, a
timeout, a reset) may have taken effect. Sending it again blindly turns
a success into a failure: the second cancel finds the job killed
(``0160``), the second delete finds it gone (``0176``). So such a request
is sent once by the transport, and when its answer is lost the state of
the job decides: if what the operator asked for holds (the job has ended,
the job is gone), that is success, said at ``-v``. If not, a GET or
DELETE (the V1.1 cancel and delete) is sent again, at most ``TRIES``
times in all; a POST (the V2 kill and batch delete) is not, and its
failure stands. A submission is never sent again (it is not judged
here).

The other judgements of a job's state after a request that changes it
live here too: whether a job is gone, whether a refused kill found it
ended, and what a lost kill of a running job says.
"""

import logging

from mrsclient.api import exceptions

LOG = logging.getLogger(__name__)

# Sends of one state-changing request, at most.
TRIES = 3


def until_it_holds(send, holds, what, tries=TRIES):
    """``send()``; when its answer is lost, ``holds()`` judges.

    :param send: sends the request once; returns its result or raises an
        ``MrsError``
    :param holds: reads the state (reads are retried as usual); returns
        the result to give when what the operator asked for holds, else
        None
    :param what: e.g. "the cancel of job execution X", for the ``-v`` line
    :param tries: sends at most (1 for a POST)
    :returns: what ``send`` or ``holds`` returned
    :raises MrsError: the first failure, when the intent does not hold
        after ``TRIES`` sends or a refusal that was not a lost answer
    """
    first = None
    for attempt in range(tries):
        try:
            return send()
        except exceptions.MrsError as exc:
            first = first or exc
            # A refusal of the first send is the answer; after a lost
            # answer, a refusal (0160, 0176) may be the first send's doing.
            if attempt == 0 and not exceptions.answer_lost(exc):
                raise
            error = exc
        try:
            held = holds()
        except exceptions.MrsError:
            raise first
        if held is not None:
            LOG.info('The answer to %s was lost (%s); what it was to do '
                     'is done.', what, exceptions.one_line(first, 200))
            return held
        if not exceptions.answer_lost(error):
            raise error
        if attempt + 1 < tries:
            LOG.info('The answer to %s was lost (%s), and it has not taken '
                     'effect: sending it again.', what,
                     exceptions.one_line(error, 200))
    raise first


def is_gone(show, key):
    """True when ``show(key)`` says there is no such job; False if found."""
    try:
        show(key)
    except exceptions.ApiError as exc:
        if exceptions.has_code(exc, exceptions.NO_SUCH_JOB) \
                or exc.http_status == 404:
            return True
        raise
    return False


def already_ended(api, key, refused, action):
    """The error of a refused kill: the job's end if it has ended."""
    try:
        job = api.show(key)
    except exceptions.MrsError:
        return refused
    state = api.state_of(job)
    if state in api.TERMINAL:
        return exceptions.AlreadyEnded(
            f'{action}: it has already ended ({state}).', api.model(job))
    return refused.with_hint(
        f'MRS could not kill the job, which is {state}: retry the cancel.')


def unconfirmed(api, lost, job):
    """A lost kill whose job still runs: it may yet die (a wait tells)."""
    return exceptions.Unconfirmed(lost, api.model(job), api.state_of(job))
