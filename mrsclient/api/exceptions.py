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

"""Every error :mod:`mrsclient.api` raises.

All derive from :class:`MrsError`, and ``str()`` of any of them is one
line that names no command-line option: a program catches
``MrsError`` and reads the attributes; the OpenStackClient commands turn
them into the lines operators read (:mod:`mrsclient.osc.errors`).

``lost`` is true where the request may have taken effect although no
usable answer came (a gateway's 502, 503 or 504, a timeout, a reset).
:func:`transient` tells a failed read worth sending again later (an
outage) from an answer that settles it (no such job, a refused login).
"""

from mrsclient.api import secret_names

# The service's codes (api-ref appendix/error_code.rst) that say a kill
# was refused (the job may have ended), and that there is no such job.
KILL_REFUSED = frozenset({'0160', '0175', '0200'})
NO_SUCH_JOB = frozenset({'0176', '0201'})
# Answers that may hide a request that took effect.
LOST_STATUSES = frozenset({502, 503, 504})
# Answers that say "not now": a read may be sent again later.
BUSY_STATUSES = LOST_STATUSES | {429}
# How a connection failed (TransportError.reason), each a passing fault.
PASSING = frozenset({'timeout', 'refused', 'reset', 'connect'})

_MAX_CODE = 64
_MAX_REQUEST_ID = 128
_MAX_TEXT = 300


def one_line(text, limit=_MAX_TEXT):
    """Collapse white space, so any text fits on one line, and cut it."""
    text = ' '.join(str(text).split())
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + '...'
    return text


def _sentence(text):
    return text if text.endswith('.') else text + '.'


class MrsError(Exception):
    """An error of the MRS client; ``str()`` is one line."""

    lost = False


class InvalidValue(MrsError, ValueError):
    """A value the client refuses before any request (a blank id)."""


class ConfigurationError(MrsError):
    """The client cannot tell where to send requests.

    ``reason`` is ``'no_endpoint'`` (no ``mrs`` service in the catalog
    and no endpoint given; ``'aksk_no_endpoint'`` with access keys),
    ``'no_scheme'`` (an endpoint that is not an http(s) URL),
    ``'aksk_no_project'`` (access keys, and neither a project id nor a
    region) or ``'no_project'`` (neither the token nor the
    endpoint names a project).
    """

    def __init__(self, message, reason):
        super().__init__(message)
        self.reason = reason


class TransportError(MrsError):
    """No usable answer: connecting, TLS, a timeout, an undocumented one.

    :param action: what was being done ("Failed to show job X")
    :param detail: what went wrong, one sentence
    :param reason: ``'timeout'`` (no answer in time), ``'refused'``
        (nothing listens), ``'reset'`` (the connection was cut before an
        answer), ``'connect'`` (no connection for another reason, such as
        a name that does not resolve), ``'tls'``, ``'redirect'`` (a 3xx,
        never followed), ``'unexpected'`` (a 2xx the client cannot use) or
        ``'other'``
    """

    def __init__(self, action, detail, reason='other', lost=False):
        self.action = action
        # A URL's password, a secret's value: never in a line.
        self.detail = secret_names.mask_text(str(detail))
        self.reason = reason
        self.lost = lost
        super().__init__(self.describe())

    def describe(self, advice=None):
        """The line, with ``advice`` (in parentheses) after the detail."""
        text = self.detail + (f' ({advice})' if advice else '')
        text = _sentence(text)
        return f'{self.action}: {text}' if self.action else text


class LostAnswer(TransportError):
    """No answer came (a timeout, a reset): the request may have worked."""

    def __init__(self, action, detail, reason='connect'):
        super().__init__(action, detail, reason, lost=True)


class ApiError(MrsError):
    """The service answered a request with an error.

    ``str()`` is the HTTP status, the service's own code and message,
    what the client found out (``hint``) or knows of the code, and the
    request id.
    """

    def __init__(self, http_status, code=None, message=None,
                 request_id=None, action=None, cluster_id=None, hint=None):
        self.http_status = http_status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action
        self.cluster_id = cluster_id
        self.hint = hint
        self.lost = http_status in LOST_STATUSES
        super().__init__(self.describe())

    def on_cluster(self, cluster_id):
        """The same error, knowing the job's cluster."""
        return ApiError(self.http_status, self.code, self.message,
                        self.request_id, self.action, cluster_id, self.hint)

    def doing(self, action):
        """The same answer, to another request (``action``)."""
        return ApiError(self.http_status, self.code, self.message,
                        self.request_id, action, self.cluster_id, self.hint)

    def with_hint(self, hint):
        """The same error with a hint of its own (what was found)."""
        return ApiError(self.http_status, self.code, self.message,
                        self.request_id, self.action, self.cluster_id, hint)

    def describe(self, hints=None):
        """The line; ``hints`` maps codes to hints (with ``{cluster_id}``).

        The error's own hint comes first, then ``hints``, then what this
        module knows of the code (:data:`HINTS`); the key ``429`` (a
        number) is the hint of a 429 whatever its code.
        """
        head = f'HTTP {self.http_status}'
        if self.code not in (None, ''):
            head += f' {one_line(self.code, _MAX_CODE)}'
        parts = [head + (f': {self.message}' if self.message else '')]
        known = {**HINTS, **(hints or {})}
        hint = self.hint or known.get(str(self.code)) or (
            known.get(429) if self.http_status == 429 else None)
        if hint:
            parts.append(hint.format(
                cluster_id=self.cluster_id or '<cluster-id>'))
        line = ' '.join(_sentence(p) for p in parts)
        if self.action:
            line = f'{self.action}: {line}'
        if self.request_id:
            line += (f' (Request-ID: '
                     f'{one_line(self.request_id, _MAX_REQUEST_ID)})')
        return line


_KILL_FAILED = 'MRS could not kill the job.'
# What an error code means, in words a program's user can act on.
HINTS = {
    '0160': _KILL_FAILED,
    '0175': _KILL_FAILED,
    '0200': _KILL_FAILED,
    '0176': ('No such job in this project: check the id, and that the '
             'cloud, project and region are the ones the job runs in.'),
    '0201': 'No such job on this cluster: check the id and the cluster.',
    '0167': ('The cluster runs an MRS version before 1.9.2, whose jobs '
             'the V1.1 API manages.'),
    '12000085': ('The cluster runs an MRS version whose jobs only the V2 '
                 'API of cluster {cluster_id} manages.'),
    429: ('The API is throttling requests and still was after every '
          'retry: try again later, or with fewer at once.'),
}


class ListTooLong(MrsError):
    """A list still paging past ``most`` items: the server may never stop.

    ``action`` is what was being done, ``what`` what the list holds
    (``'jobs'``, ``'clusters'``). A list of jobs is then to be read a page
    at a time (the API's limit and offset or marker).
    """

    def __init__(self, action, most, what='jobs'):
        self.action = action
        self.most = most
        self.what = what
        super().__init__(
            f'{action}: the list goes on past {most} items, the most one '
            'list reads (a server that never stops paging looks like this)'
            + ('; read it a page at a time.' if what == 'jobs' else '.'))


class NameNotFound(MrsError):
    """A name that matches no resource, or several (``candidates``)."""

    def __init__(self, message, name, candidates=()):
        super().__init__(message)
        self.name = name
        self.candidates = list(candidates)


class AlreadyEnded(MrsError):
    """A cancel refused because the job had ended: ``job`` shows how."""

    def __init__(self, message, job):
        super().__init__(message)
        self.job = job


class NotEnded(MrsError):
    """A delete refused before any request: the job has not ended.

    The V2 API deletes only jobs that have ended; one that has not is
    deleted only when the caller says so (``force``).
    """

    def __init__(self, what, state):
        self.what = what
        self.state = state
        super().__init__(f'{what[:1].upper()}{what[1:]} is {state}: not '
                         'deleted, it has not ended.')


class EndedBadly(MrsError):
    """A job followed to its end did not end well: ``job`` shows how."""

    def __init__(self, message, job):
        super().__init__(message)
        self.job = job


class TimedOut(MrsError):
    """A wait's deadline came first: the job was last ``state``."""

    def __init__(self, message, state):
        super().__init__(message)
        self.state = state


class Unconfirmed(LostAnswer):
    """A kill whose answer was lost, its job still ``state``: ``job``.

    ``job``, here and in :class:`AlreadyEnded`, is the
    :class:`~mrsclient.api.jobs.model.JobExecution` the route read.
    """

    def __init__(self, lost, job, state):
        self.job = job
        self.state = state
        self.cause = lost
        super().__init__(None, f'{str(lost).rstrip(".")}. The job is still '
                               f'{state}: the kill may yet take effect',
                         reason=getattr(lost, 'reason', 'connect'))


def answer_lost(error):
    """Whether ``error`` leaves open that its request took effect."""
    return bool(getattr(error, 'lost', False))


def transient(error):
    """Whether a read that failed this way may work if sent again later.

    True for what an outage looks like: no connection, a reset, no answer
    in time, a 502, 503, 504 or 429, and a 5xx that carries no MRS error
    code (a proxy's page). False for an answer that settles the question:
    the service's own error code (``0176``: no such job), any other 4xx
    (401, 403, 404), TLS and unusable 2xx answers.
    """
    if isinstance(error, TransportError):
        return error.reason in PASSING
    if isinstance(error, ApiError):
        return error.http_status in BUSY_STATUSES or (
            error.http_status >= 500 and error.code in (None, ''))
    return False


def has_code(error, codes):
    return str(getattr(error, 'code', None)) in codes
