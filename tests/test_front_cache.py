"""Varnish in front of the app (deploy/varnish.vcl, usip_cms/frontcache.py).

Each test starts Debian's varnishd before the live server (the `varnish`
fixture); CI installs it and sets REQUIRE_VARNISH=1, so these never skip there.
"""

import gzip
import time

import pytest

from articles.models import Article
from tests.factories import fetch, fetch_bytes, make_article, make_author
from usip_cms.models import PendingPurge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article(seeded_vocabularies):
    return make_article(
        "Sahel Mediation Stalls", slug="sahel-mediation", summary="Talks in Niamey.",
        authors=[make_author()],
    )  # fmt: skip


def test_a_public_page_is_served_from_varnish_the_second_time(varnish, article):
    first = fetch(varnish + "/publications/sahel-mediation/")
    second = fetch(varnish + "/publications/sahel-mediation/")

    assert first[0] == second[0] == 200
    assert first[1]["X-Cache"] == "MISS"
    assert second[1]["X-Cache"] == "HIT"
    assert "Sahel Mediation Stalls" in second[2]
    # The surrogate keys and lifetime are for Varnish, not for readers.
    assert "xkey" not in second[1] and "Surrogate-Control" not in second[1]


def test_a_change_is_visible_through_varnish_within_a_second(varnish, article):
    fetch(varnish + "/publications/sahel-mediation/")
    fetch(varnish + "/publications/")
    assert fetch(varnish + "/publications/")[1]["X-Cache"] == "HIT"

    article.title = "Sahel Mediation Resumes"
    article.save()
    seen = time.monotonic()

    status, headers, text = fetch(varnish + "/publications/sahel-mediation/")
    listing = fetch(varnish + "/publications/")[2]
    assert status == 200 and "Sahel Mediation Resumes" in text
    assert "Sahel Mediation Resumes" in listing and "Sahel Mediation Stalls" not in listing
    assert time.monotonic() - seen < 1


def test_readers_with_and_without_gzip_each_get_a_kept_copy_and_see_a_change(varnish, article):
    url = varnish + "/publications/sahel-mediation/"
    zipped = {"Accept-Encoding": "gzip, deflate, br"}
    for headers in ({}, zipped):
        fetch_bytes(url, headers)
    _status, plain_headers, plain = fetch_bytes(url)
    _status, zipped_headers, body = fetch_bytes(url, zipped)
    assert plain_headers["X-Cache"] == zipped_headers["X-Cache"] == "HIT"
    assert "Content-Encoding" not in plain_headers and b"Sahel Mediation Stalls" in plain
    assert zipped_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain

    article.title = "Sahel Mediation Resumes"
    article.save()
    assert b"Sahel Mediation Resumes" in fetch_bytes(url)[2]
    assert b"Sahel Mediation Resumes" in gzip.decompress(fetch_bytes(url, zipped)[2])


def test_unpublishing_takes_the_page_out_of_varnish(varnish, article):
    assert fetch(varnish + "/publications/sahel-mediation/")[0] == 200

    article.status = Article.Status.DRAFT
    article.save()

    assert fetch(varnish + "/publications/sahel-mediation/")[0] == 404


def test_a_draft_never_reaches_varnish(varnish, seeded_vocabularies):
    make_article("Unreleased Findings", slug="unreleased", status=Article.Status.DRAFT)

    for _ in range(2):
        status, headers, _text = fetch(varnish + "/publications/unreleased/")
        assert status == 404
        assert headers["X-Cache"] == "MISS"
    assert "Unreleased Findings" not in fetch(varnish + "/publications/")[2]


def test_staff_with_a_session_pass_through_to_the_app(varnish, client, admin_user, article):
    client.force_login(admin_user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    fetch(varnish + "/publications/sahel-mediation/")  # cached for readers

    status, headers, _text = fetch(varnish + "/publications/sahel-mediation/", {"Cookie": cookie})

    assert status == 200
    assert headers["X-Cache"] == "MISS"


def test_the_admin_is_never_cached(varnish, seeded_vocabularies):
    for _ in range(2):
        status, headers, _text = fetch(varnish + "/admin/login/")
        assert status == 200 and headers["X-Cache"] == "MISS"


def test_when_the_app_fails_varnish_serves_the_last_good_copy(
    varnish, article, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 1
    assert fetch(varnish + "/publications/sahel-mediation/")[0] == 200
    time.sleep(1.5)  # the copy's life is over; it is kept for grace

    def database_down(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.views.ArticleDetailView.get_object", database_down)

    status, _headers, text = fetch(varnish + "/publications/sahel-mediation/")
    assert status == 200 and "Sahel Mediation Stalls" in text


def test_a_purge_that_fails_is_kept_and_sent_later(varnish, settings, seeded_vocabularies):
    settings.FRONT_CACHE_URLS = ["http://127.0.0.1:9/"]  # a cache that is away
    make_article("Kept Purge")
    assert PendingPurge.objects.filter(url="http://127.0.0.1:9/").exists()

    # The cache is back (at its address); the next change sends what is pending first.
    settings.FRONT_CACHE_URLS = [varnish + "/"]
    PendingPurge.objects.update(url=varnish + "/")
    make_article("Next Change")

    assert not PendingPurge.objects.exists()


def test_a_change_leaves_the_pages_that_do_not_show_it_cached_in_varnish(
    varnish, article, seeded_vocabularies
):
    # The other article's page lists the newest articles, this one among them;
    # its landing pages do not.
    make_article(
        "Colombia's Peace Accord", type_name="Report", topics=["Reconciliation"],
        regions=["Colombia"],
    )  # fmt: skip
    unrelated = ["/topics/reconciliation/", "/regions/colombia/", "/types/report/"]
    for path in ["/publications/sahel-mediation/", *unrelated]:
        fetch(varnish + path)
        assert fetch(varnish + path)[1]["X-Cache"] == "HIT", path

    article.title = "Sahel Mediation Resumes"
    article.save()
    make_article("Unreleased Findings", slug="unreleased", status=Article.Status.DRAFT)

    status, headers, text = fetch(varnish + "/publications/sahel-mediation/")
    assert "Sahel Mediation Resumes" in text and headers["X-Cache"] == "MISS"
    for path in unrelated:
        status, headers, text = fetch(varnish + path)
        assert status == 200 and headers["X-Cache"] == "HIT", path


@pytest.mark.slow
def test_a_failed_purge_of_many_keys_is_kept_whole(settings, seeded_vocabularies):
    """An author on many articles is renamed while the front cache is away:
    every article's key waits to be purged, in rows that fit their field."""
    author = make_author("Kadiatou Keita")
    articles = [make_article(authors=[author]) for _ in range(200)]
    settings.FRONT_CACHE_URLS = ["http://127.0.0.1:9/"]

    author.name = "Kadiatou Keïta"
    author.save()

    rows = list(PendingPurge.objects.values_list("keys", flat=True))
    assert len(rows) > 1 and all(len(keys) <= 2000 for keys in rows)
    waiting = {key for keys in rows for key in keys.split()}
    assert {f"article:{a.pk}" for a in articles} | {f"author:{author.pk}"} <= waiting
