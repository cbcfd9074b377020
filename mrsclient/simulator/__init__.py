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

"""mrs-simulator: a local MRS job-execution API, to try without a cloud.

A test tool, as moto is for AWS, laid out as moto lays out a service:

* :mod:`.state`: projects, clusters, jobs and the rules of what a kill
  does over time (no HTTP);
* :mod:`.keystone`: just enough Keystone v3 for OSC to log in;
* :mod:`.v1_1` and :mod:`.v2`: the two job-execution APIs, each rendering
  the same jobs in the API reference's shapes, with MRS's error codes;
* :mod:`.server`: HTTP in and out; :mod:`.cli`: the ``mrs-simulator``
  command.

It shares no code with the client: its paths, bodies and error codes are
written from the API reference, so the two can disagree. The rules are
listed in ``doc/source/simulator.rst``.
"""
