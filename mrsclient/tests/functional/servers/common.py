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

"""Venvs, ports and processes for the servers of the functional tests.

Every process started here dies with the process that started it, even
when that one is killed with SIGKILL (Linux's parent-death signal), and
gets a session of its own, so that stopping it stops what it started.
"""

import ctypes
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

_PR_SET_PDEATHSIG = 1


def log(message):
    print(f'servers: {message}', file=sys.stderr, flush=True)


def die_with_parent(sig=signal.SIGKILL):
    """A ``preexec_fn``: the child gets ``sig`` when its parent dies."""
    parent = os.getpid()

    def preexec():
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig))
        if os.getppid() != parent:  # the parent died before prctl
            os.kill(os.getpid(), sig)
    return preexec


def _first_ephemeral_port():
    """Where the kernel's range for port 0 binds and connections starts."""
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port():
    """A port free now, outside the kernel's ephemeral range.

    Only for a server that cannot bind port 0 and report it. A port from
    the ephemeral range could be taken, before the server binds it, by
    any outgoing connection on the machine (another test's client, say);
    one below it can only collide with another server's pick.
    """
    low = _first_ephemeral_port()
    candidates = range(max(1024, low - 12000), low)
    for port in random.sample(candidates, min(200, len(candidates))):
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    with socket.socket() as s:  # no room below the range: take a chance
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def ensure_venv(path, packages):
    """Make a venv at ``path`` with ``packages`` in it.

    The venv is reused when it was built with exactly these packages.
    """
    python = os.path.join(path, 'bin', 'python')
    stamp = os.path.join(path, 'installed.txt')
    wanted = '\n'.join(packages) + '\n'
    try:
        with open(stamp) as f:
            if f.read() == wanted:
                return
    except OSError:
        pass
    started = time.monotonic()
    log(f'installing {" ".join(packages)} into {path}')
    subprocess.run([sys.executable, '-m', 'venv', '--clear', path],
                   check=True)
    subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                    '--disable-pip-version-check', *packages], check=True)
    with open(stamp, 'w') as f:
        f.write(wanted)
    log(f'installed in {time.monotonic() - started:.0f} s')


def http_status(url, timeout=2):
    """The status of GET url, or None if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None


class Process:
    """A server process with its output in a log file."""

    def __init__(self, name, argv, log_path, env=None, cwd=None):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, 'ab')
        self.proc = subprocess.Popen(
            argv, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=env, cwd=cwd,
            start_new_session=True, preexec_fn=die_with_parent())

    @property
    def pid(self):
        return self.proc.pid

    def wait_for_file(self, path, timeout=60):
        """Wait until the server has written ``path``; return its text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with open(path) as f:
                    text = f.read()
                if text.endswith('\n'):
                    return text
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f'{self.name} did not write {path}; see '
                           f'{self.log_path}')

    def wait_until(self, url, statuses, timeout=60):
        """Wait until GET url answers one of ``statuses``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if http_status(url) in statuses:
                return
            time.sleep(0.2)
        self.stop()
        with open(self.log_path, errors='replace') as f:
            tail = f.read()[-3000:]
        raise RuntimeError(f'{self.name} did not come up at {url}; the end '
                           f'of {self.log_path}:\n{tail}')

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self._log.close()


class VenvServer:
    """A server from PyPI, in a venv of its own.

    Subclasses name it and pin its ``packages``; its files (config, log,
    database) live in ``<workdir>/<name>``.
    """

    name = None
    packages = ()

    def __init__(self, venvs, workdir):
        self.venv = os.path.join(venvs, self.name)
        self.python = self.bin('python')
        self.workdir = os.path.join(workdir, self.name)
        self.conf = os.path.join(self.workdir, f'{self.name}.conf')
        self.process = None

    def bin(self, script):
        return os.path.join(self.venv, 'bin', script)

    def install(self):
        ensure_venv(self.venv, self.packages)

    def write_conf(self, template, **values):
        os.makedirs(self.workdir, exist_ok=True)
        with open(self.conf, 'w') as f:
            f.write(template.format(workdir=self.workdir, **values))

    def launch(self, argv, env=None):
        self.process = Process(self.name, argv,
                               os.path.join(self.workdir, 'server.log'),
                               env=env)
        return self.process

    def stop(self):
        if self.process:
            self.process.stop()
