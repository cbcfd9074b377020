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

"""The ``mrs-aksk`` auth type: its options, for keystoneauth and OSC.

Registered under ``keystoneauth1.plugin``. osc-lib reads every auth
type's options at each ``openstack`` call (for its ``--os-*`` options),
so this module imports only keystoneauth's loading, which OSC has
already; the plugin (:mod:`mrsclient.api.auth.aksk`) is imported when the type
is used.

The names are the ecosystem's: ``access_key``, ``secret_key`` and
``security_token`` as Huawei's Terraform provider and python-otcextensions
name them (so ``OS_ACCESS_KEY``, ``OS_SECRET_KEY``, ``OS_SECURITY_TOKEN``
work as for otcextensions' OBS), ``project_id`` and ``auth_url`` as every
OSC auth type does. None is called ``password`` or ``token``: osc-lib
would then demand a user name or a token.
"""

from keystoneauth1 import loading

from mrsclient.api import auth


class AkSkLoader(loading.BaseLoader):
    """Options of the ``mrs-aksk`` auth type."""

    @property
    def plugin_class(self):
        # Only when the type is used: osc-lib reads every type's options.
        from mrsclient.api.auth import aksk
        return aksk.AkSk

    def get_options(self):
        return [
            loading.Opt('auth-url', help='IAM endpoint (its /v3 URL): where '
                                         'the project is looked up'),
            loading.Opt('access-key', help='Access key (AK); without one, '
                                           'the ECS agency\'s temporary '
                                           'keys'),
            loading.Opt('secret-key', secret=True,
                        help='Secret key (SK) of the access key'),
            loading.Opt('security-token', secret=True,
                        help='Security token of a temporary access key'),
            loading.Opt('project-id', help='Project ID (default: the '
                                           'project named as the region)'),
            loading.Opt('metadata-url', default=auth.DEFAULT_METADATA_URL,
                        help='ECS metadata service, for an agency\'s keys '
                             f'(default: {auth.DEFAULT_METADATA_URL})'),
        ]
