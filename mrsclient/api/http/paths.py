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

"""URLs of MRS: the service root, the project id, one segment per id.

An MRS endpoint may carry an API version and a project id (or its
template); requests are built as ``<root>/<version>/<project_id>/...``,
every value a caller gives quoted as exactly one path segment.
"""

import re
import urllib.parse

from mrsclient.api import exceptions

# Path segments that name an MRS API version in a catalog URL.
_VERSION_SEGMENT = re.compile(r'v\d+(\.\d+)?')
_PROJECT_TEMPLATES = ('%(project_id)s', '$(project_id)s')
# A project id as IAM and Keystone make them (32 hex digits), and what
# other clouds use: letters, digits, "-" and "_", one path segment.
_PROJECT_ID = re.compile(r'[A-Za-z0-9_-]{1,64}')


def checked_endpoint(endpoint):
    """``endpoint``, refused unless it is an absolute http(s) URL."""
    parsed = urllib.parse.urlsplit(endpoint.strip())
    if parsed.scheme not in ('http', 'https') or not parsed.netloc:
        raise exceptions.ConfigurationError(
            f'The MRS endpoint {endpoint!r} has no scheme: write '
            f'https://{endpoint.strip().lstrip("/")}.', 'no_scheme')
    return endpoint


def split_endpoint(endpoint):
    """Split an MRS endpoint URL into (service root, project id or None).

    Accepts every form seen in MRS catalogs: ``https://host``,
    ``https://host/v1.1``, ``https://host/v1.1/`` and
    ``https://host/v1.1/<project_id>`` (or ``/v2/<project_id>``). A project
    id that is still a template counts as none.
    """
    parsed = urllib.parse.urlsplit(endpoint.strip())
    segments = [s for s in parsed.path.split('/') if s]
    project_id = None
    for index in range(len(segments) - 1, -1, -1):
        if _VERSION_SEGMENT.fullmatch(segments[index]):
            rest = segments[index + 1:]
            if rest and rest[0] not in _PROJECT_TEMPLATES:
                project_id = urllib.parse.unquote(rest[0])
            segments = segments[:index]
            break
    path = '/'.join(segments)
    root = urllib.parse.urlunsplit(
        (parsed.scheme, parsed.netloc, '/' + path if path else '', '', ''))
    return root, project_id


def path_segment(value, what='id'):
    """Quote one value as exactly one URL path segment.

    Blank values are refused, and so are ``.`` and ``..``: HTTP libraries
    and servers resolve those as "this" and "parent" directory, so they can
    never reach a resource by that name.
    """
    if not isinstance(value, str) or not value.strip():
        raise exceptions.InvalidValue(f'The {what} must not be empty.')
    if value in ('.', '..'):
        raise exceptions.InvalidValue(
            f'{value!r} is not a valid {what}: it would name a directory, '
            'not a resource.')
    # surrogateescape gives back the exact bytes of an argument that was
    # not valid UTF-8 on the command line.
    raw = value.encode('utf-8', 'surrogateescape')
    return urllib.parse.quote(raw, safe='')


def checked_project_id(value, source):
    """``value``, refused unless it is a project id.

    It goes into every path as ``/{project_id}/``: ``..`` would climb out
    of it, ``abc/def`` add a segment, a space or a character outside
    ASCII be sent otherwise than signed. ``source`` says where it came
    from, for the line.
    """
    if not isinstance(value, str) or not _PROJECT_ID.fullmatch(value):
        raise exceptions.ConfigurationError(
            f'{exceptions.one_line(repr(value), 80)} ({source}) is not a '
            'project id: letters, digits, "-" and "_" only, as IAM gives '
            'them.', 'bad_project_id')
    return value
