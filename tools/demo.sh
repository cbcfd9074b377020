#!/usr/bin/env bash
# The main job: install mrsclient with python-openstackclient into
# .demo-venv, start mrs-simulator, cancel a running job execution with the
# real `openstack` command, show what a second cancel says, and stop the
# simulator.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.demo-venv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
echo "Installing mrsclient into $venv ..."
"$venv/bin/pip" install --disable-pip-version-check . > "$work/pip.log" 2>&1 \
    || { cat "$work/pip.log"; exit 1; }

"$venv/bin/mrs-simulator" --clouds-yaml "$work/clouds.yaml" \
    --inventory "$work/inventory.json" > "$work/simulator.log" 2>&1 &
simulator=$!
trap 'kill $simulator; wait $simulator 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/inventory.json" ] && break; sleep 0.1; done
cat "$work/simulator.log"

running=$("$venv/bin/python" -c 'import json, sys
print(json.load(open(sys.argv[1]))["job_executions"]["running"][0])' \
    "$work/inventory.json")
export OS_CLIENT_CONFIG_FILE="$work/clouds.yaml"

show() { echo "\$ $*"; "$venv/bin/$@"; }
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running"
echo
echo "A second cancel finds the job killed already:"
show openstack --os-cloud mrs-simulator mrs job execution cancel "$running" \
    || echo "(exit status $?)"
