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

"""Names for ids, as every OSC command resolves them.

A value shaped like an MRS id (a UUID) is taken as one without a request.
Any other value must be the id or the name of exactly one resource; a
name that matches none or several is one line (with the candidates' ids).
"""

import re

from mrsclient.api import exceptions

_UUID = re.compile(r'[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}')


def is_id(value):
    return bool(_UUID.fullmatch(value))


def pick(name_or_id, items, id_key, name_key, what, where):
    """The id of the one item with this id, or else this name."""
    for item in items:
        if item.get(id_key) == name_or_id:
            return name_or_id
    named = [str(item.get(id_key)) for item in items
             if item.get(name_key) == name_or_id]
    if len(named) == 1:
        return named[0]
    if not named:
        raise exceptions.NameNotFound(
            f'No {what} named {name_or_id!r} (or with that id) {where}.',
            name_or_id)
    raise exceptions.NameNotFound(
        f'{len(named)} {what}s are named {name_or_id!r} {where}: '
        f'{", ".join(named)}. Give the id.', name_or_id, named)
