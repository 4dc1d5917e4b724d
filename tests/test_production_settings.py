"""Production settings (DEBUG=0) pass Django's deployment checks and serve static files."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts Django in a subprocess.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def production(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "PAGE_CACHE"}
    }
    environment.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org")
    environment.update(env)
    return subprocess.run(  # noqa: S603 -- this interpreter, our arguments
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def production_settings(**env):
    script = (
        "import json, usip_cms.settings as s; print(json.dumps({"
        "'cache': s.CACHES['default']['BACKEND'], 'page_cache': s.PAGE_CACHE, "
        "'fragment_cache': s.FRAGMENT_CACHE, "
        "'static': s.STORAGES['staticfiles']['BACKEND'], "
        "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], "
        "'health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
    )
    result = production("-c", script, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_passes_with_no_warnings():
    result = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_passes_with_redis():
    result = production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_keeps_connections_and_serves_hashed_static_files():
    settings = production_settings()
    assert settings["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings["conn_max_age"] == 600
    assert settings["health_checks"] is True


def test_page_cache_and_fragments_are_on_with_the_shared_cache_only():
    without_redis = production_settings()
    assert without_redis["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert without_redis["page_cache"] is False and without_redis["fragment_cache"] is False
    with_redis = production_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis["cache"] == "usip_cms.caching.RedisCache"
    assert with_redis["page_cache"] is True and with_redis["fragment_cache"] is True


def test_whitenoise_serves_collected_static_files(tmp_path):
    script = """
import django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

call_command("collectstatic", interactive=False, verbosity=0)
url = static("css/site.css")
assert url != "/static/css/site.css", url  # hashed name from the manifest
response = Client(SERVER_NAME="example.org").get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
assert response.status_code == 200, response.status_code
assert response["Content-Encoding"] == "gzip", response.headers
assert "immutable" in response["Cache-Control"], response["Cache-Control"]
print("ok")
"""
    result = production(
        "-c", script, DJANGO_SETTINGS_MODULE="usip_cms.settings", STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_media_goes_to_s3_compatible_storage_when_a_bucket_is_set():
    script = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "from django.core.files.storage import default_storage, storages;"
        "print(type(storages['default']).__name__, default_storage.url('photos/a.jpg'),"
        " settings.SERVE_MEDIA)"
    )
    result = production(
        "-c",
        script,
        DJANGO_SETTINGS_MODULE="usip_cms.settings",
        AWS_STORAGE_BUCKET_NAME="usip-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "http://127.0.0.1:9000/usip-media/photos/a.jpg",
        "False",
    ]
