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


@pytest.fixture
def writer_client(client):
    """The test client logged in as a member of Authors, the lowest staff role."""
    from tests.factories import make_staff

    client.force_login(make_staff("writer", "Authors"))
    return client
