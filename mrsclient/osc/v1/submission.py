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

"""The body of a V2 job submission, from options or files, checked.

The rules of the api-ref (adding_and_executing_a_job.rst) are checked
before anything is sent, so a bad submission is one line and no request:

* ``job_type``: one of the documented types;
* ``job_name``: 1 to 64 letters, digits, ``-`` and ``_``;
* ``arguments``: strings, at most 4,096 characters in all. The page also
  forbids ``;|&>'<$,``, but its own HiveSql and SparkSubmit examples use
  ``;``, ``'`` and ``$``: the examples win, the service judges those;
* ``properties``: string keys and values, at most 2,048 characters in
  all, none of the characters the page forbids there (``><|'`&!\\,``).

Secrets belong in ``--property-file`` or ``--body-file``: a value typed
on the command line also shows in the shell's history, in ``ps``, and in
OSC's own ``--debug`` line that echoes the command line.

A job for a cluster before MRS 1.9.2 (V1.1) is :mod:`.submission_v11`'s.

``--body-file`` holds the whole job; ``--name`` and ``--type`` replace
its ``job_name`` and ``job_type`` (one file, several runs), and the other
options are refused beside it. A field the API does not know is named,
with the field it was probably meant to be; a file that does not parse
gives its line, column and reason.
"""

import difflib
import json
import re

from osc_lib import exceptions

from mrsclient.osc.v1.options import JOB_TYPES
from mrsclient.osc.v1 import submission_v11

NAME = re.compile(r'[A-Za-z0-9_-]{1,64}')
FIELDS = ('job_type', 'job_name', 'arguments', 'properties')
_PROPERTY_FORBIDDEN = set('><|\'`&!\\,')
MAX_ARGUMENTS = 4096
MAX_PROPERTIES = 2048


def fail(text):
    raise exceptions.CommandError(text)


class JsonNumber(str):
    """A JSON number, kept as the text written (``10``, ``1e3``)."""


def read_file(path, option):
    """A JSON or YAML file's document, its values as written.

    A file that starts with ``{`` or ``[`` is read as JSON, so that its
    error is JSON's; its numbers keep their text. Anything else is read
    as YAML without YAML 1.1's typing: every scalar is the text written
    (``022``, ``on``, ``12:30`` and ``1_000`` stay what they say). Either
    way an error names the line, the column and the reason.
    """
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except OSError as exc:
        fail(f'Cannot read {option} {path}: {exc.strerror}.')
    except UnicodeDecodeError:
        fail(f'{option} {path} is not UTF-8 text.')
    if text.lstrip()[:1] in ('{', '['):
        try:
            return json.loads(text, parse_int=JsonNumber,
                              parse_float=JsonNumber,
                              parse_constant=JsonNumber)
        except json.JSONDecodeError as exc:
            fail(f'{option} {path} is not valid JSON: line {exc.lineno}, '
                 f'column {exc.colno}: {exc.msg}.')
        except RecursionError:
            fail(f'{option} {path} is nested too deep.')
    import yaml

    try:
        # BaseLoader: strings, lists and mappings only, nothing typed.
        return yaml.load(text, Loader=yaml.BaseLoader)  # nosec
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        where = f': line {mark.line + 1}, column {mark.column + 1}' \
            if mark else ''
        problem = getattr(exc, 'problem', None) or 'not YAML'
        fail(f'{option} {path} is not valid JSON or YAML{where}: '
             f'{problem}.')


def as_typed(value, where):
    """A value of a file as the text the operator wrote.

    JSON's ``true``, ``false`` and numbers become their JSON text; a
    null, an object or a list has no one text, and is refused, naming
    ``where`` it is.
    """
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    kind = 'null' if value is None else \
        'a list' if isinstance(value, list) else 'an object'
    fail(f'{where} is {kind}: give its value as a string.')


def properties_of(pairs, path=None):
    """``--property-file`` first, then each ``--property key=value``."""
    properties = {}
    if path:
        loaded = read_file(path, '--property-file')
        if not isinstance(loaded, dict):
            fail(f'--property-file {path} must hold a mapping of '
                 'property names to values.')
        properties.update(
            {str(k): as_typed(v, f'Property {k} of --property-file {path}')
             for k, v in loaded.items()})
    properties.update(pairs or {})
    return properties


def body_of(parsed_args):
    """The request body from ``--body-file`` or from the options."""
    if parsed_args.body_file:
        given = [option for option, value in (
            ('--arg', parsed_args.args),
            ('arguments after --', parsed_args.program_args),
            ('--property', parsed_args.properties),
            ('--property-file', parsed_args.property_file)) if value]
        given += [f'--{name.replace("_", "-")}' for name in (
            *submission_v11.PATH_OPTIONS, 'file_action')
            if getattr(parsed_args, name) is not None]
        if given:
            fail(f'--body-file holds the whole job; do not add '
                 f'{", ".join(given)} (only --name and --type may '
                 'replace its own).')
        body = read_file(parsed_args.body_file, '--body-file')
        if not isinstance(body, dict):
            fail(f'--body-file {parsed_args.body_file} must hold a JSON '
                 'object.')
        if submission_v11.is_v11_body(body):
            return submission_v11.body_of(parsed_args, body)
        _known_fields(body)
        _typed_body(body, parsed_args.body_file)
        for field, value in (('job_type', parsed_args.type),
                             ('job_name', parsed_args.name)):
            if value:
                body[field] = value
    elif submission_v11.given(parsed_args):
        return submission_v11.body_of(parsed_args)
    else:
        require_type_and_name(parsed_args)
        body = {'job_type': parsed_args.type, 'job_name': parsed_args.name,
                'arguments': [*(parsed_args.args or ()),
                              *(parsed_args.program_args or ())]}
        properties = properties_of(parsed_args.properties,
                                   parsed_args.property_file)
        if properties:
            body['properties'] = properties
    check(body)
    return body


def require_type_and_name(parsed_args):
    """Without --body-file, --type and --name are needed."""
    missing = [option for option, value in (
        ('--type', parsed_args.type), ('--name', parsed_args.name))
        if not value]
    if missing:
        fail(f'Give {" and ".join(missing)} (or --body-file).')


def check(body):
    """One line for the first rule of the api-ref the body breaks."""
    if body.get('job_type') not in JOB_TYPES:
        fail(f'job_type {body.get("job_type")!r} is not one of '
             f'{", ".join(JOB_TYPES)}.')
    name = body.get('job_name')
    if not isinstance(name, str) or not NAME.fullmatch(name):
        fail(f'job_name {name!r} must be 1 to 64 letters, digits, "-" '
             'or "_".')
    arguments = body.get('arguments', [])
    if not isinstance(arguments, list) or not all(
            isinstance(a, str) for a in arguments):
        fail('arguments must be a list of strings.')
    if sum(map(len, arguments)) > MAX_ARGUMENTS:
        fail(f'arguments hold more than {MAX_ARGUMENTS} characters.')
    properties = body.get('properties', {})
    if not isinstance(properties, dict) or not all(
            isinstance(k, str) and isinstance(v, str)
            for k, v in properties.items()):
        fail('properties must map names to string values.')
    if len(json.dumps(properties)) > MAX_PROPERTIES:
        fail(f'properties hold more than {MAX_PROPERTIES} characters.')
    for name, value in properties.items():
        bad = sorted(_PROPERTY_FORBIDDEN & set(name + value))
        if bad:
            # The value may be a secret: name the key and the characters.
            fail(f'Property {name} holds {" ".join(bad)}, which MRS does '
                 'not allow in properties.')


def _typed_body(body, path):
    """The properties and arguments of a body file as written."""
    properties = body.get('properties')
    if isinstance(properties, dict):
        body['properties'] = {
            str(k): as_typed(v, f'Property {k} of --body-file {path}')
            for k, v in properties.items()}
    arguments = body.get('arguments')
    if isinstance(arguments, list):
        body['arguments'] = [
            as_typed(v, f'Argument {n} of --body-file {path}')
            for n, v in enumerate(arguments, 1)]


def _known_fields(body):
    """One line for a field the API does not know, and what it may mean."""
    for field in body:
        if field in FIELDS:
            continue
        close = difflib.get_close_matches(str(field), FIELDS, n=1)
        meant = f'; did you mean {close[0]}?' if close else \
            f' (the fields are {", ".join(FIELDS)}).'
        fail(f'{field}: not a field of a job{meant}')
