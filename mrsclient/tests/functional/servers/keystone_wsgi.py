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

"""Serve Keystone with waitress: run by the Keystone venv's python.

One process (Keystone's in-memory cache stays coherent), several threads,
HTTP/1.1 keep-alive. It binds port 0 and writes the port it got to
KEYSTONE_PORT_FILE. Keystone parses sys.argv itself, so the config comes
from OS_KEYSTONE_CONFIG_DIR.
"""

import os
import sys

import waitress

sys.argv = sys.argv[:1]
from keystone.wsgi import api  # noqa: E402

server = waitress.create_server(
    api.application, host='127.0.0.1', port=0, threads=8, ident='keystone')
with open(os.environ['KEYSTONE_PORT_FILE'], 'w') as f:
    f.write(f'{server.effective_port}\n')
server.run()
