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

"""Our signer against Huawei's own (huaweicloudsdkcore), request by request."""

import datetime
import json
import urllib.parse

from huaweicloudsdkcore.auth import credentials
from huaweicloudsdkcore import sdk_request
from huaweicloudsdkcore.signer import signer as huawei
import requests
import testtools

from mrsclient.api.auth import signing

AK, SK = 'MRSSIMULATORDEMOAK01', 'mrs-simulator-demo-sk'
DATE = '20261202T101500Z'
HOST = 'mrs.eu-de.otc.t-systems.com'
PID = '37caa80116e1403ab603e5eeb48a2f74'
# (method, path as sent, query pairs, body)
TABLE = [
    ('GET', f'/v1.1/{PID}/job-executions', [], None),
    ('GET', f'/v1.1/{PID}/job-executions/a%2Fb%3Fc/cancel', [], None),
    ('GET', f'/v1.1/{PID}/job-executions/%E4%BD%9C%E4%B8%9A', [], None),
    ('GET', f'/v1.1/{PID}/job-exes', [('cluster_id', 'c1'),
                                      ('page_size', '100'),
                                      ('current_page', '2')], None),
    ('GET', f'/v2/{PID}/clusters/c1/job-executions',
     [('job_state', 'RUNNING'), ('job_state', 'FAILED'), ('user', ''),
      ('job_name', 'a b+c/d'), ('sort_by', 'desc')], None),
    ('POST', f'/v2/{PID}/clusters/c1/job-executions', [],
     json.dumps({'job_name': 'wordcount', 'job_type': 'MapReduce',
                 'arguments': ['obs://b/ü.jar', 'wörter'],
                 'properties': {'note': '作业'}},
                ensure_ascii=False).encode('utf-8')),
    ('POST', f'/v2/{PID}/clusters/c1/job-executions/batch-delete', [],
     b'{"job_id_list": ["x"]}'),
    ('DELETE', f'/v1.1/{PID}/job-executions/x', [], b''),
    ('GET', '/v3/projects', [('name', 'eu-de')], None),
]


def huaweis(method, path, query, body, headers):
    request = sdk_request.SdkRequest(
        method=method, schema='https', host=HOST, resource_path=path,
        query_params=list(query), header_params=dict(headers), body=body)
    huawei.Signer(credentials.BasicCredentials(AK, SK)).sign(request)
    return request.header_params['Authorization']


def ours(method, path, query, body, headers):
    url = urllib.parse.urlunsplit(('https', HOST, path, urllib.parse.urlencode(
        query, quote_via=urllib.parse.quote), ''))
    prepared = requests.Request(method, url, data=body,
                                headers=dict(headers)).prepare()
    clock = datetime.datetime.strptime(DATE, signing.DATE_FORMAT)
    signing.Signer(lambda: (AK, SK, headers.get('X-Security-Token')),
                   lambda: headers.get('X-Project-Id'),
                   clock=lambda: clock)(prepared)
    return prepared


class TestSignedAsHuaweiSigns(testtools.TestCase):

    def test_the_table(self):
        for method, path, query, body in TABLE:
            for extra in ({}, {'X-Project-Id': PID},
                          {'X-Project-Id': PID,
                           'X-Security-Token': 'temporary-token'}):
                headers = {**extra}
                if body is not None and method == 'POST':
                    headers['Content-Type'] = 'application/json'
                prepared = ours(method, path, query, body, headers)
                # Huawei's signs every header it is given: ours.
                signed = {k: v for k, v in prepared.headers.items()
                          if k.lower() in signing.SIGNED}
                self.assertEqual(DATE, signed['X-Sdk-Date'])
                self.assertEqual(HOST, signed['Host'])
                where = f'{method} {path} {query} {extra}'
                self.assertEqual(
                    huaweis(method, path, query, body, signed),
                    prepared.headers['Authorization'], where)

    def test_the_query_goes_as_signed_and_no_token_travels(self):
        prepared = requests.Request(
            'GET', f'https://{HOST}/v2/p/x?b=2&a=%20&a=1',
            headers={'X-Auth-Token': 'gAAAA'}).prepare()
        signing.Signer(lambda: (AK, SK, None))(prepared)
        self.assertEqual(f'https://{HOST}/v2/p/x?a=%20&a=1&b=2',
                         prepared.url)
        self.assertNotIn('X-Auth-Token', prepared.headers)
        self.assertIn('SignedHeaders=host;x-sdk-date,',
                      prepared.headers['Authorization'])

    def test_keys_are_asked_at_every_send(self):
        keys = iter([(AK, SK, 't1'), ('AK2', 'SK2', 't2')])
        signer = signing.Signer(lambda: next(keys))
        seen = []
        for _ in range(2):
            prepared = requests.Request('GET', f'https://{HOST}/x').prepare()
            signer(prepared)
            seen.append((prepared.headers['X-Security-Token'],
                         prepared.headers['Authorization'].split(',')[0]))
        self.assertEqual([('t1', f'SDK-HMAC-SHA256 Access={AK}'),
                          ('t2', 'SDK-HMAC-SHA256 Access=AK2')], seen)
