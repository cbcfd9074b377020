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

"""The jobs of a cluster, on the API that manages them.

A cluster of MRS 1.9.2 or later manages its jobs through V2
(:mod:`mrsclient.api.jobs.v2`); an older one answers V2 with ``0167`` and
manages them
through V1.1 (:mod:`mrsclient.api.jobs.v11`), by id, project-wide. Which one a
cluster is
costs a request to learn, so the V2 call is sent, and where it answers
``0167`` the same call goes to V1.1, and so does every later one: one
request more, said at INFO.

A list is followed as the project's V1.1 list of that cluster's jobs
(with a limit, and states, which V1.1 has; any other V2 filter cannot be
kept and is refused). A submission and the SQL results are not
followed: their V2 forms mean something else on V1.1, so their ``0167``
is raised.
(The other way, a V1.1 change of a job whose cluster only V2 manages,
``12000085``, is followed by :mod:`mrsclient.api.jobs.v11` itself.)
"""

import functools
import itertools
import logging
import threading

from mrsclient.api import exceptions
from mrsclient.api.jobs import v11
from mrsclient.api.jobs import v2

LOG = logging.getLogger(__name__)
OLD_CLUSTER = {'0167'}
# Calls by job id: the same on both APIs.
FOLLOWED = frozenset({'show', 'cancel', 'delete', 'gone', 'poll',
                      'poll_many'})


def _old(error):
    return isinstance(error, exceptions.ApiError) \
        and exceptions.has_code(error, OLD_CLUSTER)


class OnCluster:
    """A cluster's job API: V2, or V1.1 once the cluster says it is old.

    Everything else is the API's own: ``version``, ``TERMINAL``,
    ``state_of`` and ``model`` are V1.1's once the calls go there. (A
    cluster is old for every call or for none: the answers of a call are
    all of the API it uses once the call has returned.)
    """

    def __init__(self, client, cluster_id):
        self.client = client
        self.cluster_id = cluster_id
        self.api = v2.V2JobExecutions(client, cluster_id)
        # Calls at once (--parallel) may all learn it: one switch.
        self._lock = threading.Lock()

    def __getattr__(self, name):
        method = getattr(self.api, name)
        if name not in FOLLOWED:
            return method
        return functools.wraps(method)(
            lambda *args, **kwargs: self._followed(name, args, kwargs))

    def list(self, *args, **kwargs):
        """The cluster's jobs as a list: see :meth:`each`."""
        return list(self.each(*args, **kwargs))

    def each(self, limit=None, offset=None, sort=None, parallel=1,
             **filters):
        """The cluster's jobs: V2's list, or V1.1's of this cluster.

        On an old cluster (``0167`` before any job came) the project's
        V1.1 executions of this cluster are listed, at most ``limit``,
        in ``job_state`` (one state or several, as
        :mod:`~mrsclient.api.jobs.states` names them), in V1.1's fields.
        The other V2 filters raise
        :class:`~mrsclient.api.exceptions.InvalidValue` there.
        """
        if self.api.version == 'v2':
            try:
                yield from self.api.each(limit, offset, sort, parallel,
                                         **filters)
                return
            except exceptions.MrsError as exc:
                if not _old(exc):
                    raise
        kept = {k: v for k, v in filters.items() if v is not None}
        asked = kept.pop('job_state', None)
        refused = sorted(kept) + (['offset'] if offset is not None else []) \
            + (['sort'] if sort is not None else [])
        if refused:
            raise exceptions.InvalidValue(
                f'Cluster {self.cluster_id} runs an MRS version before '
                f'1.9.2, whose jobs are listed through the V1.1 API, which '
                f'has no filter {", ".join(refused)}.')
        wanted = {asked} if isinstance(asked, str) else set(asked or ())
        api = self.to_v11()
        found = (job for job in api.each(parallel=parallel,
                                         status=True)
                 if job.get('cluster_id') == self.cluster_id
                 and (not wanted or api.model(job).state in wanted))
        yield from itertools.islice(found, limit)

    def to_v11(self):
        """Send this (old) cluster's calls to V1.1 from now on; that API."""
        with self._lock:
            if self.api.version == 'v2':
                LOG.info('Cluster %s runs an MRS version before 1.9.2, '
                         'whose jobs the V1.1 API manages: sending its '
                         'requests there.', self.cluster_id)
                self.api = v11.V11JobExecutions(self.client)
            return self.api

    def _followed(self, name, args, kwargs):
        api = self.api
        try:
            answer = getattr(api, name)(*args, **kwargs)
        except exceptions.MrsError as exc:
            if api.version != 'v2' or not _old(exc):
                raise
            return getattr(self.to_v11(), name)(*args, **kwargs)
        if api.version != 'v2':
            return answer
        if name == 'delete':
            # [(ids, error)]: the parts that failed.
            old = [key for ids, error in answer if _old(error) for key in ids]
            if old:
                answer = [part for part in answer if not _old(part[1])] \
                    + self.to_v11().delete(old, *args[1:], **kwargs)
        elif name == 'poll_many':
            # {id: (state, job) or error}
            old = [key for key, value in answer.items() if _old(value)]
            if old:
                answer.update(self.to_v11().poll_many(old, *args[1:],
                                                      **kwargs))
        return answer
