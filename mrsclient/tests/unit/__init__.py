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

"""Unit tests. hypothesis runs derandomized unless asked otherwise.

The profile ``ci`` (the default) draws the same examples on every run,
so that a run cannot fail by chance; ``HYPOTHESIS_PROFILE=explore`` draws
new ones each time, to look for new failures.
"""

import os

from hypothesis import settings

settings.register_profile('ci', derandomize=True, database=None)
settings.register_profile('explore')
settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))
