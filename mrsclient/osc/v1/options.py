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

"""What the commands check before any request, the login included.

cliff calls the application's ``prepare_to_run_command`` before it even
parses a command's arguments, and osc-lib logs in there when the command
says ``auth_required``: a wrong password would then hide a usage error,
and a bad option would cost a Keystone round trip. So :class:`Checked`
commands say they need no login, check what needs no server when they
run (a usage error is argparse's: the usage, one line, exit 2), and only
then ask OSC, through the same public method, to log in.

Also here: the options the commands share (``--cluster``, the ids,
``--parallel``, ``--wait``), built once, and :class:`Once`, which refuses
a single-valued option given twice (argparse would keep the last one,
silently). Their types are :mod:`.argtypes`.
"""

import argparse

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.jobs import executions
from mrsclient.osc import errors
from mrsclient.osc.v1 import argtypes


class Checked:
    """A cliff command whose checks come before the login."""

    # osc-lib reads this before parsing; run() sets it once checks pass.
    auth_required = False
    # The command's own hints by error code (errors.line).
    hints = {}

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        self._parser = parser
        return parser

    def check(self, parsed_args):
        """Checks that need no server; subclasses add theirs."""

    def usage_error(self, message):
        self._parser.error(message)

    def run(self, parsed_args):
        """Check, log in, run; an error of the library becomes its line."""
        self.check(parsed_args)
        self._check_cloud()
        self.auth_required = True
        self.app.prepare_to_run_command(self)
        try:
            return super().run(parsed_args)
        except exceptions.MrsError as exc:
            raise errors.command_error(exc, self.hints) from exc

    def _check_cloud(self):
        """The cloud's own MRS settings, before the login too."""
        config = getattr(getattr(self.app, 'cloud', None), 'config', None)
        endpoint = config.get('mrs_endpoint_override') \
            if isinstance(config, dict) else None
        if endpoint:
            try:
                client.checked_endpoint(endpoint)
            except exceptions.MrsError as exc:
                raise errors.command_error(exc) from exc


class KeyValue(argparse.Action):
    """``key=value`` into a mapping (repeat the option for more).

    A value without ``=`` is a usage error, as argparse's own are (older
    osc-lib ``KeyValueAction`` raised a plain exception instead).
    """

    def __call__(self, parser, namespace, values, option_string=None):
        key, sep, value = values.partition('=')
        if not sep or not key:
            parser.error(f'argument {option_string}: expected key=value, '
                         f'not {values!r}')
        found = dict(getattr(namespace, self.dest, None) or {})
        found[key] = value
        setattr(namespace, self.dest, found)


class Once(argparse.Action):
    """Store a value; the same option a second time is a usage error."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = getattr(namespace, '_given_once', set())
        if self.dest in given:
            parser.error(f'{"/".join(self.option_strings)} was given '
                         'twice: give it once')
        namespace._given_once = given | {self.dest}
        setattr(namespace, self.dest, values)


# The job types of the V2 API reference (querying_a_list_of_jobs,
# adding_and_executing_a_job).
JOB_TYPES = executions.JOB_TYPES


def add_cluster_option(parser, required_for=None):
    """``--cluster``; with ``required_for``, a V2-only command's."""
    if required_for:
        help_text = f'Cluster (name or ID) {required_for}'
    else:
        help_text = ('Cluster (name or ID) the jobs run on: use the V2 API, '
                     'the only one that reaches the jobs of MRS 1.9.2 and '
                     'later (default: the V1.1 API of the project)')
    parser.add_argument('--cluster', metavar='<cluster>', action=Once,
                        required=bool(required_for), help=help_text)


def add_ids_options(parser, verb):
    """--cluster, one or more ids, and --parallel."""
    add_cluster_option(parser)
    add_ids_argument(parser, verb)
    add_parallel_option(parser, 'requests')


def add_ids_argument(parser, verb):
    parser.add_argument(
        'job_executions', metavar='<job-execution>', nargs='+',
        help=f'Job execution to {verb} (V1.1: ID; V2: name or ID of a '
             'job); give several to act on each')


def add_parallel_option(parser, what):
    parser.add_argument(
        '--parallel', metavar='<count>', type=argtypes.parallel_count,
        action=Once,
        default=executions.DEFAULT_PARALLEL,
        help=f'Read or send this many {what} at once, at most '
             f'{executions.MAX_PARALLEL} (default: '
             f'{executions.DEFAULT_PARALLEL}; 1: one after another). '
             'Results come in order either way')


# No timeout: a wait lasts until the job ends, as gcloud's jobs wait.
WAIT_DEFAULTS = {'timeout': None, 'poll_interval': 5}
# The exit code of a wait that timed out: neither success (0), a job that
# failed (1) nor a usage error (2); GNU timeout's.
TIMED_OUT_EXIT = 124


def add_wait_options(parser, help_text):
    parser.add_argument('--wait', action='store_true', help=help_text)
    add_wait_timing(parser, 'With --wait: ')


def add_wait_timing(parser, prefix=''):
    parser.add_argument(
        '--timeout', metavar='<duration>', type=argtypes.duration,
        action=Once,
        help=f'{prefix}give up after this long (90, 90s, 15m, 2h), show '
             f'the jobs as they are and exit {TIMED_OUT_EXIT} (default: '
             'wait until each job has ended)')
    parser.add_argument(
        '--poll-interval', metavar='<seconds>',
        type=argtypes.positive_seconds, action=Once,
        help=f'{prefix}ask for the state this often (default: '
             f'{WAIT_DEFAULTS["poll_interval"]})')


def check_wait_options(command, parsed_args):
    """--timeout and --poll-interval only with --wait; fill defaults."""
    given = [name for name in WAIT_DEFAULTS
             if getattr(parsed_args, name) is not None]
    if given and not getattr(parsed_args, 'wait', True):
        command.usage_error(
            ' and '.join('--' + name.replace('_', '-') for name in given)
            + ' can only be used with --wait')
    if parsed_args.poll_interval is None:
        parsed_args.poll_interval = WAIT_DEFAULTS['poll_interval']


def job_executions(app, parsed_args):
    """The job executions of ``--cluster`` (name or id), or the project's."""
    return app.client_manager.mrs_job.job_executions(parsed_args.cluster)
