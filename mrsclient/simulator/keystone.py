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

"""Just enough Keystone v3 for OpenStackClient to log in.

Version discovery (``GET /v3``) and password authentication by user name
(``POST /v3/auth/tokens``); a project-scoped token's catalog has the
service type ``mrs`` pointing back at the simulator's V1.1 API.
Functions return ``(status, body, headers)``.
"""

import datetime
import secrets

from mrsclient.simulator import state as st


def _error(status, title, message):
    return status, {'error': {'code': status, 'title': title,
                              'message': message}}, {}


def _stamp(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%S.000000Z')


def route(state, method, parts, body, base_url):
    """``parts`` follow ``/v3``."""
    if method == 'GET' and not parts:
        return 200, {'version': {
            'id': 'v3.14', 'status': 'stable',
            'updated': '2026-01-01T00:00:00Z',
            'links': [{'rel': 'self', 'href': base_url + '/v3/'}],
            'media-types': [{
                'base': 'application/json',
                'type': 'application/vnd.openstack.identity-v3+json'}],
        }}, {}
    if method == 'POST' and parts == ['auth', 'tokens']:
        return issue_token(state, body, base_url)
    return _error(404, 'Not Found', 'Not supported here.')


def issue_token(state, body, base_url):
    try:
        auth = body['auth']
        user = auth['identity']['password']['user']
        name, password = user['name'], user['password']
    except (KeyError, TypeError):
        return _error(400, 'Bad Request',
                      'Only password authentication by user name is '
                      'simulated.')
    if state.users.get(name) is None or password != state.password \
            or name in state.revoked:
        return _error(401, 'Unauthorized',
                      'The request you have made requires authentication.')
    project_name = state.users[name]
    project_id = state.projects[project_name]
    scope = (auth.get('scope') or {}).get('project')
    if scope and project_name != scope.get('name') \
            and project_id != scope.get('id'):
        return _error(401, 'Unauthorized',
                      'User has no access to that project.')
    now = datetime.datetime.now(datetime.timezone.utc)
    token = {
        'methods': ['password'],
        'expires_at': _stamp(now + datetime.timedelta(hours=1)),
        'issued_at': _stamp(now),
        'user': {'id': name, 'name': name,
                 'domain': {'id': 'default', 'name': 'Default'}},
    }
    if scope is not None:
        token.update({
            'project': {'id': project_id, 'name': project_name,
                        'domain': {'id': 'default', 'name': 'Default'}},
            'roles': [{'id': 'member', 'name': 'member'}],
            'catalog': [{
                'type': 'mrs', 'name': 'mrs', 'id': 'mrs',
                'endpoints': [{
                    'id': f'mrs-{interface}', 'interface': interface,
                    'region': st.REGION, 'region_id': st.REGION,
                    'url': f'{base_url}/v1.1/{project_id}'}
                    for interface in ('public', 'internal', 'admin')],
            }],
        })
    value = secrets.token_urlsafe(32)
    with state.lock:
        state.tokens[value] = project_id if scope is not None else None
    return 201, {'token': token}, {'X-Subject-Token': value}
