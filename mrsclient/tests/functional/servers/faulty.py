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

"""A local MRS endpoint that misbehaves on purpose, over HTTP or HTTPS.

The job (execution) id in the path says what it does:

``ok``         the api-ref's cancel example (V1.1 show and cancel)
``flaky``      503 twice, then the example (per path)
``reset``      reads the request and resets the connection
``stall``      reads the request and never answers
``echo-json``  500 with the request's token in the MRS error message
``echo-html``  502 proxy page with the token in it
``echo-ok``    200 that is not JSON, with the token in it
``busy``       503, always (also to the V2 kill, a POST; as a V2 job,
               ``IDS['busy']``)
``running``    the example, its job RUNNING for ever (for Ctrl-C)
``throttle``   429 with ``Retry-After: 0.2``, always
``throttled-once``  429 to the first request of each path, then the
               example (also to the V2 kill, a POST; as a V2 job,
               ``IDS['throttled-once']``)

As a V2 cluster (``IDS[...]`` in ``--cluster``), ``stall`` never answers
(a submission), and ``repeat`` answers every page of its job list with
the same 100 jobs and ``total_record: 100000``.

Every request is counted per path, so a test can tell how often it was
sent.
"""

import http.server
import json
import socket
import ssl
import struct

from mrsclient.tests.functional.servers import local
from mrsclient.tests.unit import fakes


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def answer(self, status, body, ctype='application/json'):
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self):
        path = self.path.split('?')[0]
        with self.server.lock:
            self.server.seen[path] += 1
            count = self.server.seen[path]
        length = int(self.headers.get('Content-Length') or 0)
        self.rfile.read(length)
        behaviour = next((name for name in BEHAVIOURS
                          if f'/{name}/' in path or path.endswith(
                              f'/{name}') or (name in IDS
                                              and IDS[name] in path)),
                         'ok')
        token = self.headers.get('X-Auth-Token', '')
        if behaviour == 'reset':
            # SO_LINGER 0: close() sends a RST, not a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack('ii', 1, 0))
            self.connection.close()
            self.close_connection = True
        elif behaviour == 'stall':
            self.server.stop.wait()
            self.close_connection = True
        elif behaviour == 'busy' or (behaviour == 'flaky' and count <= 2):
            self.answer(503, 'Service Unavailable', 'text/plain')
        elif behaviour == 'echo-json':
            self.answer(500, json.dumps({
                'error_code': '0176',
                'error_msg': f'Token {token} has no job here.'}))
        elif behaviour == 'echo-html':
            self.answer(502, f'<html><body><h1>Bad Gateway</h1><p>{token}'
                             '</p></body></html>', 'text/html')
        elif behaviour == 'echo-ok':
            self.answer(200, f'welcome {token}', 'text/plain')
        elif behaviour == 'throttle' or (
                behaviour == 'throttled-once' and count == 1):
            data = json.dumps({'error_code': 'APIGW.0308', 'error_msg':
                               'The throttling threshold has been '
                               'reached'}).encode()
            self.send_response(429)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Retry-After', '0.2')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif behaviour == 'repeat':
            self.answer(200, json.dumps({
                'total_record': 100000,
                'job_list': [fakes.v2_job(f'00000000-0000-4000-8000-'
                                          f'{n:012d}') for n in range(100)]}))
        elif behaviour == 'running':
            self.answer(200, json.dumps(fakes.cancel_example(
                info={'status': 'RUNNING'})))
        else:
            # The V1.1 answer, and a V2 job for V2 paths.
            self.answer(200, json.dumps(dict(
                fakes.cancel_example(info={'status': 'KILLED'}),
                job_detail=fakes.v2_job(fakes.JOB_ID))))

    do_GET = do_POST = do_DELETE = handle_one


BEHAVIOURS = ('flaky', 'reset', 'stall', 'echo-json', 'echo-html',
              'echo-ok', 'busy', 'running', 'throttled-once', 'throttle',
              'repeat', 'ok')
# Ids that behave as a name does, for V2 calls, where a name that is not
# shaped like an id would first be looked up in the cluster's job list.
IDS = {'busy': '00000000-0000-4000-8000-0000000b05e0',
       'throttled-once': '00000000-0000-4000-8000-000000000429',
       'stall': '00000000-0000-4000-8000-00000057a115',
       'repeat': '00000000-0000-4000-8000-00000000e9ea'}


class FaultyServer(local.LocalServer):
    """Binds port 0 of 127.0.0.1; ``tls=(certfile, keyfile)`` for HTTPS."""

    def __init__(self, tls=None):
        super().__init__(_Handler)
        self.scheme = 'http'
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = 'https'

    @property
    def endpoint(self):
        return (f'{self.scheme}://127.0.0.1:{self.server_port}/v1.1/'
                f'{fakes.PROJECT_ID}')
