"""Fixtures and helpers for tests that drive a real Chromium through Playwright.

Playwright drives Debian's chromium (never a browser that Playwright downloads):
set CHROMIUM_PATH to use another binary. Without a browser the tests skip, unless
REQUIRE_BROWSER=1 (CI sets it), where a missing browser is a failure.

The fixtures are made available to every test module by tests/conftest.py.
"""

import importlib
import os
from pathlib import Path

import pytest

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Axe impacts that fail a page; "minor" and "moderate" ones are only reported.
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH


def browser_required():
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def require_chromium():
    """The path of an executable Chromium, or skip (fail under REQUIRE_BROWSER=1)."""
    path = chromium_path()
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    message = (
        f"Chromium not found at {path}: install Debian's chromium package to run browser tests"
    )
    if browser_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an asyncio event loop running in this
        # thread, so Django would refuse every ORM call made by the tests and
        # by pytest-django's database teardown (SynchronousOnlyOperation).
        # No coroutine ever touches the ORM here, so the check is safely off,
        # for as long as the browser lives only.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=path, headless=True, args=LAUNCH_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
                # While that loop runs, asgiref hands out other database
                # connections than the thread's usual ones: close them before
                # they are forgotten (PostgreSQL can't drop a database in use).
                from django.db import connections

                connections.close_all()


@pytest.fixture
def page(browser):
    """A fresh context and page for each test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def seeded_vocabularies(transactional_db):
    """The publication types, topics and regions that migration 0002 seeds.

    Transactional tests (needed by live_server) empty every table afterwards,
    seeded rows included. serialized_rollback can't restore them under a
    running browser: it keeps the rows on the thread's own connection, which
    asgiref hides while Playwright's event loop runs. So seed them again
    (get_or_create: nothing changes where they are still there).
    """
    from django.apps import apps

    importlib.import_module("publications.migrations.0002_seed_vocabularies").seed(apps, None)


def run_axe(page):
    """Run axe-core (bundled by axe-playwright-python, nothing is downloaded) on page."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def describe_violations(violations):
    """One paragraph per violation: id, impact, help and the selectors of its elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(page):
    """Fail, listing them, if axe finds serious or critical violations on the page."""
    violations = run_axe(page)
    if violations:
        # Shown with -s, and in pytest's captured output when a test fails.
        print(f"axe on {page.url}:\n{describe_violations(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"Serious or critical accessibility violations on {page.url} "
        f"(fix them in the templates or CSS):\n{describe_violations(blocking)}"
    )
