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

"""Lines for people on stderr that are not errors, and ``-q``.

Progress (a change of state, a submission), and warnings that are no
failure (words after ``--`` that look like our options, a job whose
reads fail for a while): each one line on stderr, and none under OSC's
``-q`` (``--quiet``), so that cron mails nothing for a clean-up that
worked. Errors are not written here: they are the command's failure.
"""


def quiet(app):
    """Whether the operator asked for no lines but errors (``-q``)."""
    options = getattr(app, 'options', None)
    return getattr(options, 'verbose_level', 1) == 0


def say(app, text):
    """One line on stderr, unless ``-q``."""
    if quiet(app):
        return
    app.stderr.write(text.rstrip('\n') + '\n')
    app.stderr.flush()


def state_text(state):
    """A state as a line says it; one not read yet is said so."""
    return 'not read yet' if state is None else str(state)
