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

"""``openstack mrs job execution create``: submit a job to a cluster."""

from mrsclient.api.jobs import model
from mrsclient.api import secret_names
from mrsclient.osc import errors
from mrsclient.osc import progress
from mrsclient.osc.v1 import argtypes
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import following
from mrsclient.osc.v1 import options
from mrsclient.osc.v1 import several
from mrsclient.osc.v1 import show_each
from mrsclient.osc.v1 import submission

JOB_TYPES = options.JOB_TYPES
# Options of this command that a word after -- may have been meant as.
OUTPUT_OPTIONS = ('-f', '-c', '--format', '--column', '--wait', '--timeout',
                  '--poll-interval', '--max-width', '--fit-width',
                  '--noindent', '--prefix')


class CreateJobExecution(show_each.ShowEach):
    """Submit a job to a cluster and show it.

    Give the job with --type, --name, --arg and --property, or whole with
    --body-file (--name and --type then replace the file's). Keep secrets
    such as fs.obs.secret.key off the command line (shell history, ps,
    and OSC's --debug echo it): put them in --property-file or
    --body-file. Values of keys named like secret, password, key, token
    or credential are shown masked. As soon as the job is submitted, one
    line on stderr gives its id. With --wait, follows the job until it
    ends and exits non-zero unless it FINISHED with the result SUCCEEDED.

    A cluster before MRS 1.9.2 takes jobs through the V1.1 API only, in
    its own fields: give the program with --jar or --hive-script (and
    --input, --output, --job-log, --file-action), its arguments with --arg
    or after --, as words. Example: openstack mrs job execution create
    --cluster old-analytics --type MapReduce --name wordcount --jar
    s3a://bucket/wordcount.jar --input s3a://bucket/in --output
    s3a://bucket/out -- wordcount
    """

    changes = True
    hints = {
        **errors.ONE_AT_A_TIME,
        '0167': ('The cluster runs an MRS version before 1.9.2, whose jobs '
                 'the V1.1 API takes: give the program with --jar or '
                 '--hive-script (and --input, --output), its arguments '
                 'after --.'),
        '12000085': ('The cluster runs MRS 1.9.2 or later, whose jobs only '
                     'the V2 API takes: give the program and its paths as '
                     'arguments after --, without --jar, --hive-script, '
                     '--input, --output, --job-log or --file-action.'),
    }

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        options.add_cluster_option(
            parser, 'to run the job on (V2 API; V1.1 before MRS 1.9.2)')
        parser.add_argument(
            '--type', metavar='<job-type>', action=options.Once,
            type=argtypes.one_of(JOB_TYPES),
            help='Job type: ' + ', '.join(JOB_TYPES))
        parser.add_argument(
            '--name', metavar='<job-name>', action=options.Once,
            help='Job name: 1 to 64 letters, digits, "-" and "_"')
        parser.add_argument(
            '--arg', metavar='<argument>', dest='args', action='append',
            help='An argument of the program, in order (repeat); one '
                 'that starts with "-" is written --arg=-x, or after --')
        parser.add_argument(
            'program_args', metavar='<argument>', nargs='*',
            help='After --: the program\'s own arguments, in order, after '
                 'any --arg, e.g. -- --class org.apache.spark.examples.'
                 'SparkPi obs://bucket/spark-examples.jar 100')
        parser.add_argument(
            '--property', metavar='<key=value>', dest='properties',
            action=options.KeyValue,
            help='A property (-d) of the job (repeat); not for secrets')
        parser.add_argument(
            '--property-file', metavar='<file>', action=options.Once,
            help='A JSON or YAML file of properties, e.g. the OBS keys; '
                 '--property adds to it')
        parser.add_argument(
            '--body-file', metavar='<file>', action=options.Once,
            help='A JSON file with the whole job, as the API takes it '
                 '(job_type, job_name, arguments, properties); --name and '
                 '--type replace its job_name and job_type')
        old = parser.add_argument_group(
            'V1.1 (a cluster before MRS 1.9.2; MapReduce, SparkSubmit, '
            'HiveScript, DistCp or SparkScript)')
        for option, what in (
                ('--jar', 'The program\'s .jar (MapReduce, SparkSubmit), or '
                          'a script\'s .sql: / or s3a://'),
                ('--hive-script', 'The .sql script (HiveScript, '
                                  'SparkScript): / or s3a://'),
                ('--input', 'Where the input data is: / or s3a://'),
                ('--output', 'Where the output goes: / or s3a://'),
                ('--job-log', 'Where the job\'s logs go: / or s3a://')):
            old.add_argument(option, metavar='<path>', action=options.Once,
                             help=what)
        old.add_argument(
            '--file-action', choices=('import', 'export'),
            action=options.Once,
            help='DistCp: import from OBS to HDFS, or export')
        options.add_wait_options(
            parser, 'Wait until the job has ended (FINISHED, FAILED or '
                    'KILLED); exit non-zero unless it FINISHED with the '
                    'result SUCCEEDED')
        return parser

    def check(self, parsed_args):
        """Options, files and the body, before the login."""
        super().check(parsed_args)
        parsed_args.body = submission.body_of(parsed_args)
        ours = [word for word in parsed_args.program_args or ()
                if word.split('=')[0] in OUTPUT_OPTIONS
                or (word[:2] in ('-f', '-c') and len(word) > 2
                    and not word.startswith('--'))]
        if ours:
            # A word may carry a secret (-fs.obs.secret.key=...): masked.
            shown = secret_names.mask_mapping(ours)
            progress.say(
                self.app,
                f'Warning: {", ".join(shown)} come after -- and go to the '
                'program as its own arguments; options of this command go '
                'before --.')

    def take_action(self, parsed_args):
        body = parsed_args.body
        api = options.job_executions(self.app, parsed_args)
        try:
            key = api.submit(body)
        except KeyboardInterrupt:
            self.app.stderr.write(
                f'Interrupted: job {body["job_name"]} may have been '
                f'submitted to cluster {api.cluster_id}; before submitting '
                f'it again, look: openstack mrs job execution list '
                f'--cluster {api.cluster_id}\n')
            raise
        progress.say(self.app, f'Job {key} submitted to cluster '
                               f'{api.cluster_id}.')
        outcome = several.Outcome('end', [key], hints=self.hints)
        [shown] = api.show([key])
        job = shown.job
        if shown.error is not None:
            # Submitted all the same: not a failure, or a script submits
            # it again.
            self.app.stderr.write(f'Job {key} was submitted, but showing '
                                  f'it failed: {outcome.line(shown.error)}\n')
            job = model.JobExecution.known(key, None, api.cluster_id)
        jobs = [(key, job)]
        if parsed_args.wait:
            with following.interruptible(self.app):
                done = api.wait(
                    [key], following.waiter(parsed_args), known={key: job},
                    **following.callbacks(self.app, outcome, parsed_args))
            jobs = outcome.take(done, parsed_args.timeout)
        self.failure = outcome.error()
        return columns.table([job for _, job in jobs])
