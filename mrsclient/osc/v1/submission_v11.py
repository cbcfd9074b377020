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

The page's rules are the library's (:mod:`mrsclient.api.jobs.rules`);
its lines name a field, and here the option that gives it too.
"""

from mrsclient.api.jobs import rules
from mrsclient.osc.v1 import written

# The V2 type names the command takes, and their V1.1 codes.
TYPES = rules.V11_TYPES
# option -> field of the V1.1 body
PATH_OPTIONS = {'jar': 'jar_path', 'hive_script': 'hive_script_path',
                'input': 'input', 'output': 'output', 'job_log': 'job_log'}
FIELDS = rules.V11_FIELDS
# Fields only a V1.1 body has: one of them makes a body file V1.1.
OWN_FIELDS = frozenset(FIELDS) - {'job_type', 'job_name', 'arguments'}


def _fail(text):
    written.fail(text)


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
        or isinstance(body.get('job_type'), written.JsonNumber)
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
        written.require_type_and_name(parsed_args)
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
            body[field] = written.as_typed(
                value, f'{field} of --body-file {path}')
    return body


def check(body):
    """One line for the first rule of the page the body breaks."""
    try:
        rules.check_v11(body)
    except rules.Broken as broken:
        line = str(broken)
        if broken.field:
            # The field first, and the option that gives it.
            line = line.replace(broken.field, _option(broken.field), 1)
        _fail(line)
