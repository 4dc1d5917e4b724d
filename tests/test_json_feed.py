"""JSON Feed 1.1 beside every RSS and Atom feed: the same items, as JSON data."""

from datetime import datetime

import pytest

from publications.scopes import SCOPES
from tests.factories import (
    UNPUBLISHED,
    make_article,
    make_author,
    make_edition,
    make_photo,
    make_series,
)

pytestmark = pytest.mark.django_db

# The spec's required fields (https://www.jsonfeed.org/version/1.1/), and the
# ones of each attachment and author a reader relies on.
FEED_REQUIRED = {"version", "title", "items"}
ITEM_REQUIRED = {"id"}
ATTACHMENT_REQUIRED = {"url", "mime_type"}

# Every scope's JSON feed for the article below; one per scope of the registry.
JSON_URLS = [
    "/feeds/json/",
    "/topics/global-policy/json/",
    "/regions/mali/json/",
    "/types/special-report/json/",
    "/people/kadiatou-keita/json/",
    "/series/special-reports/json/",
]


@pytest.fixture
def article():
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita")
    abbott = make_author("Amy Abbott", slug="amy-abbott")
    article = make_article(
        "Security in the Sahel", slug="sahel", summary="Why the Sahel matters.",
        authors=[keita, abbott], topics=["Global Policy", "Environment"],
        regions=["Mali"], lead_photo=make_photo(), type_name="Special Report",
        series=make_series(), series_number=493, key_takeaways=["Talk to everyone."],
    )  # fmt: skip
    make_edition(article)
    return article


def assert_valid_json_feed(feed):
    assert set(feed) >= FEED_REQUIRED
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    for item in feed["items"]:
        assert set(item) >= ITEM_REQUIRED and isinstance(item["id"], str)
        assert "content_html" in item or "content_text" in item  # one of them is required
        for date in ("date_published", "date_modified"):
            if date in item:  # RFC 3339: a date, a time and a zone
                assert datetime.fromisoformat(item[date]).utcoffset() is not None
        for attachment in item.get("attachments", []):
            assert set(attachment) >= ATTACHMENT_REQUIRED
        for author in item.get("authors", []):
            assert {"name", "url", "avatar"} & set(author)


def test_every_scope_of_the_registry_has_a_json_feed():
    assert {url.split("/")[1] for url in JSON_URLS[1:]} == {s.prefix for s in SCOPES.values()}


@pytest.mark.parametrize("url", JSON_URLS)
def test_each_json_feed_is_valid_and_has_the_published_item(client, article, url):
    make_article("Draft", slug="draft", status="draft", topics=["Global Policy"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = response.json()
    assert_valid_json_feed(feed)
    assert feed["feed_url"] == f"http://127.0.0.1:8000{url}"
    assert [item["url"] for item in feed["items"]] == ["http://127.0.0.1:8000/publications/sahel/"]


def test_an_item_carries_what_the_rss_item_does(client, article):
    [item] = client.get("/feeds/json/").json()["items"]
    assert item["title"] == "Security in the Sahel"
    assert item["summary"] == "Why the Sahel matters."
    assert item["content_text"].startswith("Why the Sahel matters.")
    assert "1. Talk to everyone." in item["content_text"]
    assert [a["name"] for a in item["authors"]] == ["Kadiatou Keita", "Amy Abbott"]
    assert item["authors"][0]["url"] == "http://127.0.0.1:8000/people/kadiatou-keita/"
    assert set(item["tags"]) == {"Global Policy", "Environment"}
    assert datetime.fromisoformat(item["date_published"]) == article.published_at
    pdf, photo = item["attachments"]
    assert pdf["mime_type"] == "application/pdf" and pdf["size_in_bytes"] > 0
    assert photo["mime_type"] == "image/jpeg"


@pytest.mark.parametrize("hidden", UNPUBLISHED)
def test_unpublished_items_are_never_in_the_json_feed(client, hidden):
    make_article("Hidden", **hidden)
    make_article("Visible")
    assert [i["title"] for i in client.get("/feeds/json/").json()["items"]] == ["Visible"]


def test_author_editable_text_stays_json_data(client):
    hostile = '<img src=x onerror=alert(1)>"\\'
    make_article(hostile, summary=hostile, authors=[make_author(hostile)])
    [item] = client.get("/feeds/json/").json()["items"]
    assert item["title"] == item["summary"] == item["content_text"] == hostile
    assert "content_html" not in item  # plain text only: no markup for readers to render
    assert item["authors"][0]["name"] == hostile


def test_pages_advertise_the_json_feeds_in_their_head(client, article):
    home = client.get("/").text
    assert 'type="application/feed+json"' in home and 'href="/feeds/json/"' in home
    landing = client.get("/topics/global-policy/").text
    assert 'href="/topics/global-policy/json/"' in landing
