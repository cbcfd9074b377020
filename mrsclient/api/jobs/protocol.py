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

"""What both job-execution APIs offer: the contract, declared once.

:class:`~mrsclient.api.jobs.v11.V11JobExecutions` (a project's job executions)
and
:class:`~mrsclient.api.jobs.v2.V2JobExecutions` (a cluster's jobs) both satisfy
:class:`JobExecutions`, so a caller never asks which one it has; a unit
test checks both against it. ``list`` takes each API's own query options
and is not part of it; V2 adds ``submit`` and ``sql_result``.

A *key* is a job's id (V1.1 job execution id, V2 job id). Every call
raises :class:`~mrsclient.api.exceptions.MrsError` subclasses only.
"""

import time
import typing


@typing.runtime_checkable
class JobExecutions(typing.Protocol):
    """The calls of a job-execution API."""

    #: ``'v1.1'`` or ``'v2'``
    version: str
    #: the states in which a job has ended
    TERMINAL: frozenset

    def show(self, key):
        """The job, as the service shows it (V1.1 with ``status``)."""

    def cancel(self, key, show=True):
        """Stop the job; the job as known then.

        With ``show`` false the caller will read the job itself (a wait
        follows), so no read is spent on it.

        :raises AlreadyEnded: the kill was refused and the job has ended
        :raises Unconfirmed: the kill's answer was lost and the job still
            runs: the kill may yet take effect
        """

    def delete(self, keys, parallel=1, progress=None, force=False):
        """Delete; ``[(keys, error)]`` for the parts that failed.

        On V2 (a V1.1 id sent on to it included), a job that has not
        ended fails as :class:`~mrsclient.api.exceptions.NotEnded` unless
        ``force``.

        ``progress(keys, answered)`` is told when each request goes out
        and when it is answered.
        """

    def gone(self, key):
        """True when the service says there is no such job."""

    def find(self, names_or_ids):
        """``{name: key or NameNotFound}`` for the values that are names."""

    def poll(self, key):
        """``(state, job)``: one read of a wait."""

    def wait(self, keys, timeout=None, interval=5.0, on_change=None,
             on_trouble=None, parallel=1, last=None, describe=str,
             clock=time.monotonic, sleep=time.sleep):
        """Follow the jobs to their end: ``(done, failed, timed_out)``.

        See :meth:`mrsclient.api.jobs.waiting.Waits.wait`.
        """

    def poll_many(self, keys, parallel=1):
        """``{key: (state, job) or MrsError}``: one round of a wait."""

    def state_of(self, job):
        """The job's state as one short line, or None."""

    def succeeded(self, job):
        """Whether the job ended well (it did its work)."""
