#!/usr/bin/env bash
# The main job: install mrsclient with python-openstackclient into a venv
# kept under .tox/ (out of the tree's linted and tested files), start
# mrs-simulator, find a running job execution with the real `openstack`
# command, cancel it and wait until it is KILLED, show what a second cancel
# says, and stop the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tox/demo-venv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
echo "Installing mrsclient into $venv ..."
"$venv/bin/pip" install --disable-pip-version-check . > "$work/pip.log" 2>&1 \
    || { cat "$work/pip.log"; exit 1; }

"$venv/bin/mrs-simulator" --clouds-yaml "$work/clouds.yaml" \
    --inventory "$work/inventory.json" > "$work/simulator.log" 2>&1 &
simulator=$!
trap 'kill $simulator 2>/dev/null; wait $simulator 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/inventory.json" ] && break; sleep 0.1; done
cat "$work/simulator.log"
export OS_CLIENT_CONFIG_FILE="$work/clouds.yaml"

show() { echo "\$ $*"; "$venv/bin/$@"; }
show openstack --os-cloud mrs-simulator mrs job execution list
running=$("$venv/bin/openstack" --os-cloud mrs-simulator mrs job execution \
    list -f value -c id -c status | awk '$2 == "RUNNING" {print $1; exit}')
echo
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running" \
    --wait --poll-interval 1 --timeout 60 -c id -c info -c end_time
echo
echo "A second cancel finds the job killed already:"
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running" \
    || echo "(exit status $?)"

echo
echo "A cluster of MRS 1.9.2 or later manages its jobs through the V2 API:"
read -r cluster job < <("$venv/bin/python" -c 'import json, sys
seeded = json.load(open(sys.argv[1]))
print(seeded["clusters"]["v2"], seeded["jobs"]["running"][0])' \
    "$work/inventory.json")
show openstack --os-cloud mrs-simulator mrs job execution list \
    --cluster "$cluster" --state running
show openstack --os-cloud mrs-simulator mrs job execution cancel \
    --cluster "$cluster" "$job" --wait --poll-interval 1 --timeout 60 \
    -c job_id -c job_state -c job_result -c finished_time
