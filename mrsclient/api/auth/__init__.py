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

"""Signing in with access keys: the ``mrs-aksk`` auth type.

:mod:`.loader` (its options, read on every ``openstack`` call, so it
imports nothing more), :mod:`.aksk` (the keystoneauth plugin),
:mod:`.signing` (how a request is signed) and :mod:`.agency` (an ECS
agency's temporary keys).
"""

# Where an ECS reads its agency's keys (the loader's default, and the
# plugin's when it is made in Python without one).
DEFAULT_METADATA_URL = 'http://169.254.169.254'
