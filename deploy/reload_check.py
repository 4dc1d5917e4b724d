"""Restarting gunicorn under load, measured: `make reload-check`.

Starts gunicorn with deploy/gunicorn.conf.py and the production settings on a
free local port, serving the database `make run` fills (DATABASE_URL, or
var/db.sqlite3), keeps CONNECTIONS clients requesting pages for DURATION
seconds, restarts the server twice on the way (at a third and two thirds of
it), and counts the requests that did not get their page. Exits 1 if any
failed, or if a restart did not put new workers in place of the old ones.

How the server is restarted (--restart):
  hup         kill -HUP <master>, what `make reload` does (the default)
  upgrade     kill -USR2 <master>, then TERM the old master once the new one
              runs: a binary upgrade, for a new Python or gunicorn
  stop-start  TERM the master, then start a new one: shows what a plain
              restart loses

Every process is started and stopped by its pid. Run it with the project's
virtualenv Python: `.venv/bin/python deploy/reload_check.py`.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
# Pages of the demo, uncached (no REDIS_URL): each costs the workers real time.
PAGES = [
    "/",
    "/publications/",
    "/publications/amid-wave-coups-democracy-sahel-depends-human-security/",
    "/regions/sahel/",
    "/feeds/rss/",
]
TIMEOUT = 30  # seconds a client waits for its page


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of load")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--restart", choices=["hup", "upgrade", "stop-start"], default="hup")
    args = parser.parse_args()

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(args.workers),
    }
    # Production settings serve the hashed files collectstatic writes.
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    log = ROOT / "var" / "reload-check" / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.restart}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = Server(env, port, log)
    try:
        server.start()
        outcomes, restarts = load_while_restarting(server, args)
    finally:
        server.stop()
    sys.exit(report(outcomes, restarts, args, log))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn master, found by its pid; its workers are its children."""

    def __init__(self, env, port, log):
        self.env, self.port, self.log = env, port, log
        self.pidfile = Path(env.get("VAR_DIR", ROOT / "var")) / f"gunicorn-{port}.pid"
        self.process = None
        self.pid = None

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("a") as log:
            # A session of its own: a ^C in this terminal reaches us, not gunicorn.
            self.process = subprocess.Popen(  # noqa: S603 -- our own command line
                [str(gunicorn), "-c", str(CONFIG)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid = self.process.pid
        self.wait_until_serving()

    def wait_until_serving(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            if get(self.port, "/")[0] == 200:
                return
            time.sleep(0.2)
        sys.exit(f"gunicorn did not serve / within a minute; see {self.log}")

    def workers(self, pid=None):
        pid = pid or self.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            return set()
        return {int(child) for child in children}

    def signal(self, signum):
        os.kill(self.pid, signum)

    def stop(self):
        """TERM the master, then wait for it (and its workers) to be gone."""
        if self.pid is None or not alive(self.pid):
            return
        workers = self.workers()
        self.signal(signal.SIGTERM)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and any(alive(p) for p in [self.pid, *workers]):
            time.sleep(0.1)
            if self.process and self.process.pid == self.pid:
                self.process.poll()  # reap it, or it stays a zombie and looks alive
        for pid in [self.pid, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.pid = None


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def get(port, path):
    """(status or error name, seconds) of one GET on a new connection."""
    start = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        outcome = response.status
    except (OSError, http.client.HTTPException) as error:
        outcome = type(error).__name__
    finally:
        connection.close()
    return outcome, time.monotonic() - start


def load_while_restarting(server, args):
    """Clients request pages until the deadline; the server restarts twice meanwhile."""
    deadline = time.monotonic() + args.duration
    results = [[] for _ in range(args.connections)]

    def client(n):
        i = n
        while time.monotonic() < deadline:
            outcome = get(server.port, PAGES[i % len(PAGES)])
            results[n].append(outcome)
            if outcome[0] != 200:
                # As a reader would try again, not a loop of refusals.
                time.sleep(0.1)
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    restarts = []
    for at in (args.duration / 3, args.duration * 2 / 3):
        time.sleep(max(0, began + at - time.monotonic()))
        restarts.append(restart(server, args))
    for thread in threads:
        thread.join()
    return [outcome for result in results for outcome in result], restarts


def restart(server, args):
    """Restart as args.restart says; returns (old workers, new workers, seconds)."""
    before = server.workers()
    start = time.monotonic()
    if args.restart == "hup":
        server.signal(signal.SIGHUP)
    elif args.restart == "upgrade":
        old = server.pid
        server.signal(signal.SIGUSR2)
        new_pidfile = Path(f"{server.pidfile}.2")
        new = wait_for(lambda: new_pidfile.exists() and int(new_pidfile.read_text() or 0))
        wait_for(lambda: len(server.workers(new)) == args.workers)
        os.kill(old, signal.SIGTERM)
        wait_for(lambda: not alive(old))
        if server.process and server.process.pid == old:
            server.process.wait()
        server.pid, server.process = new, None
        # The new master takes the usual pid file once it sees the old one gone;
        # until then it ignores a USR2 of its own.
        wait_for(lambda: not new_pidfile.exists())
    else:
        server.stop()
        server.start()

    def replaced():
        """The master's workers once it has its full count and none is an old one."""
        workers = server.workers()
        return workers if len(workers) == args.workers and not workers & before else None

    return before, wait_for(replaced) or set(), time.monotonic() - start


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    return None


def report(outcomes, restarts, args, log):
    """Print what happened; returns the exit status (0: nothing was lost)."""
    statuses = Counter(outcome for outcome, _ in outcomes)
    failed = sum(n for outcome, n in statuses.items() if outcome != 200)
    seconds = sorted(elapsed for _, elapsed in outcomes)
    print(
        f"{len(outcomes)} requests in {args.duration:g} s from {args.connections} clients "
        f"to {args.workers} workers, restarted twice by {args.restart}: {failed} failed."
    )
    print("Outcomes: " + ", ".join(f"{outcome}: {n}" for outcome, n in statuses.most_common()))
    if seconds:
        p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
        print(
            f"Time per request: median {statistics.median(seconds) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms, longest {seconds[-1] * 1000:.0f} ms."
        )
    replaced = True
    for n, (before, after, took) in enumerate(restarts, start=1):
        replaced = replaced and bool(after)
        print(
            f"Restart {n}: workers {sorted(before)} -> {sorted(after) or 'not replaced'} "
            f"in {took:.1f} s."
        )
    print("Load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"gunicorn's log: {log}")
    return 0 if failed == 0 and replaced else 1


if __name__ == "__main__":
    main()
