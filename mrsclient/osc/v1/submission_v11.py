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

"""The body of a V1.1 submission, for a cluster before MRS 1.9.2, checked.

Such a cluster takes jobs only through ``POST /v1.1/{project_id}/jobs/
submit-job`` (adding_a_job_and_executing_the_job.rst), in fields of its
own: the program's path (``jar_path``, ``hive_script_path``), the data's
(``input``, ``output``, ``job_log``, ``file_action``) and the arguments
as one string. A submission is V1.1 when it gives any of those, as
options (``--jar``, ``--hive-script``, ``--input``, ``--output``,
``--job-log``, ``--file-action``) or in ``--body-file``. Nothing is
translated from a V2 job: a path or an argument reaches the API as
written.

The page's rules, checked before anything is sent:

* ``job_type``: MapReduce (1), SparkSubmit (2, "Spark"), HiveScript (3),
  DistCp (5), SparkScript (6); the page marks HiveQL (4) and Spark SQL
  (7) "not supported currently", and has no Flink. A body file gives the
  code, as the API takes it (an Integer: a JSON number, or the same
  digits as text, which is all a YAML file holds);
* ``jar_path`` for MapReduce and SparkSubmit, ending ``.jar`` (``.sql``
  for the scripts); ``hive_script_path`` for the scripts, ending
  ``.sql``; both start with ``/`` or ``s3a://``, at most 1,023
  characters, none of ``;|&><'$``;
* ``input``, ``output``, ``job_log``: the same start and length, none of
  ``;|&>'<$,``; ``file_action`` ``import`` or ``export``, for DistCp;
* ``arguments``: one string of at most 2,047 characters, none of
  ``;|&>'<$,``. The words of ``--arg`` and of ``--`` are joined by one
  space, so a word with a space in it is refused: it could not arrive
  as one word;
* no properties: the V1.1 API has none.
"""

from mrsclient.osc.v1 import submission

# The V2 type names the command takes, and their V1.1 codes.
TYPES = {'MapReduce': 1, 'SparkSubmit': 2, 'HiveScript': 3, 'DistCp': 5,
         'SparkScript': 6}
# option -> field of the V1.1 body
PATH_OPTIONS = {'jar': 'jar_path', 'hive_script': 'hive_script_path',
                'input': 'input', 'output': 'output', 'job_log': 'job_log'}
FIELDS = ('job_type', 'job_name', 'cluster_id', 'jar_path', 'arguments',
          'input', 'output', 'job_log', 'file_action', 'hql',
          'hive_script_path')
# Fields only a V1.1 body has: one of them makes a body file V1.1.
OWN_FIELDS = frozenset(FIELDS) - {'job_type', 'job_name', 'arguments'}
MAX_PATH = 1023
MAX_ARGUMENTS = 2047
_PROGRAM_FORBIDDEN = set(";|&><'$")
_DATA_FORBIDDEN = set(";|&>'<$,")


def _fail(text):
    submission.fail(text)


def _option(field):
    """How the operator names a field: its option, where it has one."""
    for option, name in PATH_OPTIONS.items():
        if name == field:
            return f'{field} (--{option.replace("_", "-")})'
    return {'file_action': 'file_action (--file-action)'}.get(field, field)


def given(parsed_args):
    """Whether the options ask for a V1.1 submission."""
    return parsed_args.file_action is not None or any(
        getattr(parsed_args, option) is not None for option in PATH_OPTIONS)


# The codes as written: a JSON number's text, a YAML scalar (all text
# under BaseLoader) or a JSON string. Exactly these digits: "01" or a
# full-width "１" is not a code.
_CODES = {str(code): code for code in TYPES.values()}


def is_v11_body(body):
    """Whether a body file holds the V1.1 fields (or a V1.1 code)."""
    return isinstance(body, dict) and (
        bool(OWN_FIELDS & set(body))
        or isinstance(body.get('job_type'), submission.JsonNumber)
        or body.get('job_type') in _CODES)


def body_of(parsed_args, loaded=None):
    """The V1.1 body from the options, or ``loaded`` from --body-file."""
    if parsed_args.properties or parsed_args.property_file:
        _fail('A V1.1 job (--jar, --hive-script, --input, --output, '
              '--job-log, --file-action) takes no properties: drop '
              '--property and --property-file.')
    if loaded is not None:
        body = _from_file(loaded, parsed_args.body_file)
        if parsed_args.type:
            body['job_type'] = _code(parsed_args.type)
        if parsed_args.name:
            body['job_name'] = parsed_args.name
    else:
        submission.require_type_and_name(parsed_args)
        body = {'job_type': _code(parsed_args.type),
                'job_name': parsed_args.name,
                'arguments': _joined([*(parsed_args.args or ()),
                                      *(parsed_args.program_args or ())])}
        for option, field in PATH_OPTIONS.items():
            if getattr(parsed_args, option) is not None:
                body[field] = getattr(parsed_args, option)
        if parsed_args.file_action is not None:
            body['file_action'] = parsed_args.file_action
    check(body)
    return body


def _code(type_name):
    if type_name not in TYPES:
        _fail(f'{type_name} jobs cannot be given to a cluster before MRS '
              f'1.9.2: its V1.1 API takes {", ".join(TYPES)}.')
    return TYPES[type_name]


def _joined(words):
    for word in words:
        if not word or any(c.isspace() for c in word):
            _fail(f'The V1.1 API takes the arguments as one string of '
                  f'words: {word!r} is not one word.')
    return ' '.join(words)


def _from_file(loaded, path):
    """A V1.1 body file's fields, as written; a code stays a number."""
    body = {}
    for field, value in loaded.items():
        if field not in FIELDS:
            _fail(f'{field}: not a field of a V1.1 job (the fields are '
                  f'{", ".join(FIELDS)}).')
        if field == 'job_type':
            if not isinstance(value, str) or value not in _CODES:
                _fail(f'job_type of --body-file {path} is a V1.1 job\'s '
                      f'code: one of {", ".join(_CODES)}.')
            body[field] = _CODES[value]
        else:
            body[field] = submission.as_typed(
                value, f'{field} of --body-file {path}')
    return body


def check(body):
    """One line for the first rule of the api-ref the body breaks."""
    code = body.get('job_type')
    if code not in TYPES.values():
        _fail(f'job_type {code!r} is not one of '
              f'{", ".join(map(str, TYPES.values()))} ('
              f'{", ".join(TYPES)}).')
    name = body.get('job_name')
    if not isinstance(name, str) or not submission.NAME.fullmatch(name):
        _fail(f'job_name {name!r} must be 1 to 64 letters, digits, "-" '
              'or "_".')
    kind = next(k for k, v in TYPES.items() if v == code)
    needed = {1: 'jar_path', 2: 'jar_path', 3: 'hive_script_path',
              6: 'hive_script_path', 5: 'file_action'}[code]
    if not body.get(needed):
        _fail(f'{kind} jobs need {_option(needed)}.')
    for field, ending in (('jar_path', '.sql' if code in (3, 6) else '.jar'),
                          ('hive_script_path', '.sql')):
        if body.get(field):
            _path(field, body[field], _PROGRAM_FORBIDDEN, ending)
    for field in ('input', 'output', 'job_log'):
        if body.get(field):
            _path(field, body[field], _DATA_FORBIDDEN)
    if body.get('file_action') and body['file_action'] not in (
            'import', 'export'):
        _fail(f'{_option("file_action")} must be import or export.')
    _within('arguments', body.get('arguments') or '', MAX_ARGUMENTS,
            _DATA_FORBIDDEN)


def _within(what, value, longest, forbidden):
    """At most ``longest`` characters, none of ``forbidden``."""
    if len(value) > longest:
        _fail(f'{what} holds more than {longest} characters.')
    bad = sorted(forbidden & set(value))
    if bad:
        _fail(f'{what} holds {" ".join(bad)}, which the V1.1 API does not '
              'allow.')


def _path(field, value, forbidden, ending=None):
    what = _option(field)
    if not value.startswith(('/', 's3a://')):
        _fail(f'{what} must start with / or s3a://.')
    _within(what, value, MAX_PATH, forbidden)
    if ending and not value.lower().endswith(ending):
        _fail(f'{what} must end with {ending}.')
