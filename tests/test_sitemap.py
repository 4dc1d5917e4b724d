"""sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import UNPUBLISHED, make_article, make_author, make_photo, make_series

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://www.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def sitemap(client):
    """{location: lastmod or None} of every entry, following the index."""
    entries = {}
    for section in parse(client, "/sitemap.xml"):
        # The index names the sections on the host the crawler asked.
        location = urlsplit(section.findtext(f"{NS}loc"))
        assert location.path.startswith("/sitemap-")
        path = location.path + (f"?{location.query}" if location.query else "")
        for url in parse(client, path):
            entries[url.findtext(f"{NS}loc")] = url.findtext(f"{NS}lastmod")
    return entries


def test_lists_published_articles_with_their_last_change(client):
    article = make_article("Out now", slug="out-now")
    # 02:30 UTC on March 5 is still March 4 in the site's time zone (New York).
    Article.objects.filter(pk=article.pk).update(updated_at=datetime(2024, 3, 5, 2, 30, tzinfo=UTC))
    article.refresh_from_db()
    entries = sitemap(client)
    assert entries[f"{SITE_URL}/publications/out-now/"] == "2024-03-04"
    assert entries[f"{SITE_URL}/publications/out-now/"] == (
        timezone.localdate(article.updated_at).isoformat()
    )


@pytest.mark.parametrize("fields", UNPUBLISHED)
def test_unpublished_articles_and_their_only_authors_are_left_out(client, fields):
    make_article("Out now", slug="out-now", authors=[make_author(slug="published-author")])
    make_article(
        "Secret plan", slug="secret-plan", authors=[make_author(slug="secret-author")], **fields
    )
    entries = sitemap(client)
    assert f"{SITE_URL}/publications/out-now/" in entries
    assert f"{SITE_URL}/people/published-author/" in entries
    assert not [loc for loc in entries if "secret" in loc]


def test_lists_the_fixed_and_landing_pages(client):
    make_article(
        authors=[make_author(slug="kadiatou-keita")], topics=["Global Policy"], regions=["Mali"],
        type_name="Special Report",
    )  # fmt: skip
    entries = sitemap(client)
    for path in [
        "/",
        "/publications/",
        "/topics/",
        "/regions/",
        "/topics/global-policy/",
        "/regions/africa/",
        "/regions/sahel/",
        "/regions/mali/",
        "/types/special-report/",
        "/people/kadiatou-keita/",
    ]:
        assert f"{SITE_URL}{path}" in entries, path
    assert all(loc.startswith(f"{SITE_URL}/") for loc in entries)


@pytest.mark.parametrize("count", [3, 8])
def test_queries_do_not_grow_with_articles(client, django_assert_num_queries, count):
    authors = [make_author() for _ in range(3)]
    series = make_series()
    for number in range(count):
        make_article(
            authors=authors, topics=["Global Policy", "Youth"], regions=["Mali"],
            lead_photo=make_photo(), type_name="Special Report", series=series,
            series_number=number,
        )  # fmt: skip
    # The index: each section's page count (articles, topics, regions, types,
    # authors, series) and the articles' newest change; then, per section
    # file, the paginator's count and the page, plus the translations among
    # the articles (for their alternates). The fixed pages need none.
    with django_assert_num_queries(6 + 1 + 12 + 1):
        entries = sitemap(client)
    assert len([loc for loc in entries if "/publications/article-" in loc]) == count


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines


def test_large_archive_is_split_into_sitemap_pages(client, monkeypatch):
    from publications.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article()
    index = [s.findtext(f"{NS}loc") for s in parse(client, "/sitemap.xml")]
    assert "http://testserver/sitemap-articles.xml?p=3" in index
    assert len(parse(client, "/sitemap-articles.xml?p=3")) == 1
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
