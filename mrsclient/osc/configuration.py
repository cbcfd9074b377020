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

"""``openstack configuration show``: every secret masked, ours too.

OSC masks the options its auth plugin marks secret, but it learns the
plugin only when it logs in, and ``configuration show`` does not: it then
masks ``password`` and ``token`` alone, and shows an ``mrs-aksk`` cloud's
``secret_key`` and ``security_token``, and the OBS keys python-otcextensions
keeps at a cloud's top level (``sk``, ``secret_key``), in clear.

cliff runs the hooks registered for a command (the entry-point group
``openstack.cli.configuration_show``) after its ``take_action``: this
one masks, as OSC does (``<redacted>``), the value of every name that
names a secret (:func:`mrsclient.api.secret_names.is_secret`: by its last
words) and a URL's password, in every format, whatever the source
(clouds.yaml, ``OS_*``, ``--os-*``). ``--unmask`` shows them all, as it
does a password. Loaded only when that command runs.
"""

from cliff import hooks

from mrsclient.api import secret_names

# What OSC's own mask writes.
REDACTED = '<redacted>'


class MaskSecrets(hooks.CommandHook):
    """Mask what ``configuration show`` would print of our secrets."""

    def get_parser(self, parser):
        return parser

    def get_epilog(self):
        return ''

    def before(self, parsed_args):
        return parsed_args

    def after(self, parsed_args, return_code):
        if not getattr(parsed_args, 'mask', True):
            return return_code
        names, values = return_code
        return names, tuple(masked(name, value)
                            for name, value in zip(names, values))


def masked(name, value):
    """The value of ``name`` as ``configuration show`` may print it."""
    if value in (None, '', REDACTED):
        return value
    if secret_names.is_secret(name):
        return REDACTED
    if isinstance(value, str):
        return secret_names.mask_text(value)
    return secret_names.mask_mapping(value)
