import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
