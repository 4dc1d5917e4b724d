"""Every public page makes a fixed number of SQL queries, however much it shows.

Each page is loaded with a small and a large data set; the count must be the
same and equal to the pinned number. The comments list the queries.
"""

import math

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from publications.models import Featured, Series
from tests.factories import make_article, make_author, make_edition, make_photo, make_series
from usip_cms import caching

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SMALL, LARGE = 21, 30  # page 2 exists in both
TOPICS = ["Global Policy", "Environment", "Gender", "Youth"]
REGIONS = ["Mali", "Niger", "Sahel"]


def build(n):
    authors = [make_author() for _ in range(3)]
    series = Series.objects.first() or make_series()
    # Cards with thumbnails and without; the large set adds featured items.
    photo = make_photo()
    if n == SMALL:
        main = make_article(
            "Main", slug="main", authors=authors, topics=TOPICS, regions=REGIONS,
            lead_photo=photo, type_name="Special Report", series=series, series_number=1,
            key_takeaways=["One point.", "Another."], isbn="9781601275356", doi="10.1234/x",
        )  # fmt: skip
        make_edition(main)
        make_edition(main, kind="summary")
    for i in range(n):
        numbered = {"type_name": "Special Report", "series": series} if i % 2 else {}
        number = Article.objects.filter(series=series).count() + 1
        article = make_article(
            authors=authors[: 1 + i % 3], topics=TOPICS[: 1 + i % 4], regions=REGIONS,
            lead_photo=photo if i % 2 else None,
            **numbered, **({"series_number": number} if numbered else {}),
        )  # fmt: skip
        if n == LARGE and i < 3:
            Featured.objects.create(article=article, position=i)


# (every cache empty, cards and menus kept): a page made with nothing in the
# cache, then again with the fragments another page made (usip_cms/fragments.py).
# Kept cards need neither their bylines nor their topics; kept menus, neither
# their UNION nor the lifetime query (when the next scheduled article is due).
PAGES = {
    # featured, newest with a photo, newest (each with type and photo);
    # bylines+authors and topics of all the cards; the most-used topics and
    # regions with their counts (its cards' bylines are read for the lead
    # story anyway)
    "/": (7, 7),
    # the filter menus' types, topics, regions and years (one UNION), and when
    # they expire (the next scheduled article); count, articles (with type
    # and photo); the cards' bylines+authors, topics
    "/publications/": (6, 2),
    "/publications/?page=2": (6, 2),
    # the same: the filters are checked against the menus already loaded
    "/publications/?topic=global-policy&region=sahel&type=analysis&q=article": (6, 2),
    # + does the author exist
    "/publications/?author=author-1": (7, 3),
    # article (type, photo, series); the related ranking and the ids of the
    # latest, in one; the related candidates, the latest and its published
    # translations, by id (type, photo); the cards' bylines+authors, topics.
    # Its own parts, unless kept (articles/page_parts.py): its topics, PDF
    # editions, bylines+authors, its regions (with the regions around them),
    # and when they expire (the next scheduled article). (The formatted
    # citations come from the cache, rendered once per change.)
    "/publications/main/": (10, 3),
    # the term; count, articles; the cards' bylines, topics
    "/topics/global-policy/": (5, 3),
    "/types/analysis/": (5, 3),
    "/people/author-1/": (5, 3),
    "/series/special-reports/": (5, 3),
    # region (with parent); its countries, members or sub-regions (one query);
    # count, articles; the cards' bylines, topics
    "/regions/africa/": (6, 4),
    "/regions/sahel/": (6, 4),
    "/regions/mali/": (6, 4),
    # the facets' types, topics and regions (the menus' UNION) and when they
    # expire, unless kept; the ranked ids of the pool (articles.search.POOL
    # newest matches); facets over the pool: types and years (one query),
    # topics and regions (one query); people named by the words; the page's
    # articles (with type, snippet); the cards' bylines+authors, topics, unless kept
    "/search/?q=article": (9, 5),
    "/search/?q=article&topic=global-policy&region=sahel&type=analysis&sort=newest&page=2": (9, 5),
    # topics
    "/topics/": (1, 1),
    # regions, their countries; sub-regions, their members
    "/regions/": (4, 4),
    # The JSON API. count; articles (with type and series); bylines+authors; topics
    "/api/v1/publications/": (4, 4),
    "/api/v1/publications/?page=2&page_size=10": (4, 4),
    # + the filters' vocabularies (the menus' UNION) and when they expire,
    # unless kept, as on /publications/
    "/api/v1/publications/?topic=global-policy&region=sahel&type=analysis&q=article": (6, 4),
    # + does the author exist
    "/api/v1/publications/?author=author-1": (7, 5),
    # article (type, series, photo); bylines+authors; topics; regions; PDF
    # editions; its published translations
    "/api/v1/publications/main": (6, 6),
    # count; authors
    "/api/v1/authors/": (2, 2),
    # the author
    "/api/v1/authors/author-1": (1, 1),
    # topics
    "/api/v1/topics/": (1, 1),
    # regions; their members
    "/api/v1/regions/": (2, 2),
    # types
    "/api/v1/types/": (1, 1),
    # series (with type)
    "/api/v1/series/": (1, 1),
}


@pytest.fixture(autouse=True)
def outbox_read(monkeypatch):
    """The page cache's outbox is read before the cache is trusted: once per
    process, and after any silence of the cache longer than half its timeout
    (usip_cms.caching.CacheHealth), which a slow request on a loaded machine
    can take; not once per page. Read it now, and not again in these tests."""
    monkeypatch.setattr(caching.health, "longest_gap", math.inf)
    caching.health.answered()
    caching.health.trusted = True


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def cold_and_warm(client, url):
    cache.clear()
    return count_queries(client, url), count_queries(client, url)


@pytest.mark.parametrize("url,expected", PAGES.items())
def test_query_count_is_fixed(client, url, expected):
    build(SMALL)
    small = cold_and_warm(client, url.replace("author-1", _first_author_slug()))
    build(LARGE)
    large = cold_and_warm(client, url.replace("author-1", _first_author_slug()))
    assert small == large == expected, [small, large]


def _first_author_slug():
    from articles.models import Author

    return Author.objects.order_by("pk").first().slug
