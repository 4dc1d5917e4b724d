"""RSS 2.0 and Atom feeds: published articles only, with their metadata."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import UNPUBLISHED, make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

# Every scope's feed, for an article tagged Global Policy, Mali, Analysis and
# written by the author with slug "kadiatou-keita".
SCOPES = [
    "/feeds/{}/",
    "/topics/global-policy/{}/",
    "/regions/mali/{}/",
    "/types/analysis/{}/",
    "/people/kadiatou-keita/{}/",
]
RSS_URLS = [scope.format("rss") for scope in SCOPES]
# The landing pages of the same article's terms.
LANDING_PAGES = [
    "/topics/global-policy/",
    "/regions/africa/",
    "/types/analysis/",
    "/people/kadiatou-keita/",
]
ATOM_URLS = [scope.format("atom") for scope in SCOPES]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)  # noqa: S314 - our own output


@pytest.fixture
def article():
    """Two authors whose byline order is not alphabetical, two topics, a photo."""
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita")
    abbott = make_author("Amy Abbott", slug="amy-abbott")
    return make_article(
        "Security in the Sahel",
        slug="security-in-the-sahel",
        summary="What the junta's deals mean for Mali.",
        authors=[keita, abbott],
        topics=["Global Policy", "Gender"],
        regions=["Mali"],
        lead_photo=make_photo(),
    )


@pytest.mark.parametrize("url", RSS_URLS)
def test_rss_item_has_authors_summary_topics_and_enclosure(client, article, url):
    response, rss = parse(client, url)
    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    [item] = rss.findall("channel/item")
    assert item.findtext("title") == "Security in the Sahel"
    assert item.findtext("link") == settings.SITE_URL + "/publications/security-in-the-sahel/"
    # The plain-text summary is HTML-escaped, since readers treat descriptions as HTML.
    assert item.findtext("description") == "What the junta&#x27;s deals mean for Mali."
    assert item.findtext(DC_CREATOR) == "Kadiatou Keita, Amy Abbott"
    assert sorted(c.text for c in item.findall("category")) == ["Gender", "Global Policy"]
    pubdate = parsedate_to_datetime(item.findtext("pubDate"))
    assert pubdate == article.published_at.replace(microsecond=0)
    enclosure = item.find("enclosure")
    photo = article.lead_photo
    assert enclosure.get("url") == settings.SITE_URL + photo.image.url
    assert enclosure.get("length") == str(photo.image.size) != "0"
    assert enclosure.get("type") == "image/jpeg"


@pytest.mark.parametrize("url", ATOM_URLS)
def test_atom_entry_has_authors_summary_topics_and_enclosure(client, article, url):
    response, feed = parse(client, url)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}subtitle")
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Security in the Sahel"
    assert entry.findtext(f"{ATOM}summary") == "What the junta&#x27;s deals mean for Mali."
    # One <author> each, in byline order.
    authors = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert authors == ["Kadiatou Keita", "Amy Abbott"]
    terms = sorted(c.get("term") for c in entry.findall(f"{ATOM}category"))
    assert terms == ["Gender", "Global Policy"]
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == (
        settings.SITE_URL + "/publications/security-in-the-sahel/"
    )
    assert links["enclosure"].get("href") == settings.SITE_URL + article.lead_photo.image.url
    assert links["enclosure"].get("type") == "image/jpeg"
    assert links["enclosure"].get("length") == str(article.lead_photo.image.size)
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == article.published_at
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == article.updated_at


def test_article_without_photo_or_authors_has_no_enclosure_or_author(client):
    make_article("Bare", topics=["Global Policy"])
    _, rss = parse(client, "/feeds/rss/")
    [item] = rss.findall("channel/item")
    assert item.find("enclosure") is None
    assert item.find(DC_CREATOR) is None
    _, atom = parse(client, "/feeds/atom/")
    [entry] = atom.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author") is None
    assert entry.find(f"{ATOM}link[@rel='enclosure']") is None


def test_titles_are_plain_text_and_summaries_escaped_html_in_both_formats(client):
    make_article("Peace & <Security>", summary="Tom & <Jerry>")
    _, rss = parse(client, "/feeds/rss/")
    item = rss.find("channel/item")
    # A plain-text element: readers show it as it is, so it is escaped once (for XML).
    assert item.findtext("title") == "Peace & <Security>"
    assert item.findtext("description") == "Tom &amp; &lt;Jerry&gt;"
    _, atom = parse(client, "/feeds/atom/")
    entry = atom.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Peace & <Security>"
    assert entry.findtext(f"{ATOM}summary") == "Tom &amp; &lt;Jerry&gt;"


@pytest.mark.parametrize("fields", UNPUBLISHED)
def test_unpublished_articles_are_in_no_feed(client, article, fields):
    keita = article.ordered_authors[0]
    make_article(
        "Not yet public",
        authors=[keita],
        topics=["Global Policy"],
        regions=["Mali"],
        lead_photo=make_photo(),
        **fields,
    )
    for url in RSS_URLS + ATOM_URLS + ["/regions/africa/rss/", "/regions/sahel/atom/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Security in the Sahel" in response.text, url
        assert "Not yet public" not in response.text, url


@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_region_feed_includes_its_countries_and_sub_region_members(client, feed):
    make_article("Elections in Mali", regions=["Mali"])
    make_article("Elections in Kenya", regions=["Kenya"])
    make_article("The Sahel as a whole", regions=["Sahel"])
    expected = {
        "africa": {"Elections in Mali", "Elections in Kenya"},
        "sahel": {"Elections in Mali", "The Sahel as a whole"},
        "mali": {"Elections in Mali"},
    }
    for slug, titles in expected.items():
        _, root = parse(client, f"/regions/{slug}/{feed}/")
        if feed == "rss":
            found = {item.findtext("title") for item in root.findall("channel/item")}
        else:
            found = {e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")}
        assert found == titles, slug


def test_scope_feeds_narrow_to_their_term(client):
    author = make_author(slug="only-me")
    make_article("Mine", authors=[author], type_name="Special Report", topics=["Gender"])
    make_article("Not mine", topics=["Youth"])
    for url in ["/people/only-me/rss/", "/types/special-report/rss/", "/topics/gender/rss/"]:
        _, rss = parse(client, url)
        assert [i.findtext("title") for i in rss.findall("channel/item")] == ["Mine"], url


@pytest.mark.parametrize(
    "url",
    [
        f"/{section}/no-such-thing/{feed}/"
        for section in ["topics", "regions", "types", "people"]
        for feed in ["rss", "atom"]
    ],
)
def test_unknown_slug_is_404(client, url):
    assert client.get(url).status_code == 404


def test_twenty_newest_first(client):
    now = timezone.now()
    for hours in range(1, 23):
        make_article(f"Published {hours} hours ago", published_at=now - timedelta(hours=hours))
    _, rss = parse(client, "/feeds/rss/")
    titles = [item.findtext("title") for item in rss.findall("channel/item")]
    assert titles == [f"Published {hours} hours ago" for hours in range(1, 21)]


def make_rich_articles(count):
    authors = [make_author() for _ in range(3)]
    for _ in range(count):
        make_article(
            authors=authors,
            topics=["Global Policy", "Gender", "Youth"],
            regions=["Mali", "Niger"],
            lead_photo=make_photo(),
        )


@pytest.mark.parametrize("count", [3, 8])
def test_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, count):
    make_rich_articles(count)
    # 1. the articles with their publication type and lead photo (joins)
    # 2. their bylines with the authors (prefetch)
    # 3. their topics (prefetch)
    # 4. their full reports' PDF editions (prefetch, for the enclosures)
    with django_assert_num_queries(4):
        response = client.get("/feeds/rss/")
    assert response.content.count(b"<item>") == count
    # A scoped feed adds one query: the region named in the address.
    with django_assert_num_queries(5):
        response = client.get("/regions/africa/atom/")
    assert response.content.count(b"<entry>") == count


def test_pages_advertise_the_site_feeds_and_their_own(client, article):
    head = client.get("/").text.split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/feeds/rss/"' in head and 'href="/feeds/atom/"' in head
    assert head.count('rel="alternate"') == 3  # RSS, Atom, JSON Feed
    for page in LANDING_PAGES:
        head = client.get(page).text.split("</head>")[0]
        assert 'href="/feeds/rss/"' in head, page
        assert f'href="{page}rss/"' in head, page
        assert f'href="{page}atom/"' in head, page
        # The advertised feed exists.
        assert client.get(f"{page}rss/").status_code == 200


def test_landing_pages_link_to_their_feeds_on_the_page(client, article):
    for page in LANDING_PAGES:
        body = client.get(page).text.split("<body>")[1]
        assert f'<a href="{page}rss/" type="application/rss+xml">RSS</a>' in body, page
        assert f'<a href="{page}atom/" type="application/atom+xml">Atom</a>' in body, page


def test_a_report_carries_its_full_pdf_as_the_enclosure(client):
    from tests.factories import make_edition

    article = make_article("A report", slug="a-report", type_name="Special Report")
    article.lead_photo = make_photo()
    article.save()
    full = make_edition(article)
    make_edition(article, kind="summary")
    pdf_url = settings.SITE_URL + full.get_absolute_url()

    _, rss = parse(client, "/feeds/rss/")
    # RSS allows one enclosure: the full report wins over the photo.
    [enclosure] = rss.findall("channel/item/enclosure")
    assert (enclosure.get("url"), enclosure.get("type")) == (pdf_url, "application/pdf")
    assert enclosure.get("length") == str(full.file.size)

    _, atom = parse(client, "/feeds/atom/")
    links = [e for e in atom.iter(f"{ATOM}link") if e.get("rel") == "enclosure"]
    assert [link.get("type") for link in links] == ["application/pdf", "image/jpeg"]
    assert links[0].get("href") == pdf_url


@pytest.mark.parametrize("url", ATOM_URLS)
def test_atom_feed_has_its_own_author_so_entries_without_a_byline_stay_valid(client, article, url):
    make_article("No byline", topics=["Global Policy"], regions=["Mali"])
    _, feed = parse(client, url)
    # RFC 4287: an entry without an author takes the feed's; the feed must have one.
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == settings.SITE_NAME
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
    if "No byline" in entries:
        assert entries["No byline"].find(f"{ATOM}author") is None
