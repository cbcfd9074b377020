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

"""What a command test needs of OSC: an app, and a parser check.

Ours rather than osc-lib's ``osc_lib.test.base`` (osc-lib 4.3.0 and
later), so that the runtime lower bounds are what the plugin needs at
run time, not what a test helper needs.
"""

import io
from unittest import mock

import testtools


class ParserException(Exception):
    """The arguments did not parse (argparse exited)."""


class FakeApp:
    """What a command reads of the application."""

    def __init__(self):
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.options = mock.Mock(debug=False)
        self.client_manager = mock.Mock()
        # OSC's login, which a command asks for once its checks pass.
        self.prepare_to_run_command = mock.Mock()


class TestCommand(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.app = FakeApp()

    def check_parser(self, cmd, args, verify_args=()):
        parser = cmd.get_parser('check_parser')
        try:
            parsed_args = parser.parse_args(args)
        except SystemExit:
            raise ParserException('Argument parse failed')
        for name, value in verify_args:
            self.assertEqual(value, getattr(parsed_args, name))
        return parsed_args
