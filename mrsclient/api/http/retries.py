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

"""How every MRS request is sent: a bounded time, bounded retries.

* Each request has a timeout (``DEFAULT_TIMEOUT`` seconds unless the
  client is given another) for connecting and for each read of the
  socket, as requests applies it: a server that goes silent for that long
  fails the try, one that trickles a byte now and then does not.
* Reads are retried through keystoneauth's own options, set once on the
  Adapter (``ADAPTER_OPTIONS``): ``RETRIES`` more tries after a refused
  or reset connection or a timeout (connecting or reading), and
  ``RETRIES`` more after a 502, 503 or 504, with its backoff (0.5 s,
  1 s). keystoneauth counts the two kinds apart, so a read is sent at
  most 3 times when one kind of fault repeats and 5 times when they
  alternate.
* A request that changes something (the V1.1 cancel, although a GET;
  deletes; the V2 kill, batch delete and submit) is sent with no retry
  here (``ONCE``, keystoneauth's per-request options): when its answer is
  lost, the job's state afterwards decides what happened
  (:mod:`mrsclient.api.jobs.lost_answers`),
  and a submission is never sent again.
* 429s are :mod:`mrsclient.api.http.throttling`'s; what the request log shows
is
  :mod:`mrsclient.api.http.request_log`'s.
"""

from mrsclient.api.http import request_log
from mrsclient.api.http import throttling

DEFAULT_TIMEOUT = 30.0
RETRIES = 2
RETRIABLE_STATUS_CODES = (502, 503, 504)

# keystoneauth Adapter options of every MRS client: retries of reads,
# and the logger whose records are masked.
ADAPTER_OPTIONS = {
    'connect_retries': RETRIES,
    'status_code_retries': RETRIES,
    'retriable_status_codes': list(RETRIABLE_STATUS_CODES),
    'logger': request_log.LOG,
}

# Request options of a request that changes something: one try.
ONCE = {'connect_retries': 0, 'status_code_retries': 0}

RESPONSE_HOOKS = (request_log.remember_token, throttling.cap_retry_after)
