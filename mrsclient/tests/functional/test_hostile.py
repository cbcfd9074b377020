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

"""Hold on, stay bounded: outages and hostile servers, through ``openstack``.

A gateway in front of mrs-simulator (servers/hostile.py) fails for some
seconds as a real network does: a wait holds on through it. Small
hostile servers send odd ``Retry-After`` and ``Date`` headers, lists
that never stop paging, and a metadata service that sends without end,
drips or redirects: each command ends, bounded, with one line.
"""

import datetime
import json
import os
import urllib.request
import uuid

from mrsclient.tests.functional import base
from mrsclient.tests.functional.servers import hostile
from mrsclient.tests.unit import fakes

POLL = ('--poll-interval', '0.5')
# Long enough for a read to fail several times at that interval.
OUTAGE = 3


class GatewayCase(base.OwnSimulator):
    """The test's own simulator, its MRS requests through a gateway."""

    def setUp(self):
        super().setUp()
        self.start()
        self.gateway = hostile.Hostile(upstream=self.sim['endpoint']).start()
        self.addCleanup(self.gateway.close)
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            clouds = json.load(f)['clouds']
        cloud = dict(clouds['mrs-simulator'],
                     mrs_endpoint_override=self.gateway.url)
        path = os.path.join(os.path.dirname(self.env['OS_CLIENT_CONFIG_FILE']),
                            'gateway.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'mrs-simulator': cloud}}, f)
        self.env = {'OS_CLIENT_CONFIG_FILE': path}
        self.cluster = self.sim['clusters']['v2']

    def submit(self, seconds, *more):
        """A V2 job that runs ``seconds`` and succeeds: its id."""
        result = self.mrs('create', '--cluster', self.cluster, '--type',
                          'SparkSubmit', '--name', 'outage', '--property',
                          f'mrs.simulator.duration={seconds}', *more,
                          '-f', 'value', '-c', 'id', '--', '--class',
                          'Pi', 'obs://b/pi.jar')
        self.assertEqual(0, result.code, result)
        return result.out.split()[0]

    def assertHeldOn(self, result):
        self.assertEqual(0, result.code, result)
        self.assertIn('could not read its state, trying again every 0.5 s',
                      result.err)
        self.assertIn('its state is read again.', result.err)
        self.assertNotIn('Traceback', result.err)


class TestAWaitHoldsOn(GatewayCase):

    def end(self, job):
        """The simulator ends ``job`` now (it succeeds)."""
        base = self.sim['auth_url'][:-len('/v3')]
        url = f'{base}/_simulator/jobs/{job}/end'
        urllib.request.urlopen(urllib.request.Request(url, method='POST'))

    def test_wait_through_each_kind_of_outage(self):
        for kind in ('reset', '503', '500'):
            # The job runs until the wait has read it through the outage,
            # however long ``openstack`` takes to start.
            job = self.submit(3600)
            self.gateway.outage(
                kind, OUTAGE,
                after=lambda request, job=job: job in request.route,
                then=lambda job=job: self.end(job))
            result = self.mrs('wait', '--cluster', self.cluster, job, *POLL,
                              '-f', 'json')
            self.assertHeldOn(result)
            self.assertEqual(('FINISHED', 'SUCCEEDED'),
                             (result.json()['state'],
                              result.json()['result']))

    def test_create_wait_after_the_submission(self):
        self.gateway.outage('500', OUTAGE, after=lambda request: (
            request.command == 'POST'
            and request.route.endswith('/job-executions')))
        result = self.mrs('create', '--cluster', self.cluster, '--type',
                          'SparkSubmit', '--name', 'outage', '--property',
                          f'mrs.simulator.duration={OUTAGE + 1}', '--wait',
                          *POLL, '-f', 'json', '--', 'obs://b/pi.jar')
        self.assertHeldOn(result)
        self.assertEqual('FINISHED', result.json()['state'])
        # One submission, whatever the outage.
        self.assertEqual(1, sum(
            count for path, count in self.gateway.seen.items()
            if path.endswith(f'/clusters/{self.cluster}/job-executions')))

    def test_cancel_wait_after_the_kills_v11_and_v2(self):
        v11 = self.sim['job_executions']['running'][0]
        self.gateway.outage('reset', OUTAGE, after=lambda request: (
            request.route.endswith('/cancel')))
        result = self.mrs('cancel', v11, '--wait', *POLL, '-f', 'json')
        self.assertHeldOn(result)
        self.assertEqual('KILLED', result.json()['state'])

        v2 = self.sim['jobs']['running'][0]
        self.gateway.outage('503', OUTAGE, after=lambda request: (
            request.route.endswith('/kill')))
        result = self.mrs('cancel', '--cluster', self.cluster, v2,
                          '--wait', *POLL, '-f', 'json')
        self.assertHeldOn(result)
        self.assertEqual('KILLED', result.json()['state'])

    def test_an_outage_past_the_timeout_exits_124_naming_it(self):
        job = self.sim['job_executions']['running'][1]
        self.gateway.outage('503', 60)
        result = self.mrs('wait', job, '--timeout', '2', *POLL)
        self.assertEqual(124, result.code, result)
        self.assertIn(f'Timed out after 2 s waiting for job execution {job} '
                      'to end; its state was never read; its last read '
                      'failed: Failed to show job execution', result.err)
        self.assertIn('HTTP 503', result.err)
        self.assertNotIn('Traceback', result.err)


class TokenCase(base.CLITestCase):
    """``openstack`` with a token against a hostile server alone."""

    def serve(self, behave):
        self.server = hostile.Hostile(behave).start()
        self.addCleanup(self.server.close)
        self.env = {'OS_AUTH_TYPE': 'admin_token', 'OS_TOKEN': fakes.TOKEN,
                    'OS_ENDPOINT': f'{self.server.url}/v1.1/'
                                   f'{fakes.PROJECT_ID}',
                    'OS_MRS_TIMEOUT_SECONDS': '2'}

    def mrs(self, *argv, **kwargs):
        return self.openstack('mrs', 'job', 'execution', *argv, **kwargs)

    def assertBoundedError(self, result, *fragments):
        """Exit 1, one line on stderr, no traceback (rows may precede)."""
        self.assertEqual(1, result.code, result.err)
        self.assertEqual(1, len(result.err.splitlines()), result.err)
        self.assertNotIn('Traceback', result.err)
        for fragment in fragments:
            self.assertIn(fragment, result.err)


class TestDelaysAServerGives(TokenCase):

    def test_every_retry_after_form_is_capped(self):
        forms = ('+999999', '99_9999', '-1', '1e9',
                 'Fri, 01 Jan 2100 00:00:00 GMT')

        def behave(request):
            if request.server.seen[request.route] == 1:
                form = forms[int(request.route.rsplit('-', 1)[1])]
                request.answer(503, 'busy', {'Retry-After': form,
                                             'Content-Type': 'text/plain'})
                return True
            request.answer(200, fakes.cancel_example(
                info={'status': 'KILLED'}))
            return True

        self.serve(behave)
        for number, form in enumerate(forms):
            # Without the cap, the first would sleep for 11 days.
            result, elapsed = self.net_time(lambda: self.mrs(
                'show', f'form-{number}', '-c', 'id', timeout=60))
            self.assertEqual(0, result.code, (form, result))
            # Two waits of at most 5 s (the cap), net of the start.
            self.assertLess(elapsed, 2 * 5 + 2, form)


class TestListsAreBounded(TokenCase):

    def test_a_v11_list_that_never_stops_paging(self):
        def behave(request):
            marker = request.query.get('marker', '')
            ids = [str(uuid.uuid4()) for _ in range(1000)]
            request.answer(200, {'markers': {'prev': marker or None,
                                             'next': ids[-1]},
                                 'job_executions': [
                                     {'id': key, 'info': {'status': 'RUNNING'}}
                                     for key in ids]})
            return True

        self.serve(behave)
        result = self.mrs('list', '-f', 'value', '-c', 'id', timeout=300)
        self.assertBoundedError(
            result, 'Failed to list job executions: the list goes on past '
                    '200000 jobs', '--marker')
        # Rows went out as they came: the bound's worth of them.
        self.assertEqual(200_000, result.out.count('\n'))
        self.assertLessEqual(self.server.count('/job-executions'), 202)

    def test_a_v2_list_that_never_stops_paging(self):
        cluster = str(uuid.uuid4())

        def behave(request):
            request.answer(202, {'total_record': 10 ** 9, 'job_list': [
                {'job_id': str(uuid.uuid4()), 'job_state': 'RUNNING'}
                for _ in range(100)]})
            return True

        self.serve(behave)
        result = self.mrs('list', '--cluster', cluster, '-f', 'value', '-c',
                          'id', timeout=300)
        self.assertBoundedError(
            result, f'Failed to list the jobs of cluster {cluster}: the list '
                    'goes on past 200000 jobs', '--page')
        self.assertLessEqual(self.server.count('/job-executions'), 2000 + 12)


class TestRefusalsWhateverTheirDate(base.CLITestCase):

    def test_a_401_with_an_odd_date_is_read(self):
        forms = ('Sun, 06 Dec 2026 06:00:00 -0000',
                 'Sun, 06 Dec 2026 06:00:00',
                 ['Sun, 06 Dec 2026 06:00:00 GMT',
                  'Sun, 06 Dec 2026 06:00:01 GMT'],
                 'yesterday')
        chosen = []

        def behave(request):
            refusal = {'error_code': 'APIGW.0301',
                       'error_msg': 'Incorrect IAM authentication '
                                    'information: verify aksk signature '
                                    'fail'}
            request.answer(401, refusal, {'Date': chosen[-1],
                                          'X-Request-Id': 'req-odd-date'})
            return True

        server = hostile.Hostile(behave).start()
        self.addCleanup(server.close)
        env = base.aksk_cloud(self, server.url, 'odd', secret_key='SKODD')
        for form in forms:
            chosen.append(form)
            result = self.mrs('show', 'x', cloud='odd', env=env)
            # The gateway's code and request id, whatever the clock
            # judgement made of a date it could read.
            self.assertOneLineError(result, 'HTTP 401 APIGW.0301',
                                    '(Request-ID: req-odd-date)')


class TestHostileMetadata(base.OwnSimulator):
    """An agency cloud whose metadata service is a hostile server."""

    cloud = 'agency'

    def setUp(self):
        super().setUp()
        self.start()
        with open(self.env['OS_CLIENT_CONFIG_FILE']) as f:
            self.clouds = json.load(f)['clouds']

    def agency(self, behave):
        server = hostile.Hostile(behave).start()
        self.addCleanup(server.close)
        cloud = json.loads(json.dumps(self.clouds['mrs-simulator-agency']))
        cloud['auth']['metadata_url'] = server.url
        path = os.path.join(os.path.dirname(self.env['OS_CLIENT_CONFIG_FILE']),
                            f'agency-{server.server_port}.yaml')
        with open(path, 'w') as f:
            json.dump({'clouds': {'agency': cloud}}, f)
        self.env = {'OS_CLIENT_CONFIG_FILE': path}
        return server

    def keys_from_simulator(self, expires_in):
        """Real keys of the simulator, said to expire in ``expires_in``."""
        url = self.sim['endpoint'] + '/openstack/latest/securitykey'
        with urllib.request.urlopen(url) as answer:
            body = json.load(answer)
        body['credential']['expires_at'] = (
            datetime.datetime.now(datetime.timezone.utc) + expires_in
        ).strftime('%Y-%m-%dT%H:%M:%S.000000Z')
        return body

    def show(self):
        return self.mrs('show', self.sim['job_executions']['running'][0],
                        '-c', 'id', timeout=60)

    def test_an_endless_answer(self):
        self.agency(lambda request: request.drip(200, b'{' * 4096, 0))
        self.assertOneLineError(self.show(), 'metadata service',
                                'over 65536 bytes')

    def test_a_byte_a_second(self):
        self.agency(lambda request: request.drip(200, b'{', 1))
        result, elapsed = self.net_time(self.show)
        self.assertOneLineError(result, 'metadata service',
                                'no whole answer within 3 s')
        # 3 s for the fetch, whatever the drip, net of the start.
        self.assertLess(elapsed, 3 + 2)

    def test_a_redirect_is_not_followed(self):
        elsewhere = self.agency(lambda request: request.answer(
            200, self.keys_from_simulator(datetime.timedelta(hours=1))))
        self.agency(lambda request: request.answer(302, '', {
            'Location': elsewhere.url + '/openstack/latest/securitykey'}))
        self.assertOneLineError(self.show(), 'metadata service',
                                'a redirect to http://127.0.0.1:',
                                'which is not followed')
        self.assertEqual(0, elsewhere.count('securitykey'))

    def test_a_failed_renewal_keeps_a_valid_key(self):
        def behave(request):
            if request.server.count('securitykey') == 1:
                request.answer(200, self.keys_from_simulator(
                    datetime.timedelta(minutes=30)))
            else:
                request.answer(500, 'down', {'Content-Type': 'text/plain'})
            return True

        server = self.agency(behave)
        running = self.sim['job_executions']['running']
        result = self.mrs('show', running[0], running[1], '-c', 'id',
                          '-f', 'value')
        self.assertEqual(0, result.code, result)
        self.assertEqual(running[:2], result.out.split())
        # Renewal was tried (advisory window) and failed: the key in hand
        # signed on, tried again no sooner than a minute later.
        self.assertEqual(2, server.count('securitykey'))
