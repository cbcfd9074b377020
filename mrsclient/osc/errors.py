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

"""The lines operators read: the library's errors, for the command line.

:mod:`mrsclient.api`'s own line names no option; here its hints say which
option to add or drop, and where a setting goes (``clouds.yaml``).
"""

from osc_lib import exceptions as osc_exceptions

from mrsclient.api import exceptions
from mrsclient.api import secret_names

HINTS = {
    '0201': ('No such job on this cluster: check the id, and that '
             '--cluster names the cluster the job runs on.'),
    '12000085': ('The cluster runs an MRS version whose jobs only the V2 '
                 'API manages: add --cluster {cluster_id} to the command.'),
    429: ('The API is throttling requests and still was after every '
          'retry: try again later, or with fewer at once (--parallel).'),
}
ADVICE = {
    'tls': 'give the CA with --os-cacert, or skip the check with '
           '--insecure',
    'no_endpoint': 'Set mrs_endpoint_override in clouds.yaml (or '
                   'OS_MRS_ENDPOINT_OVERRIDE).',
    'aksk_no_project': 'Set project_id (under auth) or region_name in '
                       'clouds.yaml (or OS_PROJECT_ID, OS_REGION_NAME).',
    'aksk_no_endpoint': 'Set region_name with an IAM auth_url, or '
                        'mrs_endpoint_override, in clouds.yaml (or '
                        'OS_REGION_NAME, OS_MRS_ENDPOINT_OVERRIDE).',
    'no_scheme': 'Give mrs_endpoint_override with its scheme in '
                 'clouds.yaml.',
    'no_project': 'Authenticate with a project (--os-project-name or '
                  '--os-project-id), or set an endpoint that includes it, '
                  'e.g. mrs_endpoint_override: '
                  'https://mrs.example.com/v1.1/<project-id> in '
                  'clouds.yaml.',
}


# For a command that sends one request at a time (no --parallel).
ONE_AT_A_TIME = {429: ('The API is throttling requests and still was after '
                       'every retry: try again later.')}


def line(error, hints=None):
    """The one line an operator reads for ``error``, secrets masked.

    ``hints`` are a command's own, by error code, over ``HINTS``: what a
    code asks of the operator can depend on the options the command has.
    What a server sent may carry a secret (a tracking URL's password):
    the line is masked as all output is (:mod:`mrsclient.api.secret_names`).
    """
    return secret_names.mask_text(_line(error, hints))


def _line(error, hints):
    if isinstance(error, exceptions.ListTooLong):
        advice = ('List a page at a time: --limit with --page (with '
                  '--cluster) or --marker (without).' if error.what == 'jobs'
                  else 'Give the cluster by its id.')
        return (f'{error.action}: the list goes on past {error.most} '
                f'{error.what}, the most one list reads (a server that never '
                f'stops paging looks like this). {advice}')
    if isinstance(error, exceptions.NotEnded):
        return (f'{error} Cancel it first (cancel --wait), or delete it '
                'with --force.')
    if isinstance(error, exceptions.Unconfirmed):
        return error.describe('--wait follows it')
    if isinstance(error, exceptions.ApiError):
        return error.describe({**HINTS, **(hints or {})})
    if isinstance(error, exceptions.TransportError):
        return error.describe(ADVICE.get(error.reason))
    if isinstance(error, exceptions.ConfigurationError):
        advice = ADVICE.get(error.reason)
        return f'{error} {advice}' if advice else str(error)
    return str(error)


def command_error(error, hints=None):
    """The ``CommandError`` that cliff prints for ``error``."""
    return osc_exceptions.CommandError(line(error, hints))
