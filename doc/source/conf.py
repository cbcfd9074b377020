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

extensions = [
    'cliff.sphinxext',
    'openstackdocstheme',
]

project = 'mrsclient'
copyright = 'the mrsclient authors'
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'openstackdocs'
openstackdocs_repo_name = 'mrsclient/mrsclient'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False
pygments_style = 'native'

# Global options of `openstack` are documented by OSC itself.
autoprogram_cliff_application = 'openstack'
autoprogram_cliff_ignored = ['--help', '--format', '--column',
                             '--max-width', '--fit-width', '--print-empty',
                             '--noindent', '--prefix', '--quote',
                             '--sort-column', '--sort-ascending',
                             '--sort-descending']
