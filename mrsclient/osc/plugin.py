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

OSC imports this module on every ``openstack`` call, so it imports nothing
at its top but the standard library's ``logging``, ``os`` and ``sys``:
each import inside a function below is on that start-up path, and runs
only when an MRS command (or its configuration) needs it.

python-otcextensions already registers the API name ``mrs`` (and the
command group ``openstack.mrs.v1``) for its ``mrs cluster ...`` commands.
Two plugins with one API name overwrite each other's client, so ours is
``mrs_job``; the command words still read ``mrs job execution ...``. No
global option of its own is added, so nothing can clash with another
plugin's (the ``mrs-aksk`` auth type brings its options, as every auth
type does).
"""

import logging
import os
import sys

API_NAME = 'mrs_job'
# The version of this plugin's command set (group openstack.mrs_job.v1),
# not of the REST API: V1.1 and V2 MRS calls both live in it.
DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_mrs_job_api_version'
API_VERSIONS = ('1',)


def make_client(instance):
    """Return the MRS client for an OSC ClientManager."""
    # Only when an MRS command asks for its client.
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
# sk and the like in clear. They are written before any MRS code runs
# but this module, and the auth type comes from clouds.yaml, which OSC
# reads after importing it: so a filter is put on these four loggers, and
# it changes nothing unless the call is MRS's (the command or the
# mrs-aksk type, :func:`_says_mrs`); then it masks by what each name
# means (mrsclient.api.secret_names, imported only then). It reads a
# record only when a handler prints it (-v, --debug). Measured and
# justified in doc/source/reference/decisions.rst.
OSC_CONFIG_LOGGERS = ('osc_lib.shell', 'osc_lib.cli.client_config',
                      'osc_lib.clientmanager', 'openstack.config')
# What in the command line or the environment makes a call MRS's.
_AKSK_MARKS = ('mrs-aksk', '--os-access-key', '--os-secret-key',
               '--os-security-token', '--os-metadata-url')
_AKSK_ENVIRONMENT = ('OS_ACCESS_KEY', 'OS_SECRET_KEY', 'OS_SECURITY_TOKEN',
                     'OS_METADATA_URL')


def _says_mrs(words, environ):
    """Whether a command line (after ``openstack``) is MRS's."""
    return 'mrs' in words or any(
        word.startswith(_AKSK_MARKS) for word in words) \
        or environ.get('OS_AUTH_TYPE') == 'mrs-aksk' \
        or any(environ.get(name) for name in _AKSK_ENVIRONMENT)


class MaskConfiguration(logging.Filter):
    """Mask the secrets in OSC's dumps of an MRS call's configuration."""

    def __init__(self, mrs_call):
        super().__init__()
        self.mrs_call = mrs_call

    def filter(self, record):
        if record.levelno < _lowest_level_printed(record.name):
            return True  # built, never printed: left as it is
        message = record.getMessage()
        if not self.mrs_call and 'mrs-aksk' not in message:
            return True  # another plugin's call: left as it is
        # The first record of an mrs-aksk cloud marks the call MRS's.
        self.mrs_call = True
        from mrsclient.api import secret_names

        record.msg = secret_names.mask_text(message)
        record.args = ()
        return True


def _lowest_level_printed(name):
    """The lowest level a handler of ``name`` or its ancestors prints."""
    levels, logger = [], logging.getLogger(name)
    while logger is not None:
        levels.extend(handler.level for handler in logger.handlers)
        logger = logger.parent if logger.propagate else None
    return min(levels) if levels else logging.WARNING


_MASK = MaskConfiguration(_says_mrs(sys.argv[1:], os.environ))
for _name in OSC_CONFIG_LOGGERS:
    logging.getLogger(_name).addFilter(_MASK)
