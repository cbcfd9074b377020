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

"""The simulator's state and its rules, without HTTP.

One :class:`Job` is one job execution. The V1.1 and V2 modules render it
in their own shapes; what a kill does to it is decided here. Time comes
from ``clock`` (seconds), so a test can move it.
"""

import datetime
import threading
import time
import uuid

DEFAULT_PASSWORD = 'secret'
# user -> (access key, secret key): fixed, as the password is.
ACCESS_KEYS = {'demo': ('MRSSIMULATORDEMOAK01', 'mrs-simulator-demo-sk'),
               'other': ('MRSSIMULATOROTHERAK1', 'mrs-simulator-other-sk')}
REGION = 'RegionOne'
# How long a temporary key (with its security token) lives, seconds.
DEFAULT_KEY_LIFE = 3600.0
DEFAULT_KILL_DELAY = 2.0
DEFAULT_JOB_DURATION = 3.0

# A job's phase; RUNNING until it ends one way or another. FINISHED_FAILED
# is YARN's usual end of a failed program: state FINISHED, result FAILED.
RUNNING, SUCCEEDED, FAILED, KILLED = 'RUNNING', 'SUCCEEDED', 'FAILED', \
    'KILLED'
FINISHED_FAILED = 'FINISHED_FAILED'

# Properties of a submitted job that say how it ends and when.
RESULT_PROPERTY = 'mrs.simulator.result'
DURATION_PROPERTY = 'mrs.simulator.duration'


class MrsError(Exception):
    """An MRS error answer: HTTP status and the api-ref's code."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self):
        return {'error_code': self.code, 'error_msg': self.message}


class Revoke(Exception):
    """The request answers 401 and the token's users can no longer log in."""


class AnswerLost(Exception):
    """The request took effect; a gateway answers ``status`` instead."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def took_effect(*jobs):
    """After a change: the gateway loses the answer if a job says so."""
    for job in jobs:
        if job.lose_answer:
            status, job.lose_answer = job.lose_answer, None
            raise AnswerLost(status)


# The api-ref's error-code table (appendix/error_code.rst).
def no_such_job():
    return MrsError(500, '0176', 'The job does not exist.')


def no_such_v2_job():
    return MrsError(500, '0201', 'The job does not exist.')


def no_such_cluster():
    return MrsError(400, '12000003', 'The cluster does not exist.')


class Cluster:
    def __init__(self, project_id, name, v2, key):
        self.id = str(uuid.uuid4())
        self.project_id = project_id
        self.name = name
        self.key = key  # its name in the inventory
        # MRS 1.9.2 and later: jobs only through the V2 API.
        self.v2 = v2
        # Its jobs (id -> job), those time may still change (a kill
        # asked for, a submitted job's run), and their order by
        # submission while no job is added or removed: a page of a
        # cluster of 100,000 jobs is a slice, not a scan.
        self.jobs = {}
        self.moving = set()
        self._order = None

    def add(self, job):
        self.jobs[job.id] = job
        self._order = None

    def remove(self, job):
        self.jobs.pop(job.id, None)
        self.moving.discard(job)
        self._order = None

    def by_submission(self):
        """Its jobs, first submitted first (ties by id)."""
        if self._order is None:
            self._order = sorted(
                self.jobs.values(),
                key=lambda job: (int(job.submitted * 1000), job.id))
        return self._order


class Job:
    """A job execution.

    :param stuck: a kill is accepted but never takes effect
    :param info_null: V1.1 shows ``info: null`` (the state is then only in
        the job-exe)
    :param lose_answer: the first cancel, kill or delete takes effect and
        its answer is this gateway status (502, 504) instead
    """

    def __init__(self, cluster, submitted, phase=RUNNING, name='wordcount',
                 job_type='MapReduce', stuck=False, info_null=False,
                 group=None, lose_answer=None):
        self.id = str(uuid.uuid4())
        self.template_id = str(uuid.uuid4())
        self.cluster = cluster
        self.name = name
        self.type = job_type
        self.submitted = submitted
        self.started = submitted + 1
        self.phase = phase
        self.ended = None if phase == RUNNING else submitted + 60
        self.kill_requested = None
        self.stuck = stuck
        self.info_null = info_null
        self.lose_answer = lose_answer
        self.group = group or phase.lower()
        self.arguments = ['obs://demo/program/wordcount.jar', 'wordcount',
                          'obs://demo/in', 'obs://demo/out']
        self.properties = {}
        # The fields of a V1.1 submission (jobs/submit-job), if it was one.
        self.submitted_v11 = None
        # A submitted job ends after this many seconds of running, in
        # this phase.
        self.runs_for = None
        self.ends_as = SUCCEEDED

    @property
    def project_id(self):
        return self.cluster.project_id

    def advance(self, now, kill_delay):
        """Apply what time has done: a kill takes effect, a job ends."""
        if self.phase != RUNNING:
            return
        killed_at = None if self.kill_requested is None or self.stuck \
            else self.kill_requested + kill_delay
        done_at = None if self.runs_for is None \
            else self.started + self.runs_for
        if killed_at is not None and now >= killed_at \
                and (done_at is None or killed_at <= done_at):
            self.phase, self.ended = KILLED, killed_at
        elif done_at is not None and now >= done_at:
            self.phase, self.ended = self.ends_as, done_at
        if self.phase != RUNNING:
            self.cluster.moving.discard(self)

    def end_now(self, now):
        """A running job ends at ``now`` as it would at its time."""
        if self.phase == RUNNING:
            self.runs_for = max(0, now - self.started)
            self.cluster.moving.add(self)

    def request_kill(self, now):
        """True when the kill is accepted: the job is still running."""
        if self.phase != RUNNING:
            return False
        if self.kill_requested is None:
            self.kill_requested = now
            self.cluster.moving.add(self)
        return True


class State:
    """Users, projects, tokens, clusters and jobs, behind one lock."""

    def __init__(self, password=DEFAULT_PASSWORD,
                 kill_delay=DEFAULT_KILL_DELAY, clock=time.time,
                 extra_jobs=0, job_duration=DEFAULT_JOB_DURATION, fleet=0,
                 key_life=DEFAULT_KEY_LIFE):
        self.lock = threading.Lock()
        self.password = password
        self.kill_delay = kill_delay
        self.job_duration = job_duration
        self.clock = clock
        self.projects = {'demo': uuid.uuid4().hex, 'other': uuid.uuid4().hex,
                         'fragile': uuid.uuid4().hex}
        # user name -> the project it has a role in
        self.users = {'demo': 'demo', 'other': 'other', 'fragile': 'fragile'}
        # Users who can no longer log in (see the "revoke" jobs).
        self.revoked = set()
        # Access key -> (secret key, user), as Huawei's SDKs sign with.
        self.access_keys = {ak: (sk, user)
                            for user, (ak, sk) in ACCESS_KEYS.items()}
        # Temporary access key -> (secret key, security token, expiry,
        # user), as IAM and an ECS agency hand them out.
        self.key_life = key_life
        self.temporary_keys = {}
        self.tokens = {}
        self.clusters = {}
        self.jobs = {}
        self.seed(extra_jobs, fleet)

    def _cluster(self, project, name, v2, key):
        cluster = Cluster(self.projects[project], name, v2, key)
        self.clusters[cluster.id] = cluster
        return cluster

    def _jobs(self, cluster, count, **kwargs):
        for index in range(count):
            submitted = self.clock() - 600 + 10 * len(self.jobs)
            job = Job(cluster, submitted, **kwargs)
            self.jobs[job.id] = job
            cluster.add(job)

    def seed(self, extra_jobs=0, fleet=0):
        v1 = self._cluster('demo', 'analytics', v2=False, key='v1')
        self._jobs(v1, 4)
        self._jobs(v1, 1, phase=SUCCEEDED)
        self._jobs(v1, 1, phase=KILLED)
        self._jobs(v1, 1, stuck=True, group='stuck')
        self._jobs(v1, 1, info_null=True, group='info_null')
        v2 = self._cluster('demo', 'analytics-v2', v2=True, key='v2')
        self._jobs(v2, 4, job_type='SparkSubmit', name='pi')
        # A running V2 job for V1.1 calls by its id (what a project-wide
        # list shows), of its own so that killing it disturbs no other.
        self._jobs(v2, 1, job_type='SparkSubmit', name='nightly',
                   group='v2_only')
        self._jobs(v2, 1, phase=SUCCEEDED, job_type='HiveSql', name='report')
        self._jobs(v2, 1, phase=FAILED, job_type='Flink', name='stream')
        self._jobs(v2, 1, stuck=True, group='stuck', name='pi')
        self._jobs(v2, 2, phase=FINISHED_FAILED, job_type='SparkSubmit',
                   name='etl')
        # Kills and cancels that take effect and lose their answer.
        self._jobs(v2, 2, lose_answer=504, group='lossy', name='lossy')
        self._jobs(v1, 2, lose_answer=502, group='lossy')
        # A second cluster named as the first: names are not unique.
        self._cluster('demo', 'analytics', v2=True, key='v2_twin')
        other = self._cluster('other', 'analytics', v2=False,
                              key='v1_other')
        self._jobs(other, 1, group='other_project')
        # Jobs to delete, in the other project, apart from what the demo
        # project's tests list and count.
        self._jobs(other, 4, phase=SUCCEEDED, group='other_scratch')
        self._jobs(other, 2, phase=SUCCEEDED, lose_answer=504,
                   group='lossy_scratch')
        scratch = self._cluster('other', 'scratch', v2=True, key='v2_other')
        self._jobs(scratch, 4, phase=SUCCEEDED, group='scratch')
        self._jobs(scratch, 2, phase=SUCCEEDED, lose_answer=504,
                   group='lossy_scratch')
        # A request on a "revoke" job answers 401 and its user can no
        # longer log in: what a token revoked halfway through looks like.
        fragile = self._cluster('fragile', 'fragile', v2=False,
                                key='v1_fragile')
        self._jobs(fragile, 1, phase=SUCCEEDED, group='revoke')
        self._jobs(fragile, 7, phase=SUCCEEDED, group='fragile')
        # For benchmarks: many ended jobs to delete (--extra-jobs), and a
        # V2 cluster of many running jobs (--fleet).
        # Their info is null, as in every example of the api-ref.
        self._jobs(v1, extra_jobs, phase=SUCCEEDED, group='extra',
                   info_null=True)
        if fleet:
            fleet_cluster = self._cluster('demo', 'fleet', v2=True,
                                          key='fleet')
            for index in range(fleet):
                self._jobs(fleet_cluster, 1, group='fleet',
                           name=f'fleet-{index}')

    def submit(self, cluster, name, job_type, arguments, properties):
        """A new job that runs for ``job_duration`` and then succeeds.

        The properties ``mrs.simulator.duration`` (seconds) and
        ``mrs.simulator.result`` (``FAILED``: it ends FINISHED with the
        result FAILED) change that.
        """
        job = Job(cluster, self.clock() - 1, name=name, job_type=job_type,
                  group='submitted')
        job.arguments, job.properties = list(arguments), dict(properties)
        try:
            job.runs_for = float(properties.get(DURATION_PROPERTY,
                                                self.job_duration))
        except ValueError:
            job.runs_for = self.job_duration
        if properties.get(RESULT_PROPERTY) == 'FAILED':
            job.ends_as = FINISHED_FAILED
        self.jobs[job.id] = job
        cluster.add(job)
        cluster.moving.add(job)
        return job

    def remove(self, job):
        """A deleted job: gone from the project and its cluster."""
        self.jobs.pop(job.id, None)
        job.cluster.remove(job)

    def job(self, job_id, project_id):
        """The job, as time has left it, if the project may see it."""
        job = self.jobs.get(job_id)
        if job is None or job.project_id != project_id:
            return None
        job.advance(self.clock(), self.kill_delay)
        return job

    def jobs_of(self, project_id, cluster=None):
        """The jobs of a project, or of one cluster by submission.

        Only jobs time may change are brought up to date.
        """
        now = self.clock()
        clusters = [cluster] if cluster is not None else [
            c for c in self.clusters.values() if c.project_id == project_id]
        for each in clusters:
            for job in list(each.moving):
                job.advance(now, self.kill_delay)
        if cluster is not None:
            return cluster.by_submission()
        return [job for job in self.jobs.values()
                if job.project_id == project_id]

    def temporary_key(self, user='demo'):
        """A new temporary key of ``user``: access, secret, token, expiry."""
        access = 'TMP' + uuid.uuid4().hex[:17].upper()
        secret, token = uuid.uuid4().hex, 'gQpzZXJ2' + uuid.uuid4().hex * 4
        expires = self.clock() + self.key_life
        self.temporary_keys[access] = (secret, token, expires, user)
        return {'access': access, 'secret': secret, 'securitytoken': token,
                'expires_at': datetime.datetime.fromtimestamp(
                    expires, datetime.timezone.utc).strftime(
                        '%Y-%m-%dT%H:%M:%S.%fZ')}

    def revoke(self, token):
        """The token and every user of its project: no more logins."""
        project_id = self.tokens.pop(token, None)
        for user, project in self.users.items():
            if self.projects[project] == project_id:
                self.revoked.add(user)

    def cluster(self, cluster_id, project_id):
        cluster = self.clusters.get(cluster_id)
        if cluster is None or cluster.project_id != project_id:
            raise no_such_cluster()
        return cluster

    def inventory(self, base_url):
        """What a client needs to know: endpoints, users, seeded ids.

        ``job_executions`` groups the V1.1-API jobs, ``jobs`` those of V2
        clusters (also reachable by V1.1 show and list, where a cancel
        answers 12000085).
        """
        v11, v2 = {}, {}
        for job in self.jobs.values():
            if job.cluster.v2:
                v2.setdefault(job.group, []).append(job.id)
                if job.group == 'v2_only':
                    v11['v2_only'] = [job.id]
            else:
                v11.setdefault(job.group, []).append(job.id)
        return {'auth_url': base_url + '/v3',
                'endpoint': base_url,
                'projects': self.projects,
                'password': self.password,
                'access_keys': {user: {'ak': ak, 'sk': sk} for user, (ak, sk)
                                in ACCESS_KEYS.items()},
                'clusters': {c.key: c.id for c in self.clusters.values()},
                'job_executions': v11,
                'jobs': v2}
