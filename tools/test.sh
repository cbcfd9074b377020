#!/usr/bin/env bash
# The README's test command: every tox env, from any Python 3.10 or newer.
#
# Uses python3's own tox when it has one. Otherwise tox goes into a venv
# of its own, .tox/tox-venv: a Debian or Ubuntu system Python refuses
# "pip install" (PEP 668, externally-managed-environment), and a venv is
# what it allows. Arguments are tox's (e.g. -e py3).
set -eu
cd "$(dirname "$0")/.."

if python3 -m tox --version >/dev/null 2>&1; then
    exec python3 -m tox "$@"
fi
venv=.tox/tox-venv
if ! "$venv/bin/python" -m tox --version >/dev/null 2>&1; then
    echo "tools/test.sh: installing tox into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet 'tox>=4.11'
fi
exec "$venv/bin/python" -m tox "$@"
