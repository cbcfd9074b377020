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

import threading

import testtools

from mrsclient.api import exceptions
from mrsclient.api.http import concurrency


class TestMapInOrder(testtools.TestCase):

    def test_results_in_the_order_given_whatever_the_order_of_answers(self):
        # Each answer waits for the one after it: they come last first.
        done = [threading.Event() for _ in range(11)]
        done[10].set()

        def last_first(n):
            done[n + 1].wait(5)
            done[n].set()
            if n == 3:
                raise exceptions.MrsError('three')
            return n * n

        # Item 0 runs alone first (the login): it waits for nobody.
        done[1].set()
        result = concurrency.map_in_order(last_first, range(10), 10)
        self.assertEqual(list(range(10)), [item for item, _, _ in result])
        self.assertEqual([n * n for n in range(10) if n != 3],
                         [value for item, value, _ in result if item != 3])
        self.assertEqual('three', str(result[3][2]))

    def test_the_first_runs_alone_then_at_most_the_bound(self):
        lock = threading.Lock()
        together = threading.Event()
        running, most, first_alone = [0], [0], []

        def track(n):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                if n == 0:
                    first_alone.append(running[0] == 1)
                if running[0] > 1:
                    together.set()
            # Hold on until a second call is under way (or give up).
            if n:
                together.wait(5)
            with lock:
                running[0] -= 1

        concurrency.map_in_order(track, range(30), 50)
        self.assertEqual([True], first_alone)
        self.assertLessEqual(most[0], concurrency.MAX_PARALLEL)
        self.assertGreater(most[0], 1)

    def test_one_at_a_time(self):
        order = []
        concurrency.map_in_order(order.append, 'abc', 1)
        self.assertEqual(['a', 'b', 'c'], order)


class TestAhead(testtools.TestCase):

    def test_in_order_with_width_under_way(self):
        lock = threading.Lock()
        under_way, most = [0], [0]
        release = threading.Event()

        def call(n):
            with lock:
                under_way[0] += 1
                most[0] = max(most[0], under_way[0])
            release.wait(5)
            with lock:
                under_way[0] -= 1
            return n * 10

        results = concurrency.ahead(call, range(20), 4)
        release.set()
        self.assertEqual([n * 10 for n in range(20)], list(results))
        self.assertLessEqual(most[0], 4)

    def test_closing_it_sends_nothing_more(self):
        called = []

        def call(n):
            called.append(n)
            return n

        results = concurrency.ahead(call, range(1000), 3)
        self.assertEqual(0, next(results))
        results.close()
        # What was under way ended; nothing after it was started.
        self.assertLessEqual(len(called), 4)

    def test_an_error_comes_where_its_result_would(self):
        def call(n):
            if n == 2:
                raise exceptions.InvalidValue('bad page')
            return n

        results = concurrency.ahead(call, range(5), 3)
        self.assertEqual([0, 1], [next(results), next(results)])
        self.assertRaises(exceptions.InvalidValue, next, results)

    def test_one_at_a_time(self):
        self.assertEqual([1, 2], list(concurrency.ahead(
            lambda n: n, [1, 2], 1)))
