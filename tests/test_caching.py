"""Whole public pages are cached for anonymous readers and never shown stale.

The page cache (usip_cms/caching.py) is off in the tests (tests/conftest.py);
each test here turns it on with a fresh cache: a local one, or the shared Redis
(REDIS_URL, else 127.0.0.1:6379) under a key prefix of its own.
"""

import io
import logging
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from articles.models import Article
from publications.models import PublicationType, Region, Topic
from tests.factories import make_article, make_author, make_photo
from usip_cms import caching
from usip_cms.models import PendingInvalidation

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def site():
    """An article with everything a page can show, and its neighbours."""
    author = make_author("Kadiatou Keita", slug="kadiatou-keita")
    article = make_article(
        "Mali's Transition",
        slug="malis-transition",
        authors=[author],
        topics=["Global Policy"],
        regions=["Mali"],
        lead_photo=make_photo(caption="Troops on patrol near Ménaka."),
    )
    make_article("Niger After the Coup", topics=["Global Policy"], regions=["Niger"])
    # Gender and the Horn of Africa have a published article, so their pages exist.
    make_article("Women at Somalia's Peace Talks", topics=["Gender"], regions=["Somalia"])
    return article


PUBLIC_PAGES = [
    "/",
    "/publications/",
    "/publications/?topic=global-policy&region=africa",
    "/publications/malis-transition/",
    "/topics/",
    "/topics/global-policy/",
    "/regions/",
    "/regions/africa/",
    "/types/analysis/",
    "/people/kadiatou-keita/",
    "/feeds/rss/",
    "/topics/global-policy/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_second_anonymous_request_is_served_from_cache_without_queries(
    page_cache, client, django_assert_num_queries, url
):
    site()
    first = get(client, url)
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_page_tells_browsers_and_shared_caches_how_long(page_cache, client, clock):
    site()
    first = get(client, "/publications/")
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=600"
    clock.advance(seconds=1)
    second = get(client, "/publications/")
    assert second["Cache-Control"].startswith("public, max-age=60, s-maxage=")
    assert 599 <= int(second["Cache-Control"].rsplit("=", 1)[1]) <= 600


def test_cached_page_keeps_the_security_headers(page_cache, client):
    site()
    get(client, "/publications/malis-transition/")
    cached = get(client, "/publications/malis-transition/")
    assert "default-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Content-Type-Options"] == "nosniff"
    assert cached["X-Frame-Options"] == "DENY"


def test_if_none_match_gets_304_from_the_cache(page_cache, client, django_assert_num_queries):
    site()
    etag = get(client, "/publications/malis-transition/")["ETag"]
    assert etag
    with django_assert_num_queries(0):
        response = client.get("/publications/malis-transition/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_head_is_served_from_the_cache(page_cache, client, django_assert_num_queries):
    site()
    get(client, "/publications/")
    with django_assert_num_queries(0):
        assert client.head("/publications/").status_code == 200


def test_pages_in_different_queries_or_hosts_are_kept_apart(page_cache, client, settings):
    site()
    settings.ALLOWED_HOSTS = ["testserver", "example.org"]
    get(client, "/publications/?q=niger")
    assert b"Mali&#x27;s Transition" not in get(client, "/publications/?q=niger").content
    assert b"Mali&#x27;s Transition" in get(client, "/publications/").content
    other_host = get(client, "/publications/?q=niger", HTTP_HOST="example.org")
    assert "public" in other_host["Cache-Control"]


def test_missing_pages_are_not_cached(page_cache, client, django_assert_num_queries):
    site()
    assert client.get("/publications/no-such-article/").status_code == 404
    # The article looked up among the published, then in the trash (410 if
    # there), then a redirect from the address (301 if there).
    with django_assert_num_queries(3):
        response = client.get("/publications/no-such-article/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-cache"


def test_a_response_that_sets_a_cookie_is_never_stored(rf):
    request = rf.get("/publications/")
    request.resolver_match = resolve("/publications/")
    response = HttpResponse("page")
    assert caching.can_store(request, response)
    response.set_cookie("tracking", "1")
    assert not caching.can_store(request, response)


def test_admin_pages_are_not_stored(page_cache, client):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"]
    assert not [key for key in cache.written if key.startswith("page-cache:page:")]


def test_staff_are_never_served_a_cached_page(page_cache, client, editor_client):
    site()
    get(client, "/publications/malis-transition/")
    with CaptureQueriesContext(connection) as queries:
        response = get(editor_client, "/publications/malis-transition/")
    assert len(queries) > 0
    assert response["Cache-Control"] == "private, no-cache"


def test_staff_never_store_a_page(page_cache, client, editor_client, django_assert_num_queries):
    site()
    get(editor_client, "/publications/")
    get(editor_client, "/publications/")
    assert not [key for key in cache.written if key.startswith("page-cache:page:")]
    # The reader who comes next gets a page made for readers, and stores it.
    assert get(client, "/publications/")["Cache-Control"].startswith("public")
    with django_assert_num_queries(0):
        get(client, "/publications/")


def test_staff_preview_is_neither_stored_nor_public(page_cache, editor_client, client):
    make_article("A Draft", slug="a-draft", status=Article.Status.DRAFT, published_at=None)
    preview = get(editor_client, "/publications/a-draft/")
    assert preview["Cache-Control"] == "private, no-store"
    assert client.get("/publications/a-draft/").status_code == 404


def test_a_csrf_cookie_alone_does_not_bypass_the_cache(
    page_cache, client, django_assert_num_queries
):
    site()
    client.cookies["csrftoken"] = "x" * 32
    get(client, "/publications/")
    with django_assert_num_queries(0):
        get(client, "/publications/")


def test_nothing_is_cached_when_the_page_cache_is_off(
    page_cache, settings, client, django_assert_num_queries
):
    settings.PAGE_CACHE = False
    site()
    get(client, "/topics/")
    with django_assert_num_queries(1):
        response = get(client, "/topics/")
    assert "Cache-Control" not in response


# --- every kind of change shows on the next request -------------------------


def publish_draft(article):
    draft = make_article("Freshly Published", status=Article.Status.DRAFT, published_at=None)
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()
    return "/publications/", "Freshly Published"


def unpublish(article):
    article.status = Article.Status.DRAFT
    article.save()
    return "/publications/", None


def edit_title(article):
    article.title = "Mali Votes"
    article.save()
    return "/publications/malis-transition/", "Mali Votes"


def rename_author(article):
    author = article.authors.get()
    author.name = "Kadiatou Keïta-Traoré"
    author.save()
    return "/publications/malis-transition/", "Kadiatou Keïta-Traoré"


def edit_photo_caption(article):
    photo = article.lead_photo
    photo.caption = "Voters queue in Bamako."
    photo.save()
    return "/publications/malis-transition/", "Voters queue in Bamako."


def rename_topic(article):
    topic = Topic.objects.get(name="Global Policy")
    topic.name = "Global Affairs"
    topic.save()
    return "/publications/", "Global Affairs"


def rename_publication_type(article):
    analysis = PublicationType.objects.get(name="Analysis")
    analysis.name = "Commentary"
    analysis.save()
    return "/publications/", "Commentary"


def add_topic(article):
    article.topics.add(Topic.objects.get(name="Gender"))
    return "/topics/gender/", "Mali&#x27;s Transition"


def add_country_to_sub_region(article):
    Region.objects.get(name="Horn of Africa").members.add(Region.objects.get(name="Mali"))
    return "/regions/horn-of-africa/", "Mali&#x27;s Transition"


CHANGES = [
    publish_draft,
    unpublish,
    edit_title,
    rename_author,
    edit_photo_caption,
    rename_topic,
    rename_publication_type,
    add_topic,
    add_country_to_sub_region,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_shows_on_the_next_request(page_cache, client, django_assert_num_queries, change):
    article = site()
    for url in [
        "/publications/",
        "/publications/malis-transition/",
        "/topics/gender/",
        "/regions/horn-of-africa/",
    ]:
        get(client, url)
        with django_assert_num_queries(0):
            get(client, url)

    url, expected = change(article)

    page = client.get(url).content.decode()
    if expected is None:  # unpublished: gone from the list and from its address
        assert "Mali&#x27;s Transition" not in page
        assert client.get("/publications/malis-transition/").status_code == 404
    else:
        assert expected in page


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_writes_only_new_versions_of_what_it_changed(page_cache, client, change):
    article = site()
    for url in PUBLIC_PAGES:
        get(client, url)
    cache.written.clear()

    change(article)

    # The count of changes, then the versions of its keys: no page is
    # written or deleted, whatever the number of pages cached.
    assert cache.written[0] == caching.CHANGES_KEY
    versions = set(cache.written[1:])
    assert versions and all(key.startswith(caching.VERSION_PREFIX) for key in versions)


def test_a_change_in_a_transaction_counts_again_once_committed(
    page_cache, client, django_capture_on_commit_callbacks
):
    """A page made between the change and its commit still shows the old rows;
    the second count makes it stale too."""
    article = site()
    version_key = caching.VERSION_PREFIX + f"article:{article.pk}"
    before = cache.get(version_key)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        article.title = "Mali Votes"
        article.save()
        during = cache.get(version_key)
        assert during != before
    assert len(callbacks) == 1
    assert cache.get(version_key) not in (before, during)


def test_expire_pages_covers_changes_that_send_no_signal(page_cache, client):
    article = site()
    get(client, "/publications/malis-transition/")
    Article.objects.filter(pk=article.pk).update(title="Mali Votes")
    assert b"Mali Votes" not in get(client, "/publications/malis-transition/").content

    call_command("expire_pages", stdout=io.StringIO())

    assert b"Mali Votes" in get(client, "/publications/malis-transition/").content


def test_a_scheduled_article_appears_on_time_without_a_save(
    page_cache, client, clock, django_assert_num_queries
):
    site()
    make_article("Scheduled Brief", published_at=clock.now + timedelta(seconds=300))

    page = get(client, "/publications/")
    assert b"Scheduled Brief" not in page.content
    # The page is kept only until the article is due.
    assert page["Cache-Control"] == "public, max-age=60, s-maxage=300"

    clock.advance(seconds=299)
    with django_assert_num_queries(0):
        page = get(client, "/publications/")
    assert b"Scheduled Brief" not in page.content
    assert page["Cache-Control"].endswith("s-maxage=1")

    clock.advance(seconds=1)
    assert b"Scheduled Brief" in get(client, "/publications/").content
    assert b"Scheduled Brief" in get(client, "/feeds/rss/").content


def test_lifetime_is_capped_by_the_setting(page_cache, settings, client):
    settings.PAGE_CACHE_SECONDS = 30
    site()
    make_article("Scheduled Brief", published_at=timezone.now() + timedelta(days=1))
    assert get(client, "/").headers["Cache-Control"] == "public, max-age=60, s-maxage=30"


# --- shared Redis --------------------------------------------------------------


def test_redis_second_request_is_a_hit(redis_page_cache, client, django_assert_num_queries):
    site()
    first = get(client, "/publications/malis-transition/")
    with django_assert_num_queries(0):
        second = get(client, "/publications/malis-transition/")
    assert second.content == first.content


def test_redis_client_is_made_once_per_connection_pool(redis_page_cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client


def test_app_servers_share_pages_and_invalidations_through_redis(
    redis_page_cache, django_assert_num_queries
):
    """Two clients are two middleware stacks; a second RedisCache made from the
    same settings stands for another app server's connection."""
    article = site()
    server_a, server_b = Client(), Client()
    get(server_a, "/publications/malis-transition/")
    with django_assert_num_queries(0):
        get(server_b, "/publications/malis-transition/")

    # Another app server changes the title: its row, and its one write to Redis.
    Article.objects.filter(pk=article.pk).update(title="Mali Votes")
    other_server = RedisCache(redis_page_cache["LOCATION"], redis_page_cache)
    other_server.incr(caching.GENERATION_KEY)

    assert b"Mali Votes" in get(server_a, "/publications/malis-transition/").content
    with django_assert_num_queries(0):
        assert b"Mali Votes" in get(server_b, "/publications/malis-transition/").content


def test_a_change_through_redis_shows_on_the_next_request(redis_page_cache, client):
    article = site()
    get(client, "/publications/")
    article.title = "Mali Votes"
    article.save()
    assert b"Mali Votes" in get(client, "/publications/").content


def test_pages_are_served_when_redis_is_down(settings, client, caplog):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "usip_cms.caching.RedisCache",
            "LOCATION": "redis://127.0.0.1:1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with caplog.at_level(logging.WARNING, logger="usip_cms.caching"):
        article = site()  # saves still work; each one logs that pages may be stale
        caplog.clear()
        response = get(client, "/publications/malis-transition/")
    assert b"Mali&#x27;s Transition" in response.content
    assert response["Cache-Control"] == "private, no-cache"
    warnings = [r for r in caplog.records if r.name == "usip_cms.caching"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "/publications/malis-transition/ served uncached" in warnings[0].getMessage()

    with caplog.at_level(logging.WARNING, logger="usip_cms.caching"):
        article.title = "Mali Votes"
        article.save()
    assert "stale" in caplog.text


# --- a cache that fails: breaker, outbox, stale copies -------------------------


@pytest.fixture
def hanging_cache(page_cache, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "tests.factories.HangingCache",
            # As in settings.py: the timeouts tell how long a silence may hide an outage.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def ticks(monkeypatch):
    """The page cache's monotonic clock, moved by hand."""

    class Ticks:
        now = 1000.0

        def advance(self, seconds):
            self.now += seconds

    frozen = Ticks()
    monkeypatch.setattr(caching, "monotonic", lambda: frozen.now)
    return frozen


def finish_trial():
    """Wait for the background trial read of the cache, if one is running."""
    trial = caching.health.trial
    if trial is not None:
        trial.join()


def test_a_change_saved_while_the_cache_hangs_shows_once_it_answers_again(
    hanging_cache, client, ticks
):
    article = site()
    get(client, "/publications/malis-transition/")
    get(client, "/publications/malis-transition/")  # stored, then served from the cache

    cache.hung = True
    article.title = "Mali Votes"
    article.save()  # the invalidation times out: it waits in the outbox
    assert PendingInvalidation.objects.exists()
    cache.hung = False

    ticks.advance(caching.PAUSE_SECONDS)
    assert b"Mali Votes" in get(client, "/publications/malis-transition/").content
    finish_trial()  # the cache answers again
    response = get(client, "/publications/malis-transition/")
    assert b"Mali Votes" in response.content
    assert not PendingInvalidation.objects.exists()
    # Pages are cached again, under the new generation.
    assert get(client, "/publications/malis-transition/")["Cache-Control"].startswith("public")


def test_an_app_server_idle_through_the_hang_does_not_serve_the_old_page(
    hanging_cache, client, ticks, monkeypatch
):
    """This process stands for two app servers: the writer saves during the
    hang; the reader served the page before it, saw no fault, and serves
    again once the cache is back."""
    article = site()
    get(client, "/publications/malis-transition/")
    get(client, "/publications/malis-transition/")
    reader = caching.health

    monkeypatch.setattr(caching, "health", caching.CacheHealth())  # the writer
    cache.hung = True
    article.title = "Mali Votes"
    article.save()
    ticks.advance(1)  # the hang lasts a second
    cache.hung = False

    monkeypatch.setattr(caching, "health", reader)
    assert b"Mali Votes" in get(client, "/publications/malis-transition/").content


def test_a_hit_reads_the_outbox_only_after_a_silence_that_could_hide_an_outage(
    hanging_cache, client, ticks, django_assert_num_queries
):
    site()
    get(client, "/publications/")
    get(client, "/publications/")
    ticks.advance(0.2)  # less than half the socket timeout since the cache last answered
    with django_assert_num_queries(0):
        get(client, "/publications/")
    ticks.advance(0.3)
    with django_assert_num_queries(1):  # the outbox, empty
        get(client, "/publications/")
    with django_assert_num_queries(0):
        get(client, "/publications/")


def test_an_outbox_row_is_kept_or_rolled_back_with_its_change(hanging_cache, ticks):
    article = site()
    cache.hung = True
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never Saved"
        article.save()
        raise RuntimeError("the save fails")
    assert not PendingInvalidation.objects.exists()

    with transaction.atomic():
        article.title = "Mali Votes"
        article.save()
    assert PendingInvalidation.objects.exists()


def test_after_a_cache_timeout_pages_are_served_without_asking_the_cache(
    hanging_cache, client, ticks
):
    site()
    get(client, "/publications/")
    cache.hung = True
    get(client, "/publications/")  # times out once; served uncached
    cache.calls = 0

    for _ in range(5):
        response = get(client, "/publications/")
        assert response["Cache-Control"] == "private, no-cache"
    assert cache.calls == 0

    ticks.advance(caching.PAUSE_SECONDS)
    get(client, "/publications/")  # starts one trial read, and does not wait for it
    finish_trial()
    assert cache.calls == 1
    get(client, "/publications/")  # the trial timed out: paused again
    assert cache.calls == 1

    cache.hung = False
    ticks.advance(caching.PAUSE_SECONDS)
    get(client, "/publications/")
    finish_trial()
    get(client, "/publications/")  # stores
    assert get(client, "/publications/")["Cache-Control"].startswith("public")


def test_a_silent_redis_costs_one_timeout_then_pages_are_served_uncached(settings, client, caplog):
    site()
    with socket.socket() as silent:  # accepts connections, never answers: a paused Redis
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        settings.PAGE_CACHE = True
        settings.CACHES = {
            "default": {
                "BACKEND": "usip_cms.caching.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        with caplog.at_level(logging.WARNING, logger="usip_cms.caching"):
            for _ in range(5):
                assert b"Mali&#x27;s Transition" in get(client, "/publications/").content
    messages = [r.getMessage() for r in caplog.records if r.name == "usip_cms.caching"]
    assert len(messages) == 5
    assert "unavailable, /publications/ served uncached" in messages[0]
    assert "TimeoutError" in messages[0]
    assert all("paused after a fault, /publications/ served uncached" in m for m in messages[1:])


def test_with_the_database_down_an_old_copy_of_a_page_is_served_marked_stale(
    page_cache, database_down, settings
):
    settings.FRONT_CACHE_URLS = ["http://127.0.0.1:1/"]  # pages are stored with Surrogate-Control
    reader = Client(raise_request_exception=False)
    article = site()
    assert "Surrogate-Control" in get(reader, "/publications/malis-transition/")
    article.title = "Mali Votes"
    article.save()  # the stored page is out of date now

    with database_down():
        response = reader.get("/publications/malis-transition/")
        never_stored = reader.get("/publications/")

    assert response.status_code == 200
    assert b"Mali&#x27;s Transition" in response.content
    assert response["X-Cache"] == "STALE"
    assert response["Cache-Control"] == "no-store"
    assert "Surrogate-Control" not in response  # nor kept by a front cache
    assert never_stored.status_code == 503


def test_expire_pages_fails_naming_the_cache_when_it_does_not_answer(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "usip_cms.caching.RedisCache",
            "LOCATION": "redis://:secret@127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"NOT expired: the cache at redis://127\.0\.0\.1:1/0"):
        call_command("expire_pages", stdout=out)
    assert "expired." not in out.getvalue()


def test_manage_py_expire_pages_exits_non_zero_when_redis_is_unreachable(tmp_path):
    environment = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "expire_pages"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Cached pages expired." not in result.stdout
    assert "NOT expired: the cache at redis://127.0.0.1:1/0 did not answer" in result.stderr


def test_expire_pages_counts_the_changes_left_in_the_outbox(hanging_cache, client, ticks):
    article = site()
    get(client, "/publications/malis-transition/")
    cache.hung = True
    article.title = "Mali Votes"
    article.save()
    cache.hung = False

    call_command("expire_pages", stdout=io.StringIO())

    assert not PendingInvalidation.objects.exists()
