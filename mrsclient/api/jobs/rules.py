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

"""What the API reference allows in a submission, checked before a request.

Every route checks them: :meth:`.v2.V2JobExecutions.submit` (the V2
body, adding_and_executing_a_job.rst) and
:meth:`.v11.V11JobExecutions.submit` (the V1.1 body of a cluster before
MRS 1.9.2, adding_a_job_and_executing_the_job.rst), so a bad submission
is one :class:`~mrsclient.api.exceptions.InvalidValue` and no request.
Each line names the field (``field`` of the error), never a
command-line option; what the slips of the pages decided is in
``doc/source/reference/decisions.rst``.

V2:

* ``job_type``: one of :data:`JOB_TYPES`;
* ``job_name``: 1 to 64 letters, digits, ``-`` and ``_``;
* ``arguments``: strings, at most 4,096 characters in all. The page also
  forbids ``;|&>'<$,``, but its own HiveSql and SparkSubmit examples use
  ``;``, ``'`` and ``$``: the examples win, the service judges those;
* ``properties``: string keys and values, at most 2,048 characters in
  all, none of the characters the page forbids there (``><|'`&!\\,``).

V1.1:

* ``job_type``: the codes of :data:`V11_TYPES`; the page marks HiveQL
  (4) and Spark SQL (7) "not supported currently", and has no Flink;
* ``jar_path`` for MapReduce and SparkSubmit, ending ``.jar`` (``.sql``
  for the scripts); ``hive_script_path`` for the scripts, ending
  ``.sql``; both start with ``/`` or ``s3a://``, at most 1,023
  characters, none of ``;|&><'$``;
* ``input``, ``output``, ``job_log``: the same start and length, none of
  ``;|&>'<$,``; ``file_action`` ``import`` or ``export``, for DistCp;
* ``arguments``: one string of at most 2,047 characters, none of
  ``;|&>'<$,``.
"""

import json
import re

from mrsclient.api import exceptions

# The V2 job types the API reference documents.
JOB_TYPES = ('MapReduce', 'SparkSubmit', 'HiveScript', 'HiveSql', 'DistCp',
             'SparkScript', 'SparkSql', 'Flink')
NAME = re.compile(r'[A-Za-z0-9_-]{1,64}')
FIELDS = ('job_type', 'job_name', 'arguments', 'properties')
MAX_ARGUMENTS = 4096
MAX_PROPERTIES = 2048
_PROPERTY_FORBIDDEN = set('><|\'`&!\\,')

# The V1.1 job types, by the V2 names, and their codes.
V11_TYPES = {'MapReduce': 1, 'SparkSubmit': 2, 'HiveScript': 3, 'DistCp': 5,
             'SparkScript': 6}
V11_FIELDS = ('job_type', 'job_name', 'cluster_id', 'jar_path', 'arguments',
              'input', 'output', 'job_log', 'file_action', 'hql',
              'hive_script_path')
MAX_PATH = 1023
MAX_V11_ARGUMENTS = 2047
_PROGRAM_FORBIDDEN = set(";|&><'$")
_DATA_FORBIDDEN = set(";|&>'<$,")


class Broken(exceptions.InvalidValue):
    """A rule a submission breaks; ``field`` is the field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def is_v11(body):
    """Whether ``body`` is V1.1's submission (its job type a code)."""
    kind = body.get('job_type')
    return isinstance(kind, int) and not isinstance(kind, bool)


def check_v2(body):
    """Raise :class:`Broken` for the first rule the V2 body breaks."""
    if body.get('job_type') not in JOB_TYPES:
        raise Broken(f'job_type {body.get("job_type")!r} is not one of '
                     f'{", ".join(JOB_TYPES)}.', 'job_type')
    _name(body)
    arguments = body.get('arguments', [])
    if not isinstance(arguments, list) or not all(
            isinstance(a, str) for a in arguments):
        raise Broken('arguments must be a list of strings.', 'arguments')
    if sum(map(len, arguments)) > MAX_ARGUMENTS:
        raise Broken(f'arguments hold more than {MAX_ARGUMENTS} '
                     'characters.', 'arguments')
    properties = body.get('properties', {})
    if not isinstance(properties, dict) or not all(
            isinstance(k, str) and isinstance(v, str)
            for k, v in properties.items()):
        raise Broken('properties must map names to string values.',
                     'properties')
    # Characters as the operator wrote them: "作业" is 2, not the 12 of
    # its JSON escapes.
    if len(json.dumps(properties, ensure_ascii=False)) > MAX_PROPERTIES:
        raise Broken(f'properties hold more than {MAX_PROPERTIES} '
                     'characters.', 'properties')
    for name, value in properties.items():
        bad = sorted(_PROPERTY_FORBIDDEN & set(name + value))
        if bad:
            # The value may be a secret: name the key and the characters.
            raise Broken(f'Property {name} holds {" ".join(bad)}, which MRS '
                         'does not allow in properties.', 'properties')


def check_v11(body):
    """Raise :class:`Broken` for the first rule the V1.1 body breaks."""
    code = body.get('job_type')
    if code not in V11_TYPES.values():
        raise Broken(f'job_type {code!r} is not one of '
                     f'{", ".join(map(str, V11_TYPES.values()))} ('
                     f'{", ".join(V11_TYPES)}).', 'job_type')
    _name(body)
    kind = next(k for k, v in V11_TYPES.items() if v == code)
    needed = {1: 'jar_path', 2: 'jar_path', 3: 'hive_script_path',
              6: 'hive_script_path', 5: 'file_action'}[code]
    if not body.get(needed):
        raise Broken(f'{kind} jobs need {needed}.', needed)
    for field, ending in (('jar_path', '.sql' if code in (3, 6) else '.jar'),
                          ('hive_script_path', '.sql')):
        if body.get(field):
            _path(field, body[field], _PROGRAM_FORBIDDEN, ending)
    for field in ('input', 'output', 'job_log'):
        if body.get(field):
            _path(field, body[field], _DATA_FORBIDDEN)
    if body.get('file_action') and body['file_action'] not in (
            'import', 'export'):
        raise Broken('file_action must be import or export.', 'file_action')
    _within('arguments', body.get('arguments') or '', MAX_V11_ARGUMENTS,
            _DATA_FORBIDDEN)


def _name(body):
    name = body.get('job_name')
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise Broken(f'job_name {name!r} must be 1 to 64 letters, digits, '
                     '"-" or "_".', 'job_name')


def _within(field, value, longest, forbidden):
    """At most ``longest`` characters, none of ``forbidden``."""
    if not isinstance(value, str):
        raise Broken(f'{field} must be a string.', field)
    if len(value) > longest:
        raise Broken(f'{field} holds more than {longest} characters.', field)
    bad = sorted(forbidden & set(value))
    if bad:
        raise Broken(f'{field} holds {" ".join(bad)}, which the V1.1 API '
                     'does not allow.', field)


def _path(field, value, forbidden, ending=None):
    if not isinstance(value, str) or not value.startswith(('/', 's3a://')):
        raise Broken(f'{field} must start with / or s3a://.', field)
    _within(field, value, MAX_PATH, forbidden)
    if ending and not value.lower().endswith(ending):
        raise Broken(f'{field} must end with {ending}.', field)
