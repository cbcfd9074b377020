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

"""One job execution, whichever API manages it.

A :class:`JobExecution` is a read-only mapping of its columns, the same
names with the same meaning and format on V1.1 and V2:

* Where the V1.1 cancel example (the page this project started from)
  has a field, its name is the column, and V2's field of the same
  meaning is shown under it: ``id`` (V2 ``job_id``), ``cluster_id`` (on
  V2 the cluster asked), ``created_at`` (V2 ``submitted_time``),
  ``start_time`` (``started_time``), ``end_time`` (``finished_time``).
* What that example lacks has one name on both: ``name`` (V2
  ``job_name``; V1.1 executions have none), ``state`` and ``result``
  (:mod:`.states`).
* A field only one API has keeps its own name (V2 ``job_type``,
  ``user``, ``elapsed_time``, ``properties`` ...; V1.1 ``job_id``, the job
  *template*'s id, ``info``, ``job_configs`` ...), and so does any field
  no document names; one whose name is a column of another meaning is
  kept in :attr:`JobExecution.raw` only.

Times are V1.1's form, ``2017-05-25T07:28:12`` (UTC): V1.1's as it sends
them, V2's milliseconds written so (to the second); 0 or null is "not
yet", None. The attributes ``submitted_at``, ``started_at`` and
``ended_at`` are the same times as timezone-aware datetimes.
"""

from collections import abc
import datetime

from mrsclient.api.http import answers
from mrsclient.api.jobs import states

#: The columns every job has, on both APIs (None where its API has none).
COMMON = ('id', 'name', 'cluster_id', 'state', 'result', 'created_at',
          'start_time', 'end_time')
# V2 field -> column, where they differ (api-ref
# querying_information_about_a_job).
_FROM_V2 = {'job_id': 'id', 'job_name': 'name', 'job_state': 'state',
            'job_result': 'result', 'submitted_time': 'created_at',
            'started_time': 'start_time', 'finished_time': 'end_time'}
#: V2's documented fields with no V1.1 counterpart, in its order.
V2_OWN = ('job_type', 'job_progress', 'user', 'queue', 'elapsed_time',
          'arguments', 'properties', 'launcher_id', 'app_id')
#: V1.1's documented fields beyond :data:`COMMON`, in its example's order.
V11_OWN = ('job_id', 'tenant_id', 'info', 'return_code', 'updated_at',
           'engine_job_id', 'oozie_job_id', 'input_id', 'output_id',
           'data_source_urls', 'job_configs', 'is_protected', 'is_public')
#: Every documented column.
DOCUMENTED = frozenset(COMMON + V2_OWN + V11_OWN)
#: Columns that hold a job's data, whose secret-named keys are masked
#: when shown.
HOLDS_SECRETS = frozenset({'arguments', 'properties', 'job_configs'})
#: The columns that hold times.
TIMES = frozenset({'created_at', 'start_time', 'end_time', 'updated_at'})
#: What ``list`` shows by default, on both APIs.
LISTED = ('id', 'name', 'cluster_id', 'state', 'result')
# The V1.1 route's own field: the state it read (info.status or the
# job-exe's), shown as ``state``.
_V11_STATE = 'status'
_TIME_FORM = '%Y-%m-%dT%H:%M:%S'


class JobExecution(abc.Mapping):
    """A job execution: its columns, and what they mean.

    Make one with :meth:`from_v11` or :meth:`from_v2`.
    """

    def __init__(self, columns, raw, own):
        self._columns = columns
        #: The job as its API sent it (V1.1 with the route's ``status``).
        self.raw = raw
        # The API's own columns, for what only one API tells.
        self._own = own

    @classmethod
    def from_v11(cls, raw):
        """A V1.1 job execution (with the ``status`` its route read)."""
        word = answers.state_name(raw.get(_V11_STATE))
        state, result = states.from_v11(word)
        columns = {name: raw.get(name) for name in COMMON}
        columns.update(name=None, state=state, result=result)
        columns.update(_own(raw, V11_OWN, (_V11_STATE,)))
        return cls(columns, raw, V11_OWN)

    @classmethod
    def from_v2(cls, raw, cluster_id):
        """A job of cluster ``cluster_id``, as V2 sent it."""
        columns = dict.fromkeys(COMMON)
        for field, column in _FROM_V2.items():
            columns[column] = raw.get(field)
        columns['cluster_id'] = cluster_id
        columns['state'] = answers.state_name(columns['state'])
        columns['result'] = answers.state_name(columns['result'])
        for name in ('created_at', 'start_time', 'end_time'):
            columns[name] = _written(columns[name])
        columns.update(_own(raw, V2_OWN, _FROM_V2))
        return cls(columns, raw, V2_OWN)

    @classmethod
    def known(cls, key, state, cluster_id=None):
        """A job known only by its id and state (its read was not made)."""
        columns = dict.fromkeys(COMMON)
        columns.update(id=key, cluster_id=cluster_id, state=state,
                       result='UNDEFINED' if state else None)
        return cls(columns, {}, ())

    # The mapping: its columns, in the order show prints them.
    def __getitem__(self, name):
        return self._columns[name]

    def __iter__(self):
        return iter(self._columns)

    def __len__(self):
        return len(self._columns)

    def __repr__(self):
        return f'<JobExecution {self.id} {self.state}>'

    @property
    def id(self):
        return self._columns['id']

    @property
    def name(self):
        return self._columns['name']

    @property
    def cluster_id(self):
        return self._columns['cluster_id']

    @property
    def state(self):
        """:mod:`.states`' word, or None where it could not be read."""
        return self._columns['state']

    @property
    def result(self):
        return self._columns['result']

    @property
    def has_ended(self):
        return states.ended(self.state)

    @property
    def ended_well(self):
        return states.ended_well(self.state, self.result)

    @property
    def submitted_at(self):
        return _moment(self._columns['created_at'])

    @property
    def started_at(self):
        return _moment(self._columns['start_time'])

    @property
    def ended_at(self):
        return _moment(self._columns['end_time'])

    @property
    def ran_for(self):
        """How long it ran (a timedelta), or None where nothing says."""
        elapsed = self._columns.get('elapsed_time')
        if _number(elapsed) and elapsed > 0:
            return datetime.timedelta(milliseconds=elapsed)
        if self.started_at and self.ended_at \
                and self.ended_at >= self.started_at:
            return self.ended_at - self.started_at
        return None

    @property
    def arguments(self):
        """The program's arguments (V1.1: ``job_configs.args``)."""
        if 'arguments' in self._own:
            return self._columns.get('arguments')
        return _inside(self._columns.get('job_configs'), 'args')

    @property
    def properties(self):
        """Its properties (V1.1: ``job_configs.configs``)."""
        if 'properties' in self._own:
            return self._columns.get('properties')
        return _inside(self._columns.get('job_configs'), 'configs')

    @property
    def logs(self):
        """Where its logs are: a ``(what, where)`` pair, or None.

        YARN's page (``tracking_url``), else its YARN application (V2
        ``app_id``, V1.1 ``engine_job_id``).
        """
        for field, what in (('tracking_url', 'its logs'),
                            ('app_id', 'its YARN application'),
                            ('engine_job_id', 'its YARN application')):
            value = self._columns.get(field)
            if isinstance(value, str) and value.strip():
                return what, value
        return None

    @property
    def ending(self):
        """How it ended, briefly: ``KILLED``, ``FINISHED/FAILED``."""
        if self.result not in (self.state, None, 'UNDEFINED') \
                and not self.ended_well:
            return f'{self.state}/{self.result}'
        return str(self.state)


def _own(raw, documented, taken):
    """The API's own fields: the documented ones, then any other sent.

    A field named as a column of another meaning stays in ``raw`` only.
    """
    found = {name: raw.get(name) for name in documented}
    for name, value in raw.items():
        if name not in found and name not in taken \
                and name not in DOCUMENTED:
            found[name] = value
    return found


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _written(millis):
    """V2's epoch milliseconds in V1.1's form; None for 0 or null.

    A value no clock can hold is shown as it came.
    """
    if millis in (0, None):
        return None
    if not _number(millis) or millis < 0:
        return millis
    try:
        return datetime.datetime.fromtimestamp(
            millis / 1000, datetime.timezone.utc).strftime(_TIME_FORM)
    except (OverflowError, OSError, ValueError):
        return millis


def _moment(text):
    """A column's time as an aware datetime (UTC unless it says)."""
    if not isinstance(text, str):
        return None
    try:
        found = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=datetime.timezone.utc)
    return found


def _inside(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None
