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

"""The states of a job execution: one vocabulary, one table, both APIs.

A job's ``state`` is V2's word (the API of every cluster since MRS
1.9.2, and YARN's); V1.1's own word where V2 has one of the same
meaning is shown as V2's (Sahara's SUCCEEDED is FINISHED with the
result SUCCEEDED), and V1.1's words that say more (TOBEKILLED,
DONEWITHERROR, the job-exe's ABNORMAL ...) are kept. A job's ``result``
is V2's ``job_result``; on V1.1 it follows from the state.

Which states count as running, ended well and ended badly is
:func:`ended` and :func:`ended_well`, here and nowhere else.
"""

# V2's job_state values (api-ref querying_a_list_of_jobs).
V2_STATES = ('FAILED', 'KILLED', 'New', 'NEW_SAVING', 'SUBMITTED',
             'ACCEPTED', 'RUNNING', 'FINISHED')
# V1.1's words with no V2 word of the same meaning: Sahara's statuses
# (which MRS fills into info.status) and the job-exe's states.
V11_ONLY = ('PENDING', 'PREP', 'READYTORUN', 'TOBEKILLED', 'DONEWITHERROR',
            'TOBESUSPENDED', 'PREPSUSPENDED', 'SUSPENDED', 'SUSPENDFAILED',
            'STARTING', 'COMPLETED', 'ABNORMAL', 'ERROR')
#: Every state a job is shown in, whichever API manages it.
STATES = V2_STATES + V11_ONLY
# V1.1 words shown as V2's.
FROM_V11 = {'SUCCEEDED': 'FINISHED'}
#: V2's job_result values.
RESULTS = ('SUCCEEDED', 'FAILED', 'KILLED', 'UNDEFINED')
# The states in which a job has ended, in the order ``ended`` names them.
_ENDED = ('FINISHED', 'FAILED', 'KILLED', 'DONEWITHERROR', 'COMPLETED',
          'ABNORMAL', 'ERROR')
#: The states in which a job has ended.
ENDED = frozenset(_ENDED)
# A V1.1 job's result, from its own word (else UNDEFINED, as V2 says of a
# job that has not ended). COMPLETED is a job-exe whose ending is unknown.
_V11_RESULTS = {'SUCCEEDED': 'SUCCEEDED', 'FAILED': 'FAILED',
                'DONEWITHERROR': 'FAILED', 'ABNORMAL': 'FAILED',
                'ERROR': 'FAILED', 'KILLED': 'KILLED'}
#: What ``--state ended`` (and ``state='ended'``) stands for.
ENDED_WORD = 'ended'


def from_v11(word):
    """``(state, result)`` of a V1.1 job whose own state is ``word``."""
    if word is None:
        return None, None
    return FROM_V11.get(word, word), _V11_RESULTS.get(word, 'UNDEFINED')


def ended(state):
    """Whether a job in ``state`` has ended (well or badly)."""
    return state in ENDED


def ended_well(state, result):
    """Whether a job ended well: FINISHED with the result SUCCEEDED."""
    return state == 'FINISHED' and result == 'SUCCEEDED'


def asked(words):
    """The states ``words`` name, in :data:`STATES` spelling, in order.

    Any letter case; ``ended`` is every state of :data:`ENDED`; V1.1's
    own words that V2 names otherwise (SUCCEEDED) are taken as V2's.
    A word that names no state raises ``ValueError`` naming them.
    """
    spelled = {state.lower(): state for state in STATES}
    spelled.update({word.lower(): state for word, state in FROM_V11.items()})
    found = []
    for word in words:
        key = str(word).lower()
        if key == ENDED_WORD:
            found.extend(_ENDED)
        elif key in spelled:
            found.append(spelled[key])
        else:
            raise ValueError(
                f'{word!r} is no state: one of {", ".join(STATES)}, or '
                f'{ENDED_WORD}')
    return tuple(dict.fromkeys(found))
