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

"""Any answer at all: the client returns what it asked for, or one line.

hypothesis feeds every call of both APIs arbitrary status codes, headers
and bodies (not JSON, truncated JSON, HTML, JSON of the wrong shape and
types, bodies of megabytes, error bodies whose code or message is a
number, a list or null) through requests-mock. The only outcomes allowed
are the parsed object, rendered by the commands' columns without error
(the SQL result's rows by its cells), or a ``CommandError`` whose
message is one line of bounded length that never holds the token.
"""

import json
import os
import types
from unittest import mock

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
import requests
import requests_mock
import testtools

from mrsclient.api import client
from mrsclient.api import exceptions
from mrsclient.api.http import answers
from mrsclient.api.jobs import model
from mrsclient.osc.v1 import columns
from mrsclient.osc.v1 import sql_result
from mrsclient.tests.unit import fakes

MAX_LINE = 1000
ENDPOINT = f'https://mrs.example.com/v1.1/{fakes.PROJECT_ID}'

# JSON values of any shape, with the strings an error body or field
# might carry (the token among them, as a server echoing it would).
scalars = (st.none() | st.booleans() | st.integers() |
           st.floats(allow_nan=False) |
           st.text(max_size=50) | st.just(fakes.TOKEN) |
           st.sampled_from(['RUNNING', 'KILLED', 'FINISHED', '0176',
                            '12000085', '\n', '\u2028', '<b>x</b>']))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=12) | st.sampled_from(
        ['error', 'error_code', 'error_msg', 'error_message', 'error_name',
         'message', 'code', 'title', 'info', 'status', 'job_state',
         'markers', 'next', 'total_record']), inner, max_size=5),
    max_leaves=20)

KEYS = ['job_execution', 'job_executions', 'job_detail', 'job_list',
        'sql_results']

# Examples a run draws: bounded in CI (each test a few seconds on this
# machine: 200 answers take about 10 s, 3,000 error answers about 6 s),
# ten times as many with HYPOTHESIS_PROFILE=explore.
_EXPLORE = os.environ.get('HYPOTHESIS_PROFILE') == 'explore'
ANSWERS = 2000 if _EXPLORE else 200
ERROR_ANSWERS = 30_000 if _EXPLORE else 3000


def shaped(value):
    """Bodies of roughly the right shape with values of any type."""
    return st.fixed_dictionaries(
        {}, optional={key: value for key in KEYS + [
            'markers', 'total_record', 'error_code', 'error_msg',
            'error']})


records = st.dictionaries(
    # The model's columns and the APIs' own names of them.
    st.sampled_from(sorted(model.DOCUMENTED | {
        'job_name', 'job_state', 'job_result', 'submitted_time',
        'started_time', 'finished_time', 'status'})),
    json_values, max_size=8)

json_bodies = st.one_of(
    json_values,
    shaped(json_values),
    shaped(records),
    st.fixed_dictionaries({}, optional={k: st.lists(records, max_size=3)
                                        for k in KEYS}),
    st.fixed_dictionaries({}, optional={
        'error_code': json_values, 'error_msg': json_values,
        'error_message': json_values, 'error_name': json_values,
        'error': json_values}),
).map(lambda v: json.dumps(v).encode())

BIG = [
    json.dumps({'job_executions': [fakes.CANCEL_EXAMPLE['job_execution']]
                * 8000}).encode(),
    b'<html>' + b'<script>' * 400_000 + b'</html>',
    b'\xff\xfe' * 1_500_000,
    b'[' * 100_000 + b']' * 100_000,
]

# Flat error bodies, cheap enough for 10,000 examples: every error field
# a scalar, a list or an object of any type.
error_fields = (scalars | st.lists(scalars, max_size=3)
                | st.dictionaries(st.sampled_from(['code', 'message',
                                                   'title']),
                                  scalars, max_size=3))
error_bodies = st.fixed_dictionaries({}, optional={
    name: error_fields for name in ('error', 'error_code', 'error_msg',
                                    'error_message', 'error_name',
                                    'message')}).map(
    lambda v: json.dumps(v).encode())

small_bodies = st.one_of(
    json_bodies,
    json_bodies.flatmap(lambda b: st.integers(0, len(b)).map(
        lambda n: b[:n])),                                  # truncated
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: (
        '<html><head><title>%s</title></head><body>%s</body></html>'
        % (t, fakes.TOKEN)).encode()),
)
# One example in 50 is megabytes.
bodies = st.integers(0, 49).flatmap(
    lambda n: st.sampled_from(BIG) if n == 0 else small_bodies)

headers = st.dictionaries(
    st.sampled_from(['Content-Type', 'X-Request-Id',
                     'X-Openstack-Request-Id', 'Retry-After', 'Location',
                     'X-Anything']),
    st.text(st.characters(min_codepoint=32, max_codepoint=126),
            max_size=300) | st.sampled_from(
        ['application/json', 'text/html; charset=nonsense',
         'application/json; charset=utf-16', '3600']),
    max_size=4)

statuses = st.sampled_from([200, 201, 202, 204, 301, 400, 401, 403, 404,
                            409, 500, 502, 503, 504]) | st.integers(100, 599)


def polled(api):
    """What --wait reads: a state that is one line of text, or None."""
    state, job = api.poll('x')
    assert state is None or (isinstance(state, str)
                             and len(state.splitlines()) <= 1), state
    return job


def calls():
    """Every client call a command makes, by name."""
    c = client.MrsClient(fakes.make_session(), ENDPOINT)
    v11, v2 = c.route(), c.route(fakes.CLUSTER_ID)
    submission = {'job_type': 'MapReduce', 'job_name': 'x',
                  'arguments': [], 'properties': {}}
    return {
        # The job-exe read of each execution whose info is null is fuzzed
        # by show and poll; here it would read a megabyte list per row.
        'v1.1 list': (v11, lambda: v11.list(status=False)),
        'v1.1 show': (v11, lambda: v11.show('x')),
        'v1.1 cancel': (v11, lambda: v11.cancel('x')),
        'v1.1 poll': (v11, lambda: polled(v11)),
        'v1.1 delete': (v11, lambda: deleted(v11.delete(['x', 'y']))),
        'v2 list': (v2, lambda: v2.list()),
        'v2 show': (v2, lambda: v2.show('x')),
        'v2 cancel': (v2, lambda: v2.cancel('x')),
        'v2 poll': (v2, lambda: polled(v2)),
        'v2 submit': (v2, lambda: {'job_id': v2.submit(submission)}),
        'v2 batch delete': (v2, lambda: deleted(v2.delete(
            ['x', 'y', 'z']))),
        'v2 job names': (v2, lambda: named(v2.find(['x', 'y']))),
        'cluster name': (v2, lambda: {'id': c.find_cluster('x')}),
        'v2 sql result': (v2, lambda: sql_rows(v2.sql_result('x'))),
    }


def sql_rows(results):
    """What result list does with an answer: every row, every cell."""
    for rows in results.values():
        names = list(dict.fromkeys(key for row in rows for key in row))
        for row in rows:
            for cell in sql_result._cells(row, names):
                if hasattr(cell, 'human_readable'):
                    cell.human_readable()
    return results


def deleted(failures):
    """What delete gives back: ``[(ids, error)]``; errors as lines."""
    for ids, error in failures:
        assert isinstance(error, exceptions.MrsError), error
        TestAnyAnswer.checkOneLine(str(error))
    return []


def named(found):
    """What find gives back: an id or a one-line error for each name."""
    for value in found.values():
        if isinstance(value, exceptions.MrsError):
            TestAnyAnswer.checkOneLine(str(value))
    return {}


def render(api, found):
    """What the commands do with an answer: every cell, both ways."""
    for raw in found if isinstance(found, list) else [found]:
        job = api.model(raw)
        for cell in columns.row(job, columns.with_extras(model.COMMON,
                                                         [job])):
            if hasattr(cell, 'human_readable'):
                cell.human_readable()
                json.dumps(cell.machine_readable())


class TestAnyAnswer(testtools.TestCase):

    @staticmethod
    def checkOneLine(message):
        assert [message] == message.splitlines(), message
        assert len(message) <= MAX_LINE, message
        assert fakes.TOKEN not in message, message

    def assertOneLine(self, message):
        self.checkOneLine(message)

    @settings(max_examples=ANSWERS, deadline=None,
              suppress_health_check=[HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(status=statuses, headers=headers, body=bodies,
           name=st.sampled_from(sorted(calls())))
    def test_client_returns_the_object_or_one_line(self, status, headers,
                                                   body, name):
        api, call = calls()[name]
        with requests_mock.Mocker() as m, \
                mock.patch('keystoneauth1.session.time.sleep'):
            m.register_uri(requests_mock.ANY, requests_mock.ANY,
                           status_code=status, headers=headers,
                           content=body)

            try:
                found = call()
            except exceptions.MrsError as exc:
                self.assertOneLine(str(exc))
            else:
                self.assertIsInstance(found, (dict, list))
                render(api, found)


def _response(status, headers, body):
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    response._content = body
    response.reason = 'Reason'
    # All the error mapping reads of the request: its token.
    response.request = types.SimpleNamespace(
        headers={'X-Auth-Token': fakes.TOKEN})
    return response


class TestAnyErrorAnswer(testtools.TestCase):

    @settings(max_examples=ERROR_ANSWERS, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(status=st.integers(400, 599), headers=headers,
           body=st.one_of(error_bodies, st.binary(max_size=200),
                          st.text(max_size=200).map(str.encode)))
    def test_error_mapping_is_one_line(self, status, headers, body):
        line = str(answers.from_response(_response(status, headers, body),
                                         action='Failed to do X'))
        self.assertEqual([line], line.splitlines(), line)
        self.assertLessEqual(len(line), MAX_LINE)
        self.assertNotIn(fakes.TOKEN, line)
        self.assertTrue(line.startswith(f'Failed to do X: HTTP {status}'))
