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

import threading

from osc_lib import exceptions

# requests keeps 10 connections per host: more threads than that would
# open and drop connections (and urllib3 warns about each).
MAX_PARALLEL = 10
DEFAULT_PARALLEL = 10


def map_in_order(function, items, parallel=1):
    """``[(item, value, error)]``, in the order of ``items``.

    ``error`` is the ``CommandError`` that ``function(item)`` raised (and
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
        except exceptions.CommandError as exc:
            return item, None, exc

    items = list(items)
    workers = min(parallel, MAX_PARALLEL, len(items) - 1)
    if workers < 2:
        for item in items:
            yield attempt(item)
        return
    # Imported here: a command over one id never pays for the pool.
    from concurrent import futures

    yield attempt(items[0])
    with futures.ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(attempt, items[1:])


class Pace:
    """How many requests of one client may be under way at once.

    As AWS's ``adaptive`` retry mode does: each 429 halves the number
    (down to 1), each other answer adds back a little (one more once as
    many answers as the number came), up to ``most``. A request waits at
    the gate until it may go.
    """

    def __init__(self, most=MAX_PARALLEL, adaptive=True):
        self.most = most
        self.adaptive = adaptive
        self.limit = float(most)
        self.under_way = 0
        self._changed = threading.Condition()

    def __enter__(self):
        with self._changed:
            while self.under_way >= max(1, int(self.limit)):
                self._changed.wait()
            self.under_way += 1
        return self

    def __exit__(self, *exc_info):
        with self._changed:
            self.under_way -= 1
            self._changed.notify_all()

    def slow_down(self):
        if self.adaptive:
            with self._changed:
                self.limit = max(1.0, self.limit / 2)

    def speed_up(self):
        if self.adaptive and self.limit < self.most:
            with self._changed:
                self.limit = min(float(self.most),
                                 self.limit + 1 / self.limit)
                self._changed.notify_all()
