import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright fixtures (`browser`, `page`) for the tests marked `browser`, and
# `seeded_vocabularies` for transactional tests.
from tests.browser import browser, page, seeded_vocabularies  # noqa: F401


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
    test, a cache is not (the page cache in usip_cms/caching.py is on
    whenever REDIS_URL or PAGE_CACHE=1 is set)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def flag_on(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture
def varnish(live_server, settings, tmp_path):
    """Debian's varnishd with deploy/varnish.vcl in front of the live server.

    Yields the address readers use; the app purges it (FRONT_CACHE_URLS).
    Without varnishd the test skips, unless REQUIRE_VARNISH=1 (CI sets it).
    """
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not os.access(binary, os.X_OK):
        message = "varnishd not found: apt-get install varnish varnish-modules"
        if flag_on("REQUIRE_VARNISH"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
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
