"""`python -m tests.faults.bench_redis_hang` (run by `make faults`): req/s while Redis hangs.

A benchmark, not a test. With a PostgreSQL cluster and a redis-server of its
own (tests/faults/services.py) and a bench_data archive, two gunicorn servers
run the same settings: the site with the page cache off, and the site with
the page cache on that Redis. Page by page, wrk loads the cached site with
Redis answering, then in turn (best of ROUNDS) the uncached site and the
cached one while redis-server is paused (SIGSTOP). Each run is WARMUP
seconds of load (in which, while Redis hangs, each worker meets its one
timeout), then SECONDS measured. The table goes to stdout and to
var/bench/faults-<time>.md.

The page cache's breaker should keep the site at least as fast as the
uncached site while Redis hangs; before it, every request waited for the
0.5 s socket timeout.
"""

import argparse
import os
import sys
import tempfile
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import django


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="seconds of wrk per run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each run")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--size", type=int, default=300, help="articles in the archive")
    parser.add_argument("--rounds", type=int, default=2, help="best of how many runs")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "usip_cms.settings")
    django.setup()
    from tests.faults import services
    from usip_cms.management.commands.bench import fetch, wrk

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = services.BASE_DIR / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="usip-faults-")))
        postgres = stack.enter_context(services.postgres())
        postgres.create_database("faults")
        redis = stack.enter_context(services.redis_server())
        environment = services.site_environment(folder, postgres.url("faults"), redis.url())
        print("Migrating, filling the archive, collecting static files…", flush=True)
        services.manage(environment, "migrate", "--noinput")
        services.manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
        services.manage(environment, "bench_data", "--size", str(options.size))
        slug = services.manage(
            environment,
            "shell",
            "--no-imports",
            "-c",
            "from articles.models import Article; "
            "print(Article.objects.published().newest_first().first().slug)",
        ).stdout.strip()
        log = folder / "gunicorn.log"
        uncached = stack.enter_context(
            services.gunicorn({**environment, "PAGE_CACHE": "0"}, log, options.workers)
        )
        cached = stack.enter_context(services.gunicorn(environment, log, options.workers))

        def load(url):
            wrk(url, options.warmup, options.connections)
            # The warm-up's queued requests are still being served after wrk
            # stops: one request waits for them, so the run starts on an idle server.
            fetch(url)
            result = wrk(url, options.seconds, options.connections)
            print(f"  {url}: {result['rps']:.0f} req/s, p99 {result['p99']:.0f} ms", flush=True)
            return result

        for name, path in (("article", f"/publications/{slug}/"), ("list", "/publications/")):
            print(f"{name}: {path}", flush=True)
            fetch(uncached + path)
            fetch(cached + path)
            row = {"page": name, "path": path, "cached": load(cached + path)}
            # Uncached and hung in turn, best of ROUNDS each: other work on the
            # machine comes and goes, and hits both alike.
            for _ in range(options.rounds):
                best(row, "uncached", load(uncached + path))
                redis.pause()
                try:
                    best(row, "hung", load(cached + path))
                finally:
                    redis.resume()
            results.append(row)

    machine = [
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} after the runs "
        "(wrk, gunicorn, PostgreSQL and Redis share them)"
    ]
    report = render(stamp, options, results, machine)
    path = out / f"faults-{stamp}.md"
    path.write_text(report)
    print(report)
    print(f"Written to {path}")
    return 0


def best(row, mode, result):
    if mode not in row or result["rps"] > row[mode]["rps"]:
        row[mode] = result


def render(stamp, options, results, machine):
    lines = [
        f"# Redis hang benchmark {stamp}",
        "",
        *(f"- {line}" for line in machine),
        f"- {options.size} articles; gunicorn {options.workers} sync workers; wrk 1 thread, "
        f"{options.connections} connections, {options.seconds} s per run after "
        f"{options.warmup} s of the same load; uncached and hung: best of {options.rounds} "
        "runs taken in turn",
        "- hung: the cached site while its redis-server is paused (SIGSTOP), measured after "
        "the warm-up in which each worker meets its one 0.5 s timeout",
        "",
        "| page | uncached req/s | cached req/s | Redis hung req/s | hung / uncached "
        "| hung p99 ms | non-2xx | socket errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        hung, base = row["hung"], row["uncached"]
        lines.append(
            f"| {row['page']} `{row['path']}` | {base['rps']:.0f} | {row['cached']['rps']:.0f} "
            f"| {hung['rps']:.0f} | {100 * hung['rps'] / base['rps']:.0f}% | {hung['p99']:.0f} "
            f"| {hung['non2xx']} | {hung['errors']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
