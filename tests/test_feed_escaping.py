"""Feeds escape for the reader: stored text arrives as the same text, never as markup.

A feed reader parses the XML, then renders some elements as HTML (RSS
description, Atom summary and subtitle marked type="html") and shows the rest
as text (titles, author names, categories). Each test reads the feed that way.
"""

import pytest
from django.conf import settings

from publications.models import PublicationType, Region, Topic
from tests.factories import as_feed_reader_shows, make_article, make_author

pytestmark = pytest.mark.django_db

ATTACK = "<img src=x onerror=alert(1)>"
FEEDS = [
    f"{scope}{feed}/"
    for scope in ["/feeds/", "/topics/peace-kit/", "/regions/mali/", "/types/analysis/",
                  "/people/mallory/"]
    for feed in ["rss", "atom"]
]  # fmt: skip


@pytest.fixture
def hostile():
    """Every text that reaches a feed, holding markup and ampersands."""
    topic = Topic.objects.create(
        name=f"Peace {ATTACK} Kit", slug="peace-kit", description=f"Tools & {ATTACK} tricks"
    )
    Region.objects.filter(name="Mali").update(description=f"Sahel & {ATTACK} state")
    PublicationType.objects.filter(name="Analysis").update(description=f"Short & {ATTACK} takes")
    author = make_author(f"Mallory {ATTACK} & Co", slug="mallory")
    make_article(
        "Peace & <Security>",
        summary=f"Tom & <Jerry> {ATTACK}",
        authors=[author],
        topics=[topic.name],
        regions=["Mali"],
    )


@pytest.mark.parametrize("url", FEEDS)
def test_no_stored_text_becomes_markup_in_a_reader(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    shown = as_feed_reader_shows(response.content)
    assert shown["markup"] == []
    # The HTML elements show the stored text exactly.
    summaries = shown["description"][1:] if "rss" in url else shown["summary"]
    assert summaries == [f"Tom & <Jerry> {ATTACK}"]


@pytest.mark.parametrize("url", FEEDS)
def test_titles_names_and_categories_arrive_as_plain_text(client, hostile, url):
    shown = as_feed_reader_shows(client.get(url).content)
    titles = shown["title"]
    assert "Peace & <Security>" in titles
    assert "&amp;" not in " ".join(titles) and "&lt;" not in " ".join(titles)
    # Atom names the feed's own author (the site) before the entries' authors.
    creators = shown["creator"] if "rss" in url else shown["name"][1:]
    assert creators == [f"Mallory {ATTACK} & Co"]
    assert shown["category"] == [f"Peace {ATTACK} Kit"]


@pytest.mark.parametrize(
    "url,title,description",
    [
        ("/topics/peace-kit/", f"Peace {ATTACK} Kit", f"Tools & {ATTACK} tricks"),
        ("/regions/mali/", "Mali", f"Sahel & {ATTACK} state"),
        ("/types/analysis/", "Analysis", f"Short & {ATTACK} takes"),
        ("/people/mallory/", f"Publications by Mallory {ATTACK} & Co",
         f"Publications by Mallory {ATTACK} & Co."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_feed_title_and_description_of_a_term_show_its_text(
    client, hostile, url, title, description, feed
):
    shown = as_feed_reader_shows(client.get(f"{url}{feed}/").content)
    assert shown["markup"] == []
    assert shown["title"][0] == f"{title} · {settings.SITE_NAME}"
    if feed == "rss":
        assert shown["description"][0] == description
    else:
        assert shown["subtitle"] == [description]


def test_atom_subtitle_and_summary_say_they_are_html(client, hostile):
    content = client.get("/people/mallory/atom/").content
    assert b'<subtitle type="html">' in content
    assert b'<summary type="html">' in content
    # Escaped twice in the bytes: once as HTML for the reader, once for XML.
    assert b"Publications by Mallory &amp;lt;img" in content
