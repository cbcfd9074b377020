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

"""No hint names an option that its command refuses."""

import configparser
import importlib
import pathlib
import re

import testtools

from mrsclient.osc import errors
from mrsclient.tests.unit.osc import command_base

SETUP_CFG = pathlib.Path(__file__).parents[4] / 'setup.cfg'
# OSC's own options, which every command takes.
GLOBAL = re.compile(r'--(os-|insecure)')


def commands():
    config = configparser.ConfigParser()
    config.read(SETUP_CFG)
    for line in config['entry_points']['openstack.mrs_job.v1'].split('\n'):
        if '=' in line:
            module, _, name = line.split('=')[1].strip().partition(':')
            yield getattr(importlib.import_module(module), name)


class TestHintsNameOptionsTheCommandTakes(testtools.TestCase):

    def test_every_command(self):
        found = list(commands())
        self.assertEqual(7, len(found))
        for command in found:
            parser = command(command_base.FakeApp(), None).get_parser('x')
            takes = {option for action in parser._actions
                     for option in action.option_strings}
            hints = {**errors.HINTS, **command.hints}
            for code, hint in hints.items():
                for option in re.findall(r'--[a-z][a-z-]*', hint):
                    if not GLOBAL.match(option):
                        self.assertIn(option, takes,
                                      f'{command.__name__}: {code}: {hint}')
