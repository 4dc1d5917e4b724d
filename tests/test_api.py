"""The read-only JSON API at /api/v1/: published content only, filters, paging,
caching headers, CORS and JSON errors."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_edition, make_photo, make_series

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def unpublished():
    """A draft, an article in review and a scheduled one, each by its own author,
    on a topic and region nothing published uses, in their own series."""
    hidden = make_series("Hidden Papers", prefix="HP")
    for status, when in [
        ("draft", None),
        ("review", None),
        ("published", timezone.now() + timedelta(days=2)),
    ]:
        make_article(
            f"Unpublished {status}",
            slug=f"unpublished-{status}-{when is not None}",
            status=status,
            published_at=when,
            authors=[make_author(f"Hidden {status}", slug=f"hidden-{status}")],
            topics=["Youth"],
            regions=["Niger"],
            type_name="Special Report",
            series=hidden,
            series_number=1 + (status == "review") + 2 * (when is not None),
        )


def test_the_list_shows_published_items_newest_first_with_next_links(client, unpublished):
    start = datetime(2024, 1, 1, 12, tzinfo=NY)
    for i in range(25):
        make_article(f"Item {i:02d}", slug=f"item-{i:02d}", published_at=start + timedelta(days=i))
    first = client.get("/api/v1/publications/")
    data = first.json()
    assert data["count"] == 25
    assert slugs(first)[:2] == ["item-24", "item-23"]
    assert len(data["results"]) == 20
    assert data["next"] == "http://127.0.0.1:8000/api/v1/publications/?page=2"
    assert data["previous"] is None
    second = client.get("/api/v1/publications/?page=2")
    assert slugs(second) == [f"item-{i:02d}" for i in range(4, -1, -1)]
    assert second.json()["next"] is None
    assert second.json()["previous"] == "http://127.0.0.1:8000/api/v1/publications/?page=1"


def test_unpublished_items_appear_nowhere(client, unpublished):
    make_article("Public", slug="public", authors=[make_author("Visible", slug="visible")])
    assert slugs(client.get("/api/v1/publications/")) == ["public"]
    for slug in [
        "unpublished-draft-False",
        "unpublished-review-False",
        "unpublished-published-True",
    ]:
        assert client.get(f"/api/v1/publications/{slug}").status_code == 404
    assert slugs(client.get("/api/v1/authors/")) == ["visible"]
    assert client.get("/api/v1/authors/hidden-draft").status_code == 404
    assert "youth" not in [t["slug"] for t in client.get("/api/v1/topics/").json()]
    assert "niger" not in [r["slug"] for r in client.get("/api/v1/regions/").json()]
    assert client.get("/api/v1/series/").json() == []
    assert "special-report" not in [t["slug"] for t in client.get("/api/v1/types/").json()]
    # A filter naming what has nothing published is unknown, not an empty list.
    assert client.get("/api/v1/publications/?series=hidden-papers").status_code == 404


@pytest.mark.parametrize(
    "query,expected",
    [
        ("topic=global-policy", ["both", "policy"]),
        ("region=sahel", ["both", "mali"]),  # Sahel contains Mali
        ("region=africa", ["both", "mali"]),  # so does Africa
        ("region=mali", ["both", "mali"]),
        ("type=special-report", ["report"]),
        ("series=special-reports", ["report"]),
        ("author=ada", ["both", "policy"]),
        ("year=2023", ["report"]),
        ("q=elections", ["mali"]),
        ("topic=global-policy&region=mali", ["both"]),
    ],
)
def test_the_filters_of_the_list_page_narrow_the_list(client, query, expected):
    ada = make_author("Ada", slug="ada")
    make_article("Both", slug="both", authors=[ada], topics=["Global Policy"], regions=["Mali"])
    make_article("Policy", slug="policy", authors=[ada], topics=["Global Policy"])
    make_article("Mali", slug="mali", summary="Elections in Mali.", regions=["Mali"])
    make_article(
        "Report", slug="report", type_name="Special Report", series=make_series(),
        series_number=493, published_at=datetime(2023, 5, 1, tzinfo=NY),
    )  # fmt: skip
    assert sorted(slugs(client.get(f"/api/v1/publications/?{query}"))) == sorted(expected)


@pytest.mark.parametrize(
    "query,status,field",
    [
        ("colour=red", 400, "colour"),
        ("year=abc", 400, "year"),
        ("year=1200", 400, "year"),
        ("page_size=101", 400, "page_size"),
        ("page=0", 400, "page"),
        # Well-formed, naming nothing public: a broken link, as on /publications/.
        ("topic=no-such-topic", 404, "topic"),
        ("author=nobody", 404, "author"),
    ],
)
def test_a_bad_filter_is_a_json_error_naming_the_field(client, query, status, field):
    make_article(topics=["Global Policy"])
    response = client.get(f"/api/v1/publications/?{query}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["field"] == field and body["message"]


def test_page_size_is_chosen_up_to_the_cap(client):
    for _ in range(3):
        make_article()
    data = client.get("/api/v1/publications/?page_size=2").json()
    assert len(data["results"]) == 2
    assert data["next"] == "http://127.0.0.1:8000/api/v1/publications/?page_size=2&page=2"


def test_a_page_past_the_last_and_unknown_addresses_are_json_404s(client):
    make_article()
    for url in ["/api/v1/publications/?page=5", "/api/v1/publications/nope", "/api/v1/nothing/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["status"] == 404


def test_a_publication_has_everything_its_page_shows(client):
    first = make_author("Ada Lovelace", slug="ada", role="a USIP expert on Mali")
    second = make_author("Bo Chen", slug="bo")
    article = make_article(
        "Sahel report", slug="sahel", authors=[second, first], topics=["Global Policy"],
        regions=["Mali"], lead_photo=make_photo(), type_name="Special Report",
        series=make_series(), series_number=493, key_takeaways=["One.", "Two."],
        body="<p>Body <strong>text</strong>.</p>",
    )  # fmt: skip
    make_edition(article)
    data = client.get("/api/v1/publications/sahel").json()
    assert data["title"] == "Sahel report"
    assert data["body"] == "<p>Body <strong>text</strong>.</p>"
    assert data["url"] == "http://127.0.0.1:8000/publications/sahel/"
    assert [a["slug"] for a in data["authors"]] == ["bo", "ada"]
    assert data["authors"][1]["author_line"] == "Ada Lovelace is a USIP expert on Mali."
    assert data["type"]["slug"] == "special-report"
    assert [t["slug"] for t in data["topics"]] == ["global-policy"]
    assert [r["slug"] for r in data["regions"]] == ["mali"]
    assert data["series"] == {
        "slug": "special-reports", "name": "Special Reports", "number": 493, "label": "SR 493"
    }  # fmt: skip
    assert data["key_takeaways"] == ["One.", "Two."]
    photo = data["lead_photo"]
    assert photo["alt"] == "Soldiers walk along a dirt road"
    assert photo["credit"] == "Jane Doe/Agency"
    assert photo["renditions"] and all(
        r["jpeg"].startswith("http://127.0.0.1:8000/media/") for r in photo["renditions"]
    )
    [edition] = data["editions"]
    assert edition["kind"] == "full" and edition["pages"] == 2
    assert edition["url"].startswith("http://127.0.0.1:8000/publications/sahel/")
    assert client.get(edition["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert data["citation"]["title"] == "Sahel report"
    assert data["citation"]["number"] == "493"
    # ISO 8601 with the zone (to the millisecond).
    published = datetime.fromisoformat(data["published_at"])
    assert published.utcoffset() is not None
    assert abs(published - article.published_at) < timedelta(milliseconds=1)


def test_author_editable_fields_come_out_as_json_data(client):
    hostile = '<script>alert(1)</script>"&'
    make_article(
        hostile, slug="hostile", summary=hostile,
        authors=[make_author(hostile, slug="hostile-author", role=hostile)],
    )  # fmt: skip
    for url in ["/api/v1/publications/", "/api/v1/publications/hostile", "/api/v1/authors/"]:
        response = client.get(url)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert hostile in str(response.json())
    detail = client.get("/api/v1/publications/hostile").json()
    assert detail["title"] == detail["summary"] == hostile
    assert detail["authors"][0]["name"] == hostile


def test_authors_list_and_detail(client):
    ada = make_author("Ada", slug="ada", bio="Ada studies peace.")
    make_article(authors=[ada])
    make_article(authors=[ada])
    [listed] = client.get("/api/v1/authors/").json()["results"]
    assert listed["slug"] == "ada"
    data = client.get("/api/v1/authors/ada").json()
    assert data["bio"] == "Ada studies peace."
    assert data["url"] == "http://127.0.0.1:8000/people/ada/"
    publications = data["publications"].removeprefix("http://127.0.0.1:8000")
    assert len(slugs(client.get(publications))) == 2


def test_regions_come_with_their_tree(client):
    make_article(regions=["Mali"])
    regions = {r["slug"]: r for r in client.get("/api/v1/regions/").json()}
    assert regions["mali"]["parent"] == "africa"
    assert regions["mali"]["kind"] == "country"
    assert "mali" in regions["sahel"]["members"]
    # Members with nothing published are left out, like their pages.
    assert "niger" not in regions["sahel"]["members"] and "niger" not in regions


def test_topics_types_and_series_link_to_their_publications(client):
    make_article(topics=["Global Policy"], type_name="Special Report", series=make_series(),
                 series_number=1)  # fmt: skip
    [topic] = client.get("/api/v1/topics/").json()
    assert topic["publications"] == "http://127.0.0.1:8000/api/v1/publications/?topic=global-policy"
    [kind] = client.get("/api/v1/types/").json()
    assert (kind["slug"], kind["plural"], kind["is_report"]) == (
        "special-report", "Special Reports", True
    )  # fmt: skip
    [series] = client.get("/api/v1/series/").json()
    assert (series["slug"], series["prefix"], series["type"]) == (
        "special-reports", "SR", "special-report"
    )  # fmt: skip


def test_an_unchanged_answer_is_a_304(client):
    make_article(slug="one")
    for url in ["/api/v1/publications/", "/api/v1/publications/one", "/api/v1/topics/"]:
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again["Access-Control-Allow-Origin"] == "*"
    detail = client.get("/api/v1/publications/one")
    since = client.get(
        "/api/v1/publications/one", headers={"If-Modified-Since": detail["Last-Modified"]}
    )
    assert since.status_code == 304


def test_any_origin_may_read_without_credentials(client):
    make_article()
    response = client.get("/api/v1/publications/", headers={"Origin": "https://partner.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/publications/",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    # Reading only: other methods are refused, and pages get no CORS headers.
    assert client.post("/api/v1/publications/").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/publications/")


def test_api_answers_are_cached_and_dropped_on_a_change_like_pages(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-{uuid.uuid4().hex}",
        }
    }
    article = make_article("Before", slug="one")
    client.get("/api/v1/publications/one")  # makes the generation
    stored = client.get("/api/v1/publications/one")
    assert stored["Cache-Control"].startswith("public, max-age=60")
    with django_assert_num_queries(0):
        cached = client.get("/api/v1/publications/one", headers={"Origin": "https://a.example"})
    assert cached.json()["title"] == "Before"
    assert cached["Access-Control-Allow-Origin"] == "*"
    article.title = "After"
    article.save()
    assert client.get("/api/v1/publications/one").json()["title"] == "After"


def test_the_schema_and_the_docs_are_served_locally(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/publications/", "/api/v1/publications/{slug}", "/api/v1/authors/",
        "/api/v1/authors/{slug}", "/api/v1/topics/", "/api/v1/regions/", "/api/v1/types/",
        "/api/v1/series/",
    } <= set(schema["paths"])  # fmt: skip
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.text
    assert "https://" not in docs.text  # no CDN
    # The site's CSP (no inline scripts, no other hosts) is kept.
    assert "script-src 'self'" in docs["Content-Security-Policy"]
