"""`manage.py bench_peers` (`make bench-peers`): this project beside Wagtail,
a bare Django view and nginx, measured by the shared harness in one run.

The harness (`../shared/bench/`, see its README) is read-only where we see
it, so it is copied to var/peers/ and set up there (its setup.sh: wrk, nginx,
the Wagtail peer and the data set; a few minutes the first time). Our project
gets the same data set in a PostgreSQL database of its own (`bench_data
--dataset`), reached over the Unix socket as the Wagtail peer is, and is
measured three ways under the same gunicorn settings:

- uncached: the page cache off, fragments in Redis (as production keeps
  them: settings.FRAGMENT_CACHE), in the same run as the peers (the
  comparison that counts);
- cached: the page cache on Redis;
- varnish: Varnish (deploy/varnish.vcl) in front of the uncached app.

The harness takes one project per run, so the last two are runs of their
own right after. Every report is copied to var/bench/, and a summary of all
rows with their ratios to Wagtail and the floors goes to
var/bench/peers-<time>.md.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DATABASE = "usip_peers"
SOCKET_URL = f"postgres://{{user}}@%2Fvar%2Frun%2Fpostgresql/{DATABASE}"
GUNICORN = ".venv/bin/gunicorn $GUNICORN_COMMON_OPTS --no-control-socket"
VARIANTS = [
    (
        "usip-uncached",
        {"PAGE_CACHE": "0", "REDIS_URL": "redis://127.0.0.1:6379/8"},
        f"{GUNICORN} -b 127.0.0.1:$PORT usip_cms.wsgi",
    ),
    (
        "usip-cached",
        {"PAGE_CACHE": "1", "REDIS_URL": "redis://127.0.0.1:6379/9"},
        f"{GUNICORN} -b 127.0.0.1:$PORT usip_cms.wsgi",
    ),
    ("usip-varnish", {"PAGE_CACHE": "0"}, f"deploy/behind_varnish.sh {GUNICORN} usip_cms.wsgi"),
]
ROW = re.compile(r"^\| (?P<target>[^|]+?) \| (?P<rps>[\d,.]+) \|")


class Command(BaseCommand):
    help = "Run the shared side-by-side benchmark with this project (three variants)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--harness",
            default=str(settings.BASE_DIR.parent / "shared" / "bench"),
            help="The shared harness (default ../shared/bench).",
        )
        parser.add_argument("--quick", action="store_true", help="One short round (smoke test).")

    def handle(self, *args, harness, quick, **options):
        harness = Path(harness)
        if not (harness / "run_project.sh").exists():
            raise CommandError(f"No benchmark harness at {harness}.")
        base = Path(settings.BASE_DIR)
        peers = base / "var" / "peers"
        out = base / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        self.copy_harness(harness, peers)
        self.step("harness setup (first time: a few minutes)")
        # The harness runs other Django projects: they must not inherit our settings.
        clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        subprocess.run(["bash", str(peers / "setup.sh")], check=True, env=clean)  # noqa: S603, S607

        env = self.project_env(base, peers)
        self.step(f"our data set in {DATABASE}")
        manage = [sys.executable, str(base / "manage.py")]
        dataset = peers / "var" / "dataset" / "dataset.json"
        for command in (["migrate", "--noinput", "-v0"], ["bench_data", "--dataset", str(dataset)],
                        ["collectstatic", "--noinput", "-v0"]):  # fmt: skip
            subprocess.run([*manage, *command], check=True, env=env, cwd=base)  # noqa: S603

        reports = []
        for n, (name, extra, start) in enumerate(VARIANTS):
            self.step(f"measuring {name}" + (" with the peers" if n == 0 else ""))
            before = set((peers / "results").glob("*.md"))
            command = [
                "bash", str(peers / "run_project.sh"), "--name", name, "--dir", str(base),
                "--start", start, "--article", "/publications/@ARTICLE_SLUG@/",
                "--listing", "/publications/", "--listing-p25", "/publications/?page=25",
                "--python", sys.executable, "--settings", "usip_cms.settings",
            ]  # fmt: skip
            if n == 0:
                command.append("--peers")
            if quick:
                command.append("--quick")
            subprocess.run(command, check=True, env={**env, **extra}, cwd=base)  # noqa: S603
            (report,) = set((peers / "results").glob("*.md")) - before
            shutil.copy(report, out / report.name)
            reports.append(out / report.name)

        summary = out / f"peers-{time.strftime('%Y%m%d-%H%M%S')}.md"
        summary.write_text(summarise(reports))
        self.stdout.write(summary.read_text())
        self.stdout.write(f"Written: {summary} (full reports beside it)")

    def step(self, what):
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {what}"))

    def copy_harness(self, harness, peers):
        # Generated files (data set, venvs, runs) stay between runs.
        shutil.copytree(
            harness, peers, dirs_exist_ok=True, ignore=shutil.ignore_patterns("var", ".venv-*")
        )
        for path in [peers, *peers.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)

    def project_env(self, base, peers):
        user = os.environ.get("USER") or "root"
        url = SOCKET_URL.format(user=user)
        conn = psycopg2.connect(dbname="postgres", host="/var/run/postgresql", user=user)
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
                if not cursor.fetchone():
                    cursor.execute(f"CREATE DATABASE {DATABASE}")  # a constant name
        finally:
            conn.close()
        return {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-peers-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(peers / "media"),
            "STATIC_ROOT": str(peers / "static-usip"),
            "CACHE_KEY_PREFIX": "usip-peers",
        }


def summarise(reports):
    """One table of every row of the reports, with req/s against Wagtail's and the floor's."""
    rows = []
    for report in reports:
        # The first table holds the results; later ones are per-round detail.
        results = report.read_text().split("\n## ")[0]
        for line in results.splitlines():
            match = ROW.match(line)
            if match and match["target"] != "target":
                rows.append((match["target"], float(match["rps"].replace(",", ""))))
        rows = list(dict(rows).items())  # a target measured twice keeps its last row
    rps = dict(rows)
    floor = rps.get("bare Django 6.1.3 (py3.12), no middleware")
    nginx = rps.get("nginx static, Connection: close")
    lines = [
        "# Side by side: usip_cms, Wagtail, the floor and nginx",
        "",
        "Reports: " + ", ".join(r.name for r in reports) + " (the first holds the peers;",
        "the harness measures one project per run, so cached and varnish ran right after).",
        "",
        "| target | req/s | × Wagtail (same page) | % of Django 6.1 floor | % of nginx (close) |",
        "|---|---:|---:|---:|---:|",
    ]
    for target, value in rows:
        page = next(
            (p for p in ("article", "listing p1", "listing p25") if target.endswith(p)), None
        )
        wagtail = rps.get(f"Wagtail {page}") if page else None
        lines.append(
            f"| {target} | {value:,.1f} | {ratio(value, wagtail, '×')} | "
            f"{ratio(value, floor, '%')} | {ratio(value, nginx, '%')} |"
        )
    return "\n".join(lines) + "\n"


def ratio(value, other, unit):
    if not other:
        return ""
    return f"{value / other:.2f}×" if unit == "×" else f"{100 * value / other:.0f}%"
