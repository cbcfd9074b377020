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

"""What the tests' in-process servers share (faulty, hostile).

A threading HTTP server on port 0 of 127.0.0.1, in a thread of the test
process; every request counted by path (``seen``, under ``lock``);
``stop`` set when it closes, so that a handler that stalls or drips ends.
"""

import collections
import http.server
import threading


class LocalServer(http.server.ThreadingHTTPServer):

    daemon_threads = True

    def __init__(self, handler):
        super().__init__(('127.0.0.1', 0), handler)
        self.lock = threading.Lock()
        self.seen = collections.Counter()
        self.stop = threading.Event()

    def count(self, fragment):
        """Requests whose path holds ``fragment``."""
        with self.lock:
            return sum(n for path, n in self.seen.items() if fragment in path)

    def handle_error(self, request, client_address):
        pass  # resets, refused handshakes, clients that give up: the tests'

    def start(self):
        # Polled every 50 ms: close() does not wait half a second.
        threading.Thread(target=self.serve_forever, args=(0.05,),
                         daemon=True).start()
        return self

    def close(self):
        self.stop.set()
        self.shutdown()
        self.server_close()
