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

"""A server on 127.0.0.1 that a test tells how to misbehave.

Beside the canned answers of :mod:`.faulty`, this one is a gateway: in
front of mrs-simulator it forwards every request, except during an
outage the test opens (connections reset, 503, or 500 without an MRS
error code, for some seconds, from a given request on), and it plays
what a hostile or broken server does: a ``Retry-After`` or ``Date`` in
an odd form, a list that never stops paging, a metadata service that
sends without end, drips, or redirects. Every request is counted by
path, so a test can tell what was sent.

A test passes ``behave(request)``: it answers through ``request``'s
helpers (``answer``, ``reset``, ``drip``, ``forward``), or returns None
to have the request forwarded (or, with no upstream, answered 404).
"""

import http.client
import http.server
import json
import socket
import struct
import time
import urllib.parse

from mrsclient.tests.functional.servers import local


class Request(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    @property
    def route(self):
        """The path without its query."""
        return urllib.parse.urlsplit(self.path).path

    @property
    def query(self):
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
            self.path).query))

    def answer(self, status, body=None, headers=None):
        data = b'' if body is None else (
            body.encode() if isinstance(body, str) else json.dumps(
                body).encode())
        self.send_response_only(status)
        fields = {'Content-Type': 'application/json',
                  'Content-Length': str(len(data)), **(headers or {})}
        for name, value in fields.items():
            for one in value if isinstance(value, list) else [value]:
                self.send_header(name, one)
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        """Close with a RST (SO_LINGER 0), not a FIN: a reset connection."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack('ii', 1, 0))
        self.connection.close()
        self.close_connection = True

    def drip(self, status, chunk, every, headers=None):
        """Send ``chunk`` every ``every`` seconds until the client goes."""
        self.send_response_only(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(10 ** 9))
        self.end_headers()
        self.close_connection = True
        try:
            while not self.server.stop.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()
                if every:
                    self.server.stop.wait(every)
        except OSError:
            pass  # the client gave up: what the test wants

    def forward(self):
        """The request as the upstream answers it."""
        upstream = urllib.parse.urlsplit(self.server.upstream)
        connection = http.client.HTTPConnection(upstream.hostname,
                                                upstream.port, timeout=30)
        headers = {name: value for name, value in self.headers.items()
                   if name.lower() not in ('connection', 'keep-alive')}
        connection.request(self.command, self.path, body=self.raw or None,
                           headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        self.send_response_only(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ('connection', 'keep-alive',
                                    'transfer-encoding', 'content-length',
                                    'server', 'date'):
                self.send_header(name, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self):
        self.raw = self.rfile.read(int(self.headers.get('Content-Length')
                                       or 0))
        with self.server.lock:
            self.server.seen[self.route] += 1
        outage = self.server.outage_now()
        self.failed = outage is not None
        if outage == 'reset':
            self.reset()
        elif outage == '503':
            self.answer(503, 'Service Unavailable',
                        {'Content-Type': 'text/plain'})
        elif outage == '500':
            self.answer(500, '<html><body>Internal Server Error</body>'
                             '</html>', {'Content-Type': 'text/html'})
        elif self.server.behave(self) is None and not self.close_connection:
            if self.server.upstream:
                self.forward()
            else:
                self.answer(404, {'error_msg': 'nothing here'})
        self.server.answered(self)

    do_GET = do_POST = do_DELETE = handle_one


class Hostile(local.LocalServer):
    """Binds port 0 of 127.0.0.1; ``upstream`` is what it forwards to."""

    def __init__(self, behave=lambda request: None, upstream=None):
        super().__init__(Request)
        self.behave = behave
        self.upstream = upstream
        # (kind, seconds, after(request) -> bool, start or None)
        self._outage = None
        self._then = None

    @property
    def url(self):
        return f'http://127.0.0.1:{self.server_port}'

    def outage(self, kind, seconds, after=None, then=None):
        """For ``seconds``, every request fails as ``kind`` says.

        ``kind``: ``'reset'``, ``'503'`` or ``'500'`` (an HTML page, no
        MRS code). It starts now, or once a request for which ``after``
        is true has been answered. ``then()`` is called once the first
        request after the outage has been answered.
        """
        with self.lock:
            self._outage = [kind, seconds, after,
                            None if after else time.monotonic()]
            self._then = then

    def outage_now(self):
        with self.lock:
            if self._outage is None or self._outage[3] is None:
                return None
            kind, seconds, _, start = self._outage
            return kind if time.monotonic() < start + seconds else None

    def answered(self, request):
        then = None
        with self.lock:
            if self._outage and self._outage[3] is None \
                    and self._outage[2](request):
                self._outage[3] = time.monotonic()
            elif self._outage and self._outage[3] is not None \
                    and self._then and not request.failed:
                then, self._then = self._then, None
        if then:
            then()
