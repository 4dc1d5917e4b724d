"""deploy/gunicorn.conf.py: each server has its own pid file and no shared control socket."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import fetch

# Starts real gunicorn servers.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(tmp_path, port):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_URL", "REDIS_URL"}}
    # gunicorn's shared control socket would be made under one of these.
    env.update(
        PORT=str(port),
        VAR_DIR=str(tmp_path / "var"),
        XDG_RUNTIME_DIR=str(tmp_path),
        HOME=str(tmp_path),
        WORKERS="1",
    )
    return subprocess.Popen(  # noqa: S603 -- our own command line
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def robots_txt(port):
    """robots.txt once the server answers (it takes a moment to start)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return fetch(f"http://127.0.0.1:{port}/robots.txt")[2]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_two_servers_each_have_their_own_pid_file_and_no_control_socket(tmp_path):
    ports = [free_port(), free_port()]
    servers = [start_gunicorn(tmp_path, port) for port in ports]
    try:
        for server, port in zip(servers, ports, strict=True):
            # Served on the port it was given, with links to that port.
            assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots_txt(port)
            # `make reload PORT=…` signals the master named here.
            pidfile = tmp_path / "var" / f"gunicorn-{port}.pid"
            assert int(pidfile.read_text()) == server.pid
        assert not (tmp_path / "gunicorn.ctl").exists()
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=40)
    assert not list((tmp_path / "var").glob("gunicorn-*.pid"))
