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

"""Many requests at once through the one keystoneauth session.

A small bounded pool of threads; results come back in the order of the
items, whatever order the answers arrive in. The first item runs alone,
so that the session logs in once before the others share it.
"""

import collections
from concurrent import futures
import contextlib

from mrsclient.api import exceptions

# requests keeps 10 connections per host: more threads than that would
# open and drop connections (and urllib3 warns about each).
MAX_PARALLEL = 10
DEFAULT_PARALLEL = 10


def untold(ids, answered):
    """A ``progress(ids, answered)`` callback that nobody listens to."""


@contextlib.contextmanager
def telling(progress, ids):
    """Tell ``progress`` that requests for ``ids`` go out, then answered.

    An answer is an answer, a failure too; an interrupt (Ctrl-C) is not.
    """
    progress(ids, answered=False)
    try:
        yield
    except Exception:
        progress(ids, answered=True)
        raise
    progress(ids, answered=True)


def map_in_order(function, items, parallel=1):
    """``[(item, value, error)]``, in the order of ``items``.

    ``error`` is the ``MrsError`` that ``function(item)`` raised (and
    ``value`` None), or None.
    """
    return list(each_in_order(function, items, parallel))


def each_in_order(function, items, parallel=1):
    """As :func:`map_in_order`, one result at a time.

    Each is yielded as soon as it and every one before it are in.
    """
    def attempt(item):
        try:
            return item, function(item), None
        except exceptions.MrsError as exc:
            return item, None, exc

    items = list(items)
    workers = min(parallel, MAX_PARALLEL, len(items) - 1)
    if workers < 2:
        for item in items:
            yield attempt(item)
        return
    # Imported here: a command over one id never pays for the pool.
    yield attempt(items[0])
    pool = futures.ThreadPoolExecutor(max_workers=workers)
    try:
        yield from pool.map(attempt, items[1:])
    finally:
        # On Ctrl-C (or a caller that stops early) nothing more is sent:
        # the requests under way end by themselves, the rest never start.
        pool.shutdown(wait=False, cancel_futures=True)


def ahead(function, items, width):
    """``function(item)`` of each item in order, ``width`` under way.

    A generator: as each result is taken, the call of the next item not
    yet started is sent, so that ``width`` calls are under way while
    there are items (a list's pages: as soon as one is answered, the next
    is asked for). An error is raised where its result would come.
    Closing the generator (the caller has read enough) sends nothing
    more: calls not started are cancelled.
    """
    items = iter(items)
    width = min(width, MAX_PARALLEL)
    if width < 2:
        for item in items:
            yield function(item)
        return
    pool = futures.ThreadPoolExecutor(max_workers=width)
    under_way = collections.deque()
    try:
        for item in items:
            under_way.append(pool.submit(function, item))
            if len(under_way) == width:
                break
        while under_way:
            result = under_way.popleft().result()
            for item in items:
                under_way.append(pool.submit(function, item))
                break
            yield result
    except BaseException as exc:
        # Closed early, or an error: the calls under way end first (each
        # within its timeout), so none outlives this; on Ctrl-C, not.
        pool.shutdown(wait=not isinstance(exc, KeyboardInterrupt),
                      cancel_futures=True)
        raise
    pool.shutdown()
