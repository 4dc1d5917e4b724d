"""The fixtures shared by the tests (the plain helpers are in factories.py).

Some tests need a service: Chromium for the tests marked `browser`, Redis for
the shared-cache tests, Varnish for the front-cache tests. Without it they
skip, saying why; where the service must be there (CI sets REQUIRE_BROWSER=1,
REQUIRE_REDIS=1 and REQUIRE_VARNISH=1) the skip is a failure instead, so a
missing service cannot pass unnoticed.
"""

import importlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from tests.factories import make_staff, signed_in_client

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The Redis tests use REDIS_URL, the site's own setting, or else the local Redis.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def service_missing(message, required_by):
    """Skip the test, or fail it where the environment variable required_by is on."""
    if os.environ.get(required_by, "").strip().lower() in {"1", "true", "yes", "on"}:
        pytest.fail(f"{message} ({required_by} is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def redis_url():
    """The address of a Redis that answers: REDIS_URL, or 127.0.0.1:6379 database 0."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        return url
    except redis.exceptions.RedisError as error:
        problem = f"Redis is not reachable at {url} ({error})"
    service_missing(problem, "REQUIRE_REDIS")  # out of the except: no chained traceback


def require_chromium():
    """The path of an executable Chromium (CHROMIUM_PATH, or Debian's chromium)."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        service_missing(
            f"Chromium not found at {path}: install Debian's chromium package to run browser tests",
            "REQUIRE_BROWSER",
        )
    return path


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module, driven by Playwright.

    Playwright drives Debian's chromium, never a browser that it downloads.
    """
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


@pytest.fixture
def editor_user(db):
    return make_staff("editor", "Editors")


@pytest.fixture
def author_user(db):
    return make_staff("writer", "Authors")


@pytest.fixture
def editor_client(editor_user):
    """A client signed in as an editor; the `client` fixture stays anonymous."""
    return signed_in_client(editor_user)


@pytest.fixture
def author_client(author_user):
    """A client signed in as an author; the `client` fixture stays anonymous."""
    return signed_in_client(author_user)


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # A REDIS_URL in the environment turns the page cache on (settings.py),
    # which would change every page's query count; the tests of the cache
    # turn it on themselves.
    settings.PAGE_CACHE = False
    # Fragments are kept in the tests' cache (local memory, one process, so
    # shared by everything the test runs); the tests of FRAGMENT_CACHE off
    # turn them off themselves.
    settings.FRAGMENT_CACHE = True


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many staff users; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches: the database is rolled back after a
    test, a cache is not (with REDIS_URL set, the default cache is that
    Redis database, which outlives the test run)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def varnish(live_server, settings, tmp_path):
    """Debian's varnishd with deploy/varnish.vcl in front of the live server.

    Yields the address readers use; the app purges it (FRONT_CACHE_URLS).
    Without varnishd the test skips, unless REQUIRE_VARNISH=1 (CI sets it).
    """
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not os.access(binary, os.X_OK):
        service_missing(
            "varnishd not found: apt-get install varnish varnish-modules", "REQUIRE_VARNISH"
        )
    backend = urlsplit(live_server.url)
    vcl = (Path(settings.BASE_DIR) / "deploy" / "varnish.vcl").read_text()
    vcl = vcl.replace('.host = "127.0.0.1";', f'.host = "{backend.hostname}";')
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend.port}";')
    (tmp_path / "test.vcl").write_text(vcl)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # -j none: run as the current user (root in CI) without a jail.
    process = subprocess.Popen(  # noqa: S603
        [binary, "-F", "-j", "none", "-n", str(tmp_path / "varnish"), "-a", f"127.0.0.1:{port}",
         "-f", str(tmp_path / "test.vcl"), "-s", "malloc,32m", "-T", "127.0.0.1:0",
         "-p", "default_grace=0s"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        # Ready once the backend's probe counts it healthy and a page comes through.
        for _ in range(100):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"Varnish did not start: {process.stderr.read1().decode()}")
        settings.FRONT_CACHE_URLS = [url + "/"]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def writer_client(client):
    """The test client logged in as a member of Authors, the lowest staff role."""
    from tests.factories import make_staff

    client.force_login(make_staff("writer", "Authors"))
    return client


@pytest.fixture
def database_down():
    """`with database_down():` every SQL statement fails as it does while
    PostgreSQL is stopped (the session and user lookups included)."""
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    return lambda: connection.execute_wrapper(refuse)


@pytest.fixture
def page_cache(settings):
    """The page cache on, with a local cache that notes the keys written to."""
    import uuid

    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.factories.RecordingCache",
            "LOCATION": f"page-cache-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def redis_page_cache(settings, redis_url):
    """The site's RedisCache on the shared Redis, under a key prefix of its own."""
    import uuid

    prefix = f"test-{uuid.uuid4().hex}"
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "usip_cms.caching.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield settings.CACHES["default"]
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture(params=["local", "redis"])
def any_page_cache(request):
    """The page cache on a local cache, then on the shared Redis."""
    return request.getfixturevalue("page_cache" if request.param == "local" else "redis_page_cache")


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() stands still until moved, for every caller."""
    from datetime import timedelta

    from django.utils import timezone

    class Clock:
        now = timezone.now()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def public_site(db):
    """One published article with an author, a topic, a region and a lead photo
    stored at /media/photos/lead.jpg: every kind of public address has a page."""
    from tests.factories import make_article, make_author, make_photo

    photo = make_photo()
    photo.image.storage.save("photos/lead.jpg", photo.image.open())
    make_article(
        slug="security-in-the-sahel",
        authors=[make_author("Kadiatou Keita", slug="kadiatou-keita")],
        topics=["Gender"],
        regions=["Mali"],
        lead_photo=photo,
    )


@pytest.fixture
def enrolled_editor(editor_user):
    """The editor's authenticator app (a confirmed TOTP device); its .user is the editor."""
    from tests.factories import make_authenticator

    return make_authenticator(editor_user)


@pytest.fixture
def roles(transactional_db):
    """The Authors and Editors groups of migration articles 0002, with what
    later migrations give them (articles 0012: redirects for editors;
    publications 0004: featured items for editors).

    Like the vocabularies (see seeded_vocabularies), they vanish when a
    transactional test empties the tables, so make them again here.
    """
    from django.apps import apps

    importlib.import_module("articles.migrations.0002_roles").create_groups(apps, None)
    workflow = importlib.import_module(
        "articles.migrations.0012_workflow_trash_share_links_redirects"
    )
    workflow.grant_editors(apps, None)
    importlib.import_module("publications.migrations.0004_featured").let_editors_feature(apps, None)


@pytest.fixture
def parts_made(monkeypatch):
    """The titles of the articles whose own page parts were made, not reused
    (articles/page_parts.py), in order; clear() it between requests."""
    from articles import page_parts

    titles = []
    make = page_parts.made

    def spying_made(article):
        titles.append(article.title)
        return make(article)

    monkeypatch.setattr(page_parts, "made", spying_made)
    return titles


@pytest.fixture
def hanging_cache(settings):
    """The default cache, made to hang on every call once .hung is set
    (tests.factories.HangingCache): the fragments' and parts' fallbacks."""
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.factories.HangingCache",
            "LOCATION": "fragments-hanging",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    from django.core.cache import cache

    cache.clear()
    return cache
