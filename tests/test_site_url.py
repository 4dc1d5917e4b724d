"""SITE_URL, the base of every absolute URL, follows the port the server listens on."""

import pytest

from tests.factories import run_with_environment

# Each runs the settings in a fresh interpreter.
pytestmark = pytest.mark.slow

SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"
ROBOTS = (
    "import django; django.setup(); from django.test import Client; "
    "print(Client().get('/robots.txt').text)"
)


def site_url(**env):
    result = run_with_environment(SITE_URL, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8104"}, "http://127.0.0.1:8104"),
        ({"HOST": "localhost", "PORT": "8104"}, "http://localhost:8104"),
        # Listening on every interface: linked at this machine's loopback.
        ({"HOST": "0.0.0.0", "PORT": "8104"}, "http://127.0.0.1:8104"),  # noqa: S104
        ({"HOST": "::1"}, "http://[::1]:8000"),
        ({"SITE_URL": "https://www.usip.org/", "PORT": "8104"}, "https://www.usip.org"),
        ({"SITE_URL": "", "PORT": "8104"}, "http://127.0.0.1:8104"),
    ],
)
def test_site_url_from_the_environment(env, url):
    assert site_url(**env) == url


def test_robots_txt_names_the_sitemap_on_the_port_served(tmp_path):
    result = run_with_environment(ROBOTS, PORT="8104", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Sitemap: http://127.0.0.1:8104/sitemap.xml" in result.stdout
