#!/usr/bin/env bash
# The main job: install mrsclient with python-openstackclient into a venv
# kept under .tox/ (out of the tree's linted and tested files), start
# mrs-simulator, and with the real `openstack` command: find a running job
# execution, cancel it and wait until it is KILLED, show what a second
# cancel says (V1.1); then on a cluster (V2) cancel a job, submit an SQL
# job, wait for it, list its result and delete it. Stop the simulator,
# keep its clouds.yaml, and say how to carry on.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tox/demo-venv
kept=.tox/demo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
echo "Installing mrsclient into $venv ..."
"$venv/bin/pip" install --disable-pip-version-check . > "$work/pip.log" 2>&1 \
    || { cat "$work/pip.log"; exit 1; }

mkdir -p "$kept"
# The demo's own file (the simulator writes only over one it wrote).
rm -f "$kept/clouds.yaml"
"$venv/bin/mrs-simulator" --clouds-yaml "$kept/clouds.yaml" \
    --inventory "$work/inventory.json" > "$work/simulator.log" 2>&1 &
simulator=$!
trap 'kill $simulator 2>/dev/null; wait $simulator 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/inventory.json" ] && break; sleep 0.1; done
cat "$work/simulator.log"
export OS_CLIENT_CONFIG_FILE="$PWD/$kept/clouds.yaml"

show() { echo "\$ $*"; "$venv/bin/$@"; }
show openstack --os-cloud mrs-simulator mrs job execution list
running=$("$venv/bin/openstack" --os-cloud mrs-simulator mrs job execution \
    list -f value -c id -c state | awk '$2 == "RUNNING" {print $1; exit}')
echo
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running" \
    --wait --poll-interval 1 --timeout 60 -c id -c state -c end_time
echo
echo "A second cancel finds the job killed already (no failure: it no longer runs):"
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running" \
    -c id -c state

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
    -c id -c state -c result -c end_time

echo
echo "Submit an SQL job to the cluster, wait for it, read its result:"
show openstack --os-cloud mrs-simulator mrs job execution create \
    --cluster "$cluster" --type SparkSql --name demo_report \
    -f value -c id -- "select name, id from staff" | tee "$work/job"
submitted=$(tail -n 1 "$work/job")
show openstack --os-cloud mrs-simulator mrs job execution wait \
    --cluster "$cluster" "$submitted" --poll-interval 1 --timeout 2m \
    -c id -c name -c state -c result
show openstack --os-cloud mrs-simulator mrs job execution result list \
    --cluster "$cluster" "$submitted"
echo
echo "Clean up: delete the job (it has ended), and see it gone:"
show openstack --os-cloud mrs-simulator mrs job execution delete \
    --cluster "$cluster" "$submitted"
show openstack --os-cloud mrs-simulator mrs job execution show \
    --cluster "$cluster" "$submitted" || echo "(exit status $?)"

echo
echo "Shown: list, cancel --wait (V1.1 and V2), create, wait, result list" \
    "and delete, against mrs-simulator (stopped now). To carry on, start it" \
    "again (its clouds.yaml is kept) and point openstack at it:"
echo "  $venv/bin/mrs-simulator --clouds-yaml $kept/clouds.yaml &"
echo "  export OS_CLIENT_CONFIG_FILE=$PWD/$kept/clouds.yaml" \
    "PATH=$PWD/$venv/bin:\$PATH"
