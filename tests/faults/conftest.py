"""Fault drills (`make faults`, or `pytest -m faults`): the site under gunicorn
with a PostgreSQL cluster and a redis-server of its own (tests/faults/services.py),
which the tests stop and pause on purpose.

The drills start processes and take about a minute, so a plain `pytest` run
leaves them out unless they are asked for by marker or by path.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults import services

HERE = Path(__file__).parent
EDITOR, EDITOR_PASSWORD = "drill-editor", "drill-password-1"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "faults: drills against real PostgreSQL, Redis and gunicorn (make faults)"
    )


def pytest_collection_modifyitems(config, items):
    asked = "faults" in (config.option.markexpr or "") or any(
        HERE in Path(arg.split("::")[0]).resolve().parents or Path(arg).resolve() == HERE
        for arg in config.args
    )
    drills = [item for item in items if HERE in item.path.parents]
    if drills and not asked:
        config.hook.pytest_deselected(items=drills)
        items[:] = [item for item in items if HERE not in item.path.parents]


@dataclass
class Site:
    base: str
    log: Path
    environment: dict

    def log_since(self, offset):
        with open(self.log, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def log_size(self):
        return self.log.stat().st_size

    def shell(self, code):
        """Python run by another process of the site (another app server), which then ends."""
        return services.manage(self.environment, "shell", "--no-imports", "-c", code).stdout


@pytest.fixture(scope="session")
def postgres_server():
    with services.postgres() as server:
        server.create_database("faults")
        yield server


@pytest.fixture(scope="session")
def redis_server():
    with services.redis_server() as server:
        yield server


@pytest.fixture(scope="session")
def site(tmp_path_factory, postgres_server, redis_server):
    folder = tmp_path_factory.mktemp("site")
    environment = services.site_environment(
        folder, postgres_server.url("faults"), redis_server.url()
    )
    services.manage(environment, "migrate", "--noinput")
    services.manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
    services.manage(environment, "load_demo", "--no-accounts")
    services.manage(
        {**environment, "DJANGO_SUPERUSER_PASSWORD": EDITOR_PASSWORD},
        "createsuperuser", "--noinput", "--username", EDITOR, "--email", "editor@example.org",
    )  # fmt: skip
    log = folder / "gunicorn.log"
    with services.gunicorn(environment, log) as base:
        yield Site(base, log, environment)


@pytest.fixture
def redis_paused(redis_server):
    """`with redis_paused():` redis-server is stopped (SIGSTOP) inside the block."""

    @contextmanager
    def paused():
        redis_server.pause()
        try:
            yield
        finally:
            redis_server.resume()

    return paused


@pytest.fixture
def postgres_stopped(postgres_server):
    """`with postgres_stopped():` PostgreSQL is shut down inside the block."""

    @contextmanager
    def stopped():
        postgres_server.stop()
        try:
            yield
        finally:
            postgres_server.start()

    return stopped
