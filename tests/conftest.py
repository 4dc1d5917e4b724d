import pytest

# Playwright fixtures (`browser`, `page`) for the tests marked `browser`.
from tests.browser import browser, page  # noqa: F401


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
