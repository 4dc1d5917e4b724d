"""gunicorn settings for usip_cms: `gunicorn -c deploy/gunicorn.conf.py`.

`make serve` runs it. It reads the Makefile's variables from the environment:
HOST and PORT (where to listen) and WORKERS; options on the command line
override it (`--bind`, `--workers`).

Restarting without losing a request (README, Production): send the master
HUP (`make reload`). It reads this file again and starts new workers, which
import the code afresh, then stops the old workers gracefully, each after the
request it is serving. The listening socket stays open all along, so
connections arriving meanwhile wait in its queue for a new worker. Stopping
(TERM) closes that socket first, and the connections waiting in it are
dropped: never restart by stopping and starting. For a new Python or gunicorn,
which a HUP does not load, USR2 starts a second master beside the first,
sharing the socket; TERM the old master (its pid file keeps its name; the new
one's ends in ".2" until the old one exits).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

HOST = os.environ.get("HOST") or "127.0.0.1"
PORT = os.environ.get("PORT") or "8000"

wsgi_app = "usip_cms.wsgi"
chdir = str(BASE_DIR)
bind = [f"[{HOST}]:{PORT}" if ":" in HOST else f"{HOST}:{PORT}"]
workers = int(os.environ.get("WORKERS") or 2)
worker_class = "sync"

# The master's pid, for `make reload`: one file per port, so servers on two
# ports never share one.
pidfile = str(VAR_DIR / f"gunicorn-{PORT}.pid")

# gunicorn 25.1+ opens a control socket at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl). A second
# instance (another checkout, the benchmark's servers, the new master of a
# USR2 upgrade) takes that path over, and whichever exits first deletes it
# under the other. Signals and the pid file are all these servers need.
control_socket_disable = True

# The app is loaded by each worker, not by the master, so the workers a HUP
# starts run the code as it is now.
preload_app = False
# How long an old worker may take to finish its request after a HUP or TERM.
graceful_timeout = 30
