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

"""The body of a V2 job submission, from options or files.

The rules of the API reference are the library's
(:mod:`mrsclient.api.jobs.rules`, which every route checks); they are
checked here too, as the options are read, so that a bad submission is
one line before the login and no request.

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

from mrsclient.api.jobs import rules
from mrsclient.osc.v1 import submission_v11
from mrsclient.osc.v1 import written

FIELDS = rules.FIELDS


def properties_of(pairs, path=None):
    """``--property-file`` first, then each ``--property key=value``."""
    properties = {}
    if path:
        loaded = written.read_file(path, '--property-file')
        if not isinstance(loaded, dict):
            written.fail(f'--property-file {path} must hold a mapping of '
                         'property names to values.')
        properties.update(
            {str(k): written.as_typed(
                v, f'Property {k} of --property-file {path}')
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
            written.fail(f'--body-file holds the whole job; do not add '
                         f'{", ".join(given)} (only --name and --type may '
                         'replace its own).')
        body = written.read_file(parsed_args.body_file, '--body-file')
        if not isinstance(body, dict):
            written.fail(f'--body-file {parsed_args.body_file} must hold a '
                         'JSON object.')
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
        written.require_type_and_name(parsed_args)
        body = {'job_type': parsed_args.type, 'job_name': parsed_args.name,
                'arguments': [*(parsed_args.args or ()),
                              *(parsed_args.program_args or ())]}
        properties = properties_of(parsed_args.properties,
                                   parsed_args.property_file)
        if properties:
            body['properties'] = properties
    check(body)
    return body


def check(body):
    """One line for the first rule of the API reference the body breaks."""
    try:
        rules.check_v2(body)
    except rules.Broken as broken:
        written.fail(str(broken))


def _typed_body(body, path):
    """The properties and arguments of a body file as written."""
    properties = body.get('properties')
    if isinstance(properties, dict):
        body['properties'] = {
            str(k): written.as_typed(v, f'Property {k} of --body-file {path}')
            for k, v in properties.items()}
    arguments = body.get('arguments')
    if isinstance(arguments, list):
        body['arguments'] = [
            written.as_typed(v, f'Argument {n} of --body-file {path}')
            for n, v in enumerate(arguments, 1)]


def _known_fields(body):
    """One line for a field the API does not know, and what it may mean."""
    for field in body:
        if field in FIELDS:
            continue
        close = difflib.get_close_matches(str(field), FIELDS, n=1)
        meant = f'; did you mean {close[0]}?' if close else \
            f' (the fields are {", ".join(FIELDS)}).'
        written.fail(f'{field}: not a field of a job{meant}')
