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

"""``openstack mrs job execution ...`` commands."""

from cliff import show
from osc_lib.cli import format_columns

# The fields of a V1.1 job_execution object, in the order they are shown:
# identity, where it runs, state and times, engine ids, data, flags. These
# are every field of the api-ref examples (cancel and show); -f json keys
# are these API names.
JOB_EXECUTION_COLUMNS = (
    'id',
    'job_id',
    'cluster_id',
    'tenant_id',
    'info',
    'start_time',
    'end_time',
    'return_code',
    'created_at',
    'updated_at',
    'engine_job_id',
    'oozie_job_id',
    'input_id',
    'output_id',
    'data_source_urls',
    'job_configs',
    'is_protected',
    'is_public',
)


def _column(value):
    """Keep nested values structured for -f json/yaml; the rest as is."""
    if isinstance(value, dict):
        return format_columns.DictColumn(value)
    if isinstance(value, list):
        return format_columns.ListColumn(value)
    return value


def job_execution_row(job_execution):
    """The shown row of a job_execution object; missing fields are null."""
    return tuple(_column(job_execution.get(name))
                 for name in JOB_EXECUTION_COLUMNS)


class CancelJobExecution(show.ShowOne):
    """Cancel a running job execution (MRS V1.1, Sahara compatible).

    Shows the job execution as the service answers; Sahara answers with
    it as it was before the cancel. Example: openstack mrs job execution
    cancel 2de74673-1a78-48af-a95b-e1fec4a4ae9c
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'job_execution',
            metavar='<job-execution>',
            help='ID of the job execution to cancel',
        )
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.mrs_job
        job_execution = client.cancel_job_execution(parsed_args.job_execution)
        return JOB_EXECUTION_COLUMNS, job_execution_row(job_execution)
