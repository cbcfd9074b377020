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

"""The MRS client: one object for a program's every MRS call.

:class:`MrsClient` is a keystoneauth ``Adapter``
(:class:`mrsclient.api.http.adapter.Adapter`: endpoint, project id,
requests, errors) that also finds clusters by name and gives the
job executions of a cluster, or of the project
(:mod:`mrsclient.api.jobs.executions`)::

    mrs = MrsClient(session, region_name='eu-de')
    jobs = mrs.job_executions('analytics')
"""

from mrsclient.api import exceptions
from mrsclient.api.http import adapter
from mrsclient.api.http import paths
from mrsclient.api.jobs import executions
from mrsclient.api.jobs import names
from mrsclient.api.jobs import routing
from mrsclient.api.jobs import v11

SERVICE_TYPE = adapter.SERVICE_TYPE
#: An endpoint's check, before any request (a cloud's setting).
checked_endpoint = paths.checked_endpoint
CLUSTER_PAGE_SIZE = 100
# The most clusters a name is looked up among: a server that pages on
# with new clusters past this (a project has far fewer) is not followed.
MAX_CLUSTERS = 10_000


class MrsClient(adapter.Adapter):
    """The endpoint, requests and errors, clusters and job executions."""

    def find_cluster(self, name_or_id):
        """The id of the cluster with this id or name (one request).

        A value shaped like an id is taken as one without a request.
        Otherwise ``cluster_infos`` is read, every page (at most
        ``MAX_CLUSTERS`` clusters), and the value must be the id or the
        name of exactly one cluster.
        """
        if names.is_id(name_or_id):
            return name_or_id
        url = self.url('v1.1', 'cluster_infos')
        action = f'Failed to find cluster {name_or_id}'
        clusters, known, page = [], set(), 1
        while True:
            found, body = self.get_page(
                url, 'clusters', action=action,
                params={'pageSize': CLUSTER_PAGE_SIZE, 'currentPage': page})
            fresh = [c for c in found if c.get('clusterId') not in known]
            known.update(c.get('clusterId') for c in fresh)
            clusters.extend(fresh)
            total = str(body.get('clusterTotal', ''))
            if not fresh or len(found) < CLUSTER_PAGE_SIZE or (
                    total.isdigit() and len(clusters) >= int(total)):
                break
            if len(clusters) >= MAX_CLUSTERS:
                raise exceptions.ListTooLong(action, MAX_CLUSTERS,
                                             'clusters')
            page += 1
        return names.pick(name_or_id, clusters, 'clusterId', 'clusterName',
                          'cluster', 'in this project')

    def job_executions(self, cluster=None):
        """The job executions of a cluster (name or id), else the project's.

        :class:`~mrsclient.api.jobs.executions.JobExecutions`: one model
        and one set of rules whichever API manages them.
        """
        return executions.JobExecutions(
            self, None if cluster is None else self.find_cluster(cluster))

    def route(self, cluster_id=None):
        """The API of a cluster's jobs, else the project's, in its fields.

        V2 on a cluster (a cluster of MRS before 1.9.2 followed to V1.1,
        :mod:`mrsclient.api.jobs.routing`), else V1.1: the one place where
        a cluster selects the V2 API.
        """
        if cluster_id is None:
            return v11.V11JobExecutions(self)
        return routing.OnCluster(self, cluster_id)
