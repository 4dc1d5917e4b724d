"""No stored value breaks XML: feeds and sitemaps strip what XML cannot carry.

Forms refuse control characters, but rows loaded in bulk, by the shell or from
an older version may still hold one; a single U+0001 in a title used to make
/feeds/rss/ answer 500 for every reader.
"""

import pytest
from django.conf import settings

from articles.models import Author, Photo
from publications.models import PublicationType, Region, Topic
from tests.factories import (
    as_feed_reader_shows,
    make_article,
    make_author,
    make_photo,
    sitemap_locations,
)

pytestmark = pytest.mark.django_db

FEEDS = [
    f"{scope}{feed}/"
    for scope in ["/feeds/", "/topics/global-policy/", "/regions/mali/", "/regions/africa/",
                  "/types/analysis/", "/people/kadiatou-keita/"]
    for feed in ["rss", "atom"]
]  # fmt: skip


@pytest.fixture
def control_characters():
    """U+0001, U+0008 and U+FFFF in every field that reaches a feed or the sitemap.

    Saved with .update(), as a bulk load would: the forms would refuse them.
    """
    author = make_author("Kadiatou Keita", slug="kadiatou-keita")
    article = make_article(
        "Mali Votes",
        slug="mali-votes",
        authors=[author],
        topics=["Global Policy"],
        regions=["Mali"],
        lead_photo=make_photo(),
    )
    type(article).objects.filter(pk=article.pk).update(
        title="Mali\x01 Votes", summary="The junta\x08 steps back\uffff."
    )
    Author.objects.filter(pk=author.pk).update(name="Kadiatou\x01 Keita")
    Photo.objects.filter(pk=article.lead_photo.pk).update(caption="Troops\x01 on patrol")
    Topic.objects.filter(name="Global Policy").update(
        name="Global\x01 Policy", description="The world\x01 order."
    )
    Region.objects.filter(name="Mali").update(name="Ma\x01li", description="A\x01 country.")
    Region.objects.filter(name="Africa").update(description="A\x01 continent.")
    PublicationType.objects.filter(name="Analysis").update(
        name="Analy\x01sis", plural="Analy\x01ses", description="Short\x01 takes."
    )


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_answers_with_the_characters_stripped(client, control_characters, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not any(char in response.content.decode() for char in "\x01\x08\uffff")
    shown = as_feed_reader_shows(response.content)
    assert "Mali Votes" in shown["title"]
    summaries = shown["description"][1:] if "rss" in url else shown["summary"]
    assert summaries == ["The junta steps back."]
    assert shown["category"] == ["Global Policy"]
    # Atom names the feed's own author (the site) before the entries' authors.
    creators = shown["creator"] if "rss" in url else shown["name"][1:]
    assert creators == ["Kadiatou Keita"]


@pytest.mark.parametrize(
    "url,title,description",
    [
        ("/topics/global-policy/", "Global Policy", "The world order."),
        ("/regions/mali/", "Mali", "A country."),
        ("/regions/africa/", "Africa", "A continent."),
        ("/types/analysis/", "Analyses", "Short takes."),
        ("/people/kadiatou-keita/", "Publications by Kadiatou Keita",
         "Publications by Kadiatou Keita."),
    ],
)  # fmt: skip
@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_term_feed_title_and_description_are_stripped(
    client, control_characters, url, title, description, feed
):
    shown = as_feed_reader_shows(client.get(f"{url}{feed}/").content)
    assert shown["title"][0] == f"{title} · {settings.SITE_NAME}"
    assert (shown["description"][0] if feed == "rss" else shown["subtitle"][0]) == description


def test_sitemap_answers_and_lists_every_page(client, control_characters):
    locations = sitemap_locations(client)
    for path in [
        "/publications/mali-votes/",
        "/topics/global-policy/",
        "/regions/mali/",
        "/regions/africa/",
        "/types/analysis/",
        "/people/kadiatou-keita/",
    ]:
        assert path in locations, path
