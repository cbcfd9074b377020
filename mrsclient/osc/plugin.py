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

"""OpenStackClient plugin contract for MRS job executions.

OSC imports this module on every ``openstack`` call, so it imports nothing:
the HTTP client is imported when a command first asks for it.

python-otcextensions already registers the API name ``mrs`` (and the
command group ``openstack.mrs.v1``) for its ``mrs cluster ...`` commands.
Two plugins with one API name overwrite each other's client, so ours is
``mrs_job``; the command words still read ``mrs job execution ...``. No
global option is added, so nothing can clash with another plugin's.
"""

import logging

API_NAME = 'mrs_job'
# The version of this plugin's command set (group openstack.mrs_job.v1),
# not of the REST API: V1.1 and V2 MRS calls both live in it.
DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_mrs_job_api_version'
API_VERSIONS = ('1',)


def make_client(instance):
    """Return the MRS client for an OSC ClientManager."""
    from keystoneauth1 import exceptions as ks_exceptions

    from mrsclient.api import client

    try:
        endpoint = instance.get_endpoint_for_service_type(
            client.SERVICE_TYPE,
            region_name=instance.region_name,
            interface=instance.interface,
        )
    except ks_exceptions.EndpointNotFound:
        endpoint = None  # the client says how to fix it on first use
    # Per cloud, as mrs_endpoint_override is (OS_MRS_TIMEOUT_SECONDS in the
    # environment). Not "mrs_api_timeout": openstack.config renames every
    # key that ends in "timeout" to api_timeout, which osc-lib then sets
    # to None.
    config = instance.get_configuration()
    if config.get('auth_type') == 'mrs-aksk':
        _take_obs_keys(instance.auth, config)
    timeout = parse_timeout(config.get('mrs_timeout_seconds'))
    return client.MrsClient(
        session=instance.session,
        endpoint=endpoint,
        timeout=timeout,
        region_name=instance.region_name,
        interface=instance.interface,
        # As openstacksdk users set them in clouds.yaml, per service:
        # "rate_limit: {mrs: 20}" (requests a second), "concurrency:
        # {mrs: 5}"; keystoneauth's Adapter keeps to both.
        rate_limit=_per_service(config.get('rate_limit')),
        concurrency=_per_service(config.get('concurrency')),
    )


def _take_obs_keys(auth, config):
    """The OBS keys of python-otcextensions, for an mrs-aksk cloud.

    otcextensions reads them at the top of a cloud (``access_key`` or
    ``ak``, ``secret_key`` or ``sk``, ``security_token``): a cloud whose
    ``auth`` gives no key of its own signs with those.
    """
    access = config.get('access_key') or config.get('ak')
    secret = config.get('secret_key') or config.get('sk')
    if not auth.has_keys and (access or secret):
        from mrsclient.api import exceptions
        try:
            auth.set_keys(access, secret, config.get('security_token'))
        except exceptions.ConfigurationError as exc:
            from osc_lib import exceptions as osc_exceptions
            raise osc_exceptions.CommandError(str(exc))


def parse_timeout(value):
    """Seconds from clouds.yaml or the environment; None: the default."""
    from mrsclient.api.http import retries

    if value in (None, ''):
        return retries.DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds < float('inf'):
        from osc_lib import exceptions
        raise exceptions.CommandError(
            'mrs_timeout_seconds must be a number of seconds above 0, '
            f'not {value!r}.')
    return seconds


def _per_service(value):
    return value.get('mrs') if isinstance(value, dict) else None


def build_option_parser(parser):
    """Add no global options (see the module docstring)."""
    return parser


# OSC's own --debug lines print the cloud's configuration and the options
# ("options: Namespace(...)", "auth_config_hook(): ...", "cloud cfg:",
# "Using parameters ...") through oslo's mask, which leaves secret_key,
# sk and the like in clear. This module is imported before any of them is
# written, so these loggers' records are masked again, by what each name
# means (mrsclient.api.secret_names, imported only when such a record is
# written: with -v or --debug).
OSC_CONFIG_LOGGERS = ('osc_lib.shell', 'osc_lib.cli.client_config',
                      'osc_lib.clientmanager', 'openstack.config')


class MaskConfiguration(logging.Filter):
    """Mask the secrets in OSC's dumps of its configuration."""

    def filter(self, record):
        from mrsclient.api import secret_names

        record.msg = secret_names.mask_text(record.getMessage())
        record.args = ()
        return True


for _name in OSC_CONFIG_LOGGERS:
    logging.getLogger(_name).addFilter(MaskConfiguration())
