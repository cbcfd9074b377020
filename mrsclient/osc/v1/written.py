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

"""What an operator wrote for a submission: files read as written, values
as typed, and the one line for what does not do.

A file is JSON or YAML, read without YAML 1.1's typing; a value of a
file reaches the API as the text the operator wrote. Shared by the V2
(:mod:`.submission`) and V1.1 (:mod:`.submission_v11`) bodies.
"""

import json

from osc_lib import exceptions
import yaml


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


def require_type_and_name(parsed_args):
    """Without --body-file, --type and --name are needed."""
    missing = [option for option, value in (
        ('--type', parsed_args.type), ('--name', parsed_args.name))
        if not value]
    if missing:
        fail(f'Give {" and ".join(missing)} (or --body-file).')
