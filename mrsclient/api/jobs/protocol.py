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

"""What a route offers: the contract of each API's calls, declared once.

A route speaks one API in its own fields:
:class:`~mrsclient.api.jobs.v11.V11JobExecutions` (a project's job
executions), :class:`~mrsclient.api.jobs.v2.V2JobExecutions` (a
cluster's jobs) and :class:`~mrsclient.api.jobs.routing.OnCluster` (V2,
or V1.1 for an old cluster) all satisfy :class:`Route`; a unit test
checks them against it. ``each`` takes each API's own query options and
is not part of it. Above the routes,
:class:`~mrsclient.api.jobs.executions.JobExecutions` turns their
answers into one model (``model``) and holds the rules.

A *key* is a job's id (V1.1 job execution id, V2 job id). Every call
raises :class:`~mrsclient.api.exceptions.MrsError` subclasses only.
"""

import typing


@typing.runtime_checkable
class Route(typing.Protocol):
    """The calls of a job-execution API, in its own fields."""

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

    def delete(self, keys, parallel=1, progress=None):
        """Delete, whatever the states: ``[(keys, error)]`` of failures.

        ``progress(keys, answered)`` is told when each request goes out
        and when it is answered.
        """

    def action(self, key, verb):
        """``Failed to <verb> <the job as this API names it>``."""

    def gone(self, key):
        """True when the service says there is no such job."""

    def find(self, names_or_ids):
        """``{name: key or NameNotFound}`` for the values that are names."""

    def poll(self, key):
        """``(state, job)``: one read of a wait."""

    def poll_many(self, keys, parallel=1):
        """``{key: (state, job) or MrsError}``: one round of a wait."""

    def model(self, job):
        """The job as a :class:`~mrsclient.api.jobs.model.JobExecution`."""

    def state_of(self, job):
        """The job's state as one short line, or None."""
