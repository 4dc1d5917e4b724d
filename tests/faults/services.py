"""Throwaway services for the fault drills: PostgreSQL, Redis and the site.

Each runs on a free port of 127.0.0.1, in a temporary folder, and is stopped
by its process id when its `with` block ends, whatever happened inside. The
drills stop and pause them on purpose (pg_ctl's postmaster and redis-server
get SIGINT, SIGSTOP, SIGCONT from here, and from nowhere else).

PostgreSQL refuses to run as root: as root, the cluster is made and run as
the `postgres` user, which owns its folder.
"""

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from usip_cms.management.commands.bench import free_port, stop, wait_until_up

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def postgres_bin(program):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=version_of)
    if found:
        return found[-1]
    on_path = shutil.which(program)
    if on_path is None:
        raise RuntimeError(f"{program} not found: install PostgreSQL (apt-get install postgresql)")
    return on_path


def version_of(path):
    return int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0


def as_postgres():
    """Run PostgreSQL's programs as `postgres` when we are root."""
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


def wait_for(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not happen within {seconds} s")


class Postgres:
    """A PostgreSQL cluster of its own; stop() and start() it at will."""

    def __init__(self, folder):
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.log = folder / "postgres.log"
        self.pid = None

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self):
        subprocess.run(  # noqa: S603 -- our own command line
            [postgres_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--no-sync"],
            check=True, capture_output=True, cwd=self.folder, **as_postgres(),
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(  # noqa: S603 -- our own command line
            [postgres_bin("pg_ctl"), "-D", self.data, "-o", options, "-l", self.log, "-w",
             "-t", "60", "start"],
            check=True, capture_output=True, cwd=self.folder, **as_postgres(),
        )  # fmt: skip
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self):
        """Fast shutdown (SIGINT to the postmaster): sessions are cut, as in an outage."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        for sig, seconds in ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
            try:
                os.kill(pid, sig)
                wait_for(lambda: not alive(pid), f"PostgreSQL (pid {pid}) stopping", seconds)
                return
            except ProcessLookupError:
                return
            except RuntimeError:
                continue

    def create_database(self, name):
        subprocess.run(  # noqa: S603 -- our own command line
            [postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             name],
            check=True, capture_output=True,
        )  # fmt: skip


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child we did not start stays a zombie only until its parent
    # (pg_ctl, already gone, or init) reaps it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@contextmanager
def postgres():
    folder = Path(tempfile.mkdtemp(prefix="usip-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = Postgres(folder)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


class Redis:
    def __init__(self, process, port):
        self.process = process
        self.port = port

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def pause(self):
        """SIGSTOP: connections are still accepted by the kernel, and never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


@contextmanager
def redis_server():
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 -- our own command line
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    server = Redis(process, port)
    try:
        wait_for(lambda: redis_answers(port), f"redis-server on port {port} answering")
        yield server
    finally:
        with suppress(ProcessLookupError):
            server.resume()  # a paused server would not act on SIGTERM
        stop(process)


def redis_answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


def site_environment(folder, database_url, redis_url, **extra):
    """Production settings over plain http, with this drill's services."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "PAGE_CACHE", "DEBUG"}
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY="fault-drill-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        # The drills' editor signs in with a password only; two-factor sign-in
        # has tests of its own (tests/test_two_factor.py).
        REQUIRE_2FA_FOR_PUBLISHERS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        VAR_DIR=str(folder),
        CACHE_KEY_PREFIX="faults",
        LOG_LEVEL="WARNING",
        **extra,
    )
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


def manage(environment, *arguments, **run):
    return subprocess.run(  # noqa: S603 -- our own command line
        [PYTHON, "manage.py", *arguments],
        cwd=BASE_DIR, env=environment, check=True, capture_output=True, text=True, **run,
    )  # fmt: skip


@contextmanager
def gunicorn(environment, log, workers=2):
    """The site under gunicorn (sync workers); yields its base URL."""
    port = free_port()
    with open(log, "ab") as output:
        process = subprocess.Popen(  # noqa: S603 -- our own command line
            [GUNICORN, "usip_cms.wsgi", "--workers", str(workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
            cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(process, base, log)
        yield base
    finally:
        stop(process)


class Browser:
    """A cookie-keeping HTTP client that reports every status, redirects included."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), self.NoRedirects()
        )

    def request(self, path, fields=None):
        data = urlencode(fields, doseq=True).encode() if fields is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path):
        return self.request(path)

    def post(self, path, fields):
        return self.request(path, fields)
