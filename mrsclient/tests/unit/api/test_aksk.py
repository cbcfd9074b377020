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

"""The mrs-aksk auth plugin: keys, project, endpoint, refusals."""

import datetime

from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import loading
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from requests_mock.contrib import fixture as rm_fixture
import testtools

from mrsclient.api.auth import agency
from mrsclient.api.auth import aksk
from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.tests.unit import fakes

IAM = 'https://iam.eu-de.otc.t-systems.com/v3'
MRS = 'https://mrs.eu-de.otc.t-systems.com'
PID = fakes.PROJECT_ID
META_URL = 'http://169.254.169.254'
META = f'{META_URL}/openstack/latest/securitykey'
T0 = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.timezone.utc)


def credential(access, expires):
    return {'credential': {'access': access, 'secret': f'sk-{access}',
                           'securitytoken': f'token-{access}',
                           'expires_at': expires.strftime(
                               '%Y-%m-%dT%H:%M:%S.%fZ')}}


class Base(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.mock = self.useFixture(rm_fixture.Fixture())

    def client_of(self, **options):
        auth = aksk.AkSk(auth_url=IAM, **options)
        return client.MrsClient(ks_session.Session(auth=auth), None,
                                region_name='eu-de')


class TestOptionsAndRules(Base):

    def test_the_auth_type_and_its_options(self):
        loader = loading.get_plugin_loader('mrs-aksk')
        self.assertEqual(
            ['auth-url', 'access-key', 'secret-key', 'security-token',
             'project-id', 'metadata-url'],
            [o.name for o in loader.get_options()])
        self.assertEqual({'secret-key', 'security-token'},
                         {o.name for o in loader.get_options() if o.secret})
        self.assertIsInstance(loader.load_from_options(
            auth_url=IAM, access_key='AK', secret_key='SK'), aksk.AkSk)

    def test_the_endpoint_follows_from_iams(self):
        for auth_url, region, endpoint in (
                (IAM, 'eu-de', MRS),
                (IAM, 'eu-nl', 'https://mrs.eu-nl.otc.t-systems.com'),
                ('https://iam.myhuaweicloud.com/v3', 'ap-southeast-1',
                 'https://mrs.ap-southeast-1.myhuaweicloud.com'),
                ('https://iam.ap-southeast-1.myhuaweicloud.com/v3',
                 'ap-southeast-1',
                 'https://mrs.ap-southeast-1.myhuaweicloud.com'),
                ('https://keystone.example.com/v3', 'r', None),
                (None, 'r', None)):
            self.assertEqual(endpoint, aksk.endpoint_for(auth_url, region))
        # OSC asks without a region: the client asks again with its own.
        self.assertIsNone(aksk.AkSk(auth_url=IAM).get_endpoint(
            None, service_type='mrs'))


class TestKeystoneauthContract(Base):
    """What keystoneauth and a program expect of an auth plugin."""

    def session(self, **options):
        return ks_session.Session(auth=aksk.AkSk(
            auth_url=IAM, access_key='AK', secret_key='SK', **options))

    def test_no_headers_so_no_unsigned_request(self):
        auth = aksk.AkSk(auth_url=IAM, access_key='AK', secret_key='SK')
        self.assertIsNone(auth.get_headers(None))
        self.mock.get('https://compute.example/servers', json={})
        self.assertRaises(ks_exceptions.AuthorizationFailure,
                          self.session().get,
                          'https://compute.example/servers')
        self.assertEqual(0, self.mock.call_count)

    def test_an_endpoint_for_mrs_only_and_its_override(self):
        session = self.session()
        self.assertIsNone(session.get_endpoint(service_type='compute',
                                               region_name='eu-de'))
        self.assertEqual(MRS, session.get_endpoint(service_type='mrs',
                                                   region_name='eu-de'))
        self.assertEqual('https://mrs.example', session.get_endpoint(
            service_type='mrs', region_name='eu-de',
            endpoint_override='https://mrs.example'))
        self.assertEqual('https://mrs.example', session.auth.get_endpoint(
            session, service_type='mrs',
            endpoint_override='https://mrs.example'))

    def test_the_project_id_as_keystoneauth_asks_for_it(self):
        session = self.session(project_id=PID)
        self.assertEqual(PID, session.get_project_id())
        self.assertEqual(PID, session.auth.get_project_id(session,
                                                          extra=1))

    def test_mrs_requests_signed_per_request(self):
        self.mock.get(f'{MRS}/v1.1/{PID}/job-executions/x', json={
            'job_execution': {'id': 'x'}})
        c = client.MrsClient(self.session(project_id=PID),
                             region_name='eu-de')
        self.assertEqual({'job_execution': {'id': 'x'}}, c.call(
            'GET', c.url('v1.1', 'job-executions', ('x', 'id'))))
        sent = self.mock.last_request
        self.assertTrue(sent.headers['Authorization'].startswith(
            'SDK-HMAC-SHA256 Access=AK'))
        self.assertNotIn('X-Auth-Token', sent.headers)


class TestWhatThePluginIsGiven(Base):

    def test_a_project_id_is_one_segment_of_iams_characters(self):
        for value in ('..', '.', ' ', 'abc/def', 'abc def', 'abc\x00def',
                      'abc%2F', 'proj\xe9t', 'a' * 65):
            e = self.assertRaises(exceptions.ConfigurationError, aksk.AkSk,
                                  auth_url=IAM, access_key='AK',
                                  secret_key='SK', project_id=value)
            self.assertIn('is not a project id', str(e))
        self.assertEqual(0, self.mock.call_count)

    def test_a_project_id_from_the_endpoint_is_checked_too(self):
        session = ks_session.Session(auth=token_endpoint.Token(
            None, fakes.TOKEN))
        for endpoint in ('https://mrs.example/v1.1/..',
                         'https://mrs.example/v1.1/abc%2Fdef'):
            c = client.MrsClient(session, endpoint)
            e = self.assertRaises(exceptions.ConfigurationError,
                                  c.route().show, 'x')
            self.assertIn('is not a project id', str(e))
        self.assertEqual(0, self.mock.call_count)

    def test_a_region_is_a_region_name(self):
        for region in ('eu de', 'eu-de/x', 'eu..de', '-eu', 'eu-de.'):
            c = client.MrsClient(self.session_of(), region_name=region)
            e = self.assertRaises(exceptions.ConfigurationError,
                                  c.route().list)
            self.assertIn('is not a region name', str(e))
        self.assertEqual(0, self.mock.call_count)

    def session_of(self, **options):
        return ks_session.Session(auth=aksk.AkSk(
            auth_url=IAM, access_key='AK', secret_key='SK', **options))

    def test_several_projects_named_as_the_region_are_refused(self):
        self.mock.get(f'{IAM}/projects', json={'projects': [
            {'id': PID, 'name': 'eu-de'}, {'id': 'b' * 32, 'name': 'eu-de'}]})
        c = self.client_of(access_key='AK', secret_key='SK')
        e = self.assertRaises(exceptions.ConfigurationError,
                              c.route().list)
        self.assertIn('IAM names 2 projects eu-de; set project_id.', str(e))
        self.assertEqual(1, self.mock.call_count)

    def test_a_key_without_its_other_half(self):
        for options, line in (
                ({'access_key': 'AK'}, 'The access key has no secret key'),
                ({'secret_key': 'SK'}, 'The secret key has no access key')):
            e = self.assertRaises(exceptions.ConfigurationError,
                                  aksk.AkSk, **options)
            self.assertIn(line, str(e))


class TestSignedRequests(Base):

    def test_project_by_region_then_every_request_signed(self):
        self.mock.get(f'{IAM}/projects?name=eu-de', json={'projects': [
            {'id': 'other', 'name': 'eu-de_sub'}, {'id': PID,
                                                   'name': 'eu-de'}]})
        jobs = f'{MRS}/v1.1/{PID}/job-executions'
        self.mock.get(jobs, [{'status_code': 503}, {'json': {
            'job_executions': [], 'markers': {}}}])
        c = self.client_of(access_key='AK', secret_key='SK')
        self.assertEqual([], c.route().list())
        lookup, *sent = self.mock.request_history
        self.assertTrue(lookup.headers['Authorization'].startswith(
            'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date,'))
        self.assertNotIn('X-Project-Id', lookup.headers)
        # The 503's retry is signed again: every send.
        self.assertEqual(2, len(sent))
        for request in sent:
            self.assertEqual(PID, request.headers['X-Project-Id'])
            self.assertIn('x-project-id', request.headers['Authorization'])
            self.assertNotIn('X-Auth-Token', request.headers)

    def test_no_project_in_the_region(self):
        self.mock.get(f'{IAM}/projects', json={'projects': []})
        c = self.client_of(access_key='AK', secret_key='SK')
        e = self.assertRaises(exceptions.ConfigurationError,
                              c.route().list)
        self.assertIn('IAM names no project eu-de; set project_id.', str(e))

    def refused(self, date, **options):
        self.mock.get(f'{MRS}/v1.1/{PID}/job-executions/x', status_code=401,
                      headers={'Date': date}, json={
                          'error_code': 'APIGW.0301',
                          'error_msg': 'Incorrect IAM authentication '
                                       'information'})
        c = self.client_of(project_id=PID, **options)
        return str(self.assertRaises(exceptions.ApiError,
                                     c.route().show, 'x'))

    def test_a_refusal_is_read_whatever_its_date_says(self):
        for date in ('Sun, 06 Dec 2026 06:00:00 -0000',
                     'Sun, 06 Dec 2026 06:00:00', 'yesterday', '',
                     'Sun, 06 Dec 2026 06:00:00 GMT, '
                     'Sun, 06 Dec 2026 06:00:01 GMT', 'Mon, 99 Foo 99999'):
            line = self.refused(date, access_key='AK', secret_key='SK')
            self.assertIn('HTTP 401 APIGW.0301', line, date)
            if date != 'Sun, 06 Dec 2026 06:00:00 GMT, ' \
                       'Sun, 06 Dec 2026 06:00:01 GMT':
                # No zone, no date: no clock to judge by.
                self.assertIn('The gateway refused the signature', line)

    def test_refusals_say_what_to_check(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        http_date = now.strftime('%a, %d %b %Y %H:%M:%S GMT')
        self.assertIn('The gateway refused the signature: check access_key '
                      'and secret_key.', self.refused(
                          http_date, access_key='AK', secret_key='SK'))
        self.assertIn('check the temporary key and its security_token (it '
                      'may have expired)', self.refused(
                          http_date, access_key='AK', secret_key='SK',
                          security_token='T'))
        late = (now + datetime.timedelta(minutes=20)).strftime(
            '%a, %d %b %Y %H:%M:%S GMT')
        line = self.refused(late, access_key='AK', secret_key='SK')
        self.assertIn(f"This machine's clock read {now:%Y-%m-%d %H:%M}",
                      line)
        self.assertIn('more than 15 minutes from its own time', line)


class TestAgency(Base):

    def test_keys_renewed_before_they_expire(self):
        now = [T0]
        self.mock.get(META, [
            {'json': credential('A1', T0 + datetime.timedelta(hours=1))},
            {'json': credential('A2', T0 + datetime.timedelta(hours=2))}])
        keys = agency.AgencyKeys(ks_session.Session(), META_URL,
                                 clock=lambda: now[0])
        self.assertEqual(('A1', 'sk-A1', 'token-A1'), keys())
        now[0] = T0 + datetime.timedelta(minutes=19)
        self.assertEqual('A1', keys()[0])
        self.assertEqual(1, self.mock.call_count)
        # 40 minutes before it expires, a key is renewed.
        now[0] = T0 + datetime.timedelta(minutes=21)
        self.assertEqual('A2', keys()[0])
        self.assertEqual(2, self.mock.call_count)

    def test_no_agency(self):
        self.mock.get(META, status_code=404, text='not found')
        keys = agency.AgencyKeys(ks_session.Session(), META_URL)
        e = self.assertRaises(exceptions.ConfigurationError, keys)
        self.assertIn('from the metadata service (http://169.254.169.254/'
                      'openstack/latest/securitykey): it answered HTTP 404. '
                      'Is an agency attached to this ECS?', str(e))

    def test_a_redirect_is_not_followed(self):
        self.mock.get(META, status_code=302,
                      headers={'Location': 'http://evil.example/keys'})
        self.mock.get('http://evil.example/keys',
                      json=credential('EVIL', T0 + datetime.timedelta(
                          hours=1)))
        keys = agency.AgencyKeys(ks_session.Session(), META_URL,
                                 clock=lambda: T0)
        e = self.assertRaises(exceptions.ConfigurationError, keys)
        self.assertIn('a redirect to http://evil.example/keys, which is not '
                      'followed', str(e))
        self.assertEqual(1, self.mock.call_count)

    def test_what_it_answers_is_checked(self):
        later = (T0 + datetime.timedelta(hours=1)).strftime(
            '%Y-%m-%dT%H:%M:%SZ')
        for body in ({'credential': None}, {'credential': {
                'access': None, 'secret': 'S', 'expires_at': later}},
                {'credential': {'access': 'A', 'secret': 5,
                                'expires_at': later}},
                {'credential': {'access': 'A', 'secret': 'S',
                                'expires_at': None}},
                {'credential': {'access': 'A', 'secret': 'S',
                                'securitytoken': [], 'expires_at': later}},
                # Header values: a line break would be refused, quoted.
                {'credential': {'access': 'A', 'secret': 'S',
                                'securitytoken': 'TOKEN-x\n',
                                'expires_at': later}},
                {'credential': {'access': 'A B', 'secret': 'S',
                                'expires_at': later}},
                [], 'text'):
            self.mock.get(META, json=body)
            keys = agency.AgencyKeys(ks_session.Session(), META_URL,
                                     clock=lambda: T0)
            e = self.assertRaises(exceptions.ConfigurationError, keys)
            self.assertIn('no usable credential', str(e), body)
            self.assertNotIn('TOKEN-x', str(e))

    def test_a_large_answer_is_refused(self):
        self.mock.get(META, text='x' * (agency.METADATA_MAX_BODY + 10))
        keys = agency.AgencyKeys(ks_session.Session(), META_URL)
        e = self.assertRaises(exceptions.ConfigurationError, keys)
        self.assertIn('over 65536 bytes', str(e))

    def test_renewal_windows(self):
        now = [T0]
        expiry = T0 + datetime.timedelta(hours=1)
        self.mock.get(META, [{'json': credential('A1', expiry)},
                             {'status_code': 500},
                             {'status_code': 500},
                             {'json': credential('A2', expiry + datetime.
                                                 timedelta(hours=1))}])
        keys = agency.AgencyKeys(ks_session.Session(), META_URL,
                                 clock=lambda: now[0])
        self.assertEqual('A1', keys()[0])
        # Advisory window (30 minutes left): a failed renewal keeps A1,
        # and is not tried again for a minute.
        now[0] = expiry - datetime.timedelta(minutes=30)
        with self.assertLogs(agency.LOG, 'INFO') as logs:
            self.assertEqual('A1', keys()[0])
        self.assertIn('Signing with the keys in hand', logs.output[0])
        self.assertEqual('A1', keys()[0])
        self.assertEqual(2, self.mock.call_count)
        # Mandatory window (5 minutes left): a failed renewal fails.
        now[0] = expiry - datetime.timedelta(minutes=5)
        self.assertRaises(exceptions.ConfigurationError, keys)
        self.assertEqual('A2', keys()[0])


class TestNoSecretLeaves(Base):

    def test_no_redirect_is_followed_mrs_or_iam(self):
        elsewhere = 'https://evil.example/steal'
        self.mock.get(f'{MRS}/v1.1/{PID}/job-executions/x', status_code=307,
                      headers={'Location': elsewhere})
        self.mock.get(f'{IAM}/projects', status_code=302,
                      headers={'Location': elsewhere})
        self.mock.get(elsewhere, json={})
        c = self.client_of(project_id=PID, access_key='AK', secret_key='SK')
        e = self.assertRaises(exceptions.TransportError,
                              c.route().show, 'x')
        self.assertEqual('redirect', e.reason)
        self.assertIn("HTTP 307 from https://mrs.eu-de.otc.t-systems.com/"
                      f"v1.1/{PID}/job-executions/x: a redirect to "
                      f"'{elsewhere}', which is not followed", str(e))
        c = self.client_of(access_key='AK', secret_key='SK')
        e = self.assertRaises(exceptions.TransportError,
                              c.route().show, 'x')
        self.assertIn('Failed to look up the project of region eu-de: '
                      'HTTP 302', str(e))
        self.assertFalse(any(r.url.startswith(elsewhere)
                             for r in self.mock.request_history))

    def test_an_echoed_security_token_and_signature_are_masked(self):
        def echo(request, context):
            context.status_code = 401
            return {'error_code': 'APIGW.0301', 'error_msg':
                    f'bad {request.headers["X-Security-Token"]} and '
                    f'{request.headers["Authorization"]}'}

        self.mock.get(f'{MRS}/v1.1/{PID}/job-executions/x', json=echo)
        c = self.client_of(project_id=PID, access_key='AK', secret_key='SK',
                           security_token='TOKEN-never-shown')
        e = self.assertRaises(exceptions.ApiError,
                              c.route().show, 'x')
        self.assertNotIn('TOKEN-never-shown', str(e))
        signature = self.mock.last_request.headers['Authorization'].split(
            'Signature=')[1]
        self.assertNotIn(signature, str(e))

    def test_a_value_with_a_line_break_or_space_is_refused_unechoed(self):
        for option, value in (('security_token', 'TOKEN-x\n'),
                              ('access_key', 'AK x'),
                              ('secret_key', 'SK-x\t'),
                              ('secret_key', 'SK-\xe9')):
            given = {'access_key': 'AK', 'secret_key': 'SK', option: value}
            e = self.assertRaises(exceptions.ConfigurationError,
                                  aksk.AkSk, auth_url=IAM, **given)
            self.assertIn(f'{option} holds a space, a line break', str(e))
            self.assertNotIn(value.strip(), str(e))
            self.assertEqual(0, self.mock.call_count)

    def test_a_url_password_never_in_a_line(self):
        self.mock.get(f'https://bob:PASS-never@mrs.example/v1.1/{PID}/'
                      'job-executions/x',
                      exc=ks_exceptions.ConnectFailure(
                          'Unable to establish connection to https://bob:'
                          'PASS-never@mrs.example'))
        auth = aksk.AkSk(auth_url=IAM, access_key='AK', secret_key='SK',
                         project_id=PID)
        c = client.MrsClient(ks_session.Session(auth=auth),
                             'https://bob:PASS-never@mrs.example')
        e = self.assertRaises(exceptions.MrsError,
                              c.route().show, 'x')
        self.assertNotIn('PASS-never', str(e))
        self.assertIn('bob:***@', str(e))
