"""“View All Publications”: newest first, paginated, filtered at stable addresses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def titles(response):
    return [a.title for a in response.context["articles"]]


def test_newest_first_and_paginated_with_counts(client):
    start = datetime(2024, 1, 1, 12, tzinfo=NY)
    for i in range(45):
        make_article(f"Item {i:02d}", published_at=start + timedelta(days=i))
    first = client.get("/publications/")
    assert titles(first)[:2] == ["Item 44", "Item 43"]
    assert "Showing 1–20 of 45" in first.text
    second = client.get("/publications/?page=2")
    assert "Showing 21–40 of 45" in second.text
    assert titles(second)[0] == "Item 24"
    assert 'rel="next" href="?page=3"' in second.text


def test_large_counts_are_written_with_separators(client, monkeypatch):
    make_article()
    from django.core.paginator import Paginator

    monkeypatch.setattr(Paginator, "count", 1012)
    assert "of 1,012" in client.get("/publications/").text


def test_filters_combine(client):
    make_article("Mali governance", topics=["Democracy & Governance"], regions=["Mali"])
    make_article("Mali youth", topics=["Youth"], regions=["Mali"])
    make_article("Kenya governance", topics=["Democracy & Governance"], regions=["Kenya"])
    make_article("Ukraine governance", topics=["Democracy & Governance"], regions=["Ukraine"])
    response = client.get("/publications/?topic=democracy-governance&region=sahel")
    assert titles(response) == ["Mali governance"]
    response = client.get("/publications/?topic=democracy-governance&region=africa")
    assert sorted(titles(response)) == ["Kenya governance", "Mali governance"]


def test_type_author_and_year_filters(client):
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita")
    make_article(
        "Old analysis", authors=[keita], published_at=datetime(2021, 10, 28, 10, tzinfo=NY)
    )
    make_article("New report", type_name="Special Report", authors=[keita])
    make_article("Someone else's")
    assert titles(client.get("/publications/?type=special-report")) == ["New report"]
    assert sorted(titles(client.get("/publications/?author=kadiatou-keita"))) == [
        "New report",
        "Old analysis",
    ]
    assert titles(client.get("/publications/?author=kadiatou-keita&year=2021")) == ["Old analysis"]


def test_words_search_title_and_summary(client):
    make_article("Coups in the Sahel", summary="Military takeovers.")
    make_article("Nuclear energy", summary="A balance between power and proliferation.")
    assert titles(client.get("/publications/?q=sahel")) == ["Coups in the Sahel"]
    assert titles(client.get("/publications/?q=proliferation")) == ["Nuclear energy"]
    assert titles(client.get("/publications/?q=nuclear+balance")) == ["Nuclear energy"]


def test_empty_result_says_so(client):
    make_article()
    response = client.get("/publications/?q=nothing-matches-this")
    assert response.status_code == 200
    assert "No publications match these filters." in response.text


@pytest.mark.parametrize(
    "query",
    ["topic=no-such-topic", "region=atlantis", "type=novel", "author=nobody", "year=abc",
     "page=999", "page=abc", "page=-1"],
)  # fmt: skip
def test_bad_filter_or_page_is_404_not_500(client, query):
    make_article()
    response = client.get(f"/publications/?{query}")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_filtered_pages_are_not_indexed_but_the_plain_list_is(client):
    make_article(topics=["Youth"])
    assert 'content="noindex, follow"' in client.get("/publications/?topic=youth").text
    assert "noindex" not in client.get("/publications/").text


def test_pagination_keeps_the_filters(client):
    for _ in range(25):
        make_article(topics=["Youth"])
    page = client.get("/publications/?topic=youth").text
    assert 'href="?topic=youth&amp;page=2"' in page


def test_filter_menus_show_the_current_choice_and_group_regions(client):
    make_article(regions=["Mali"])
    make_article(regions=["Kazakhstan"])
    page = client.get("/publications/?region=mali&type=analysis").text
    assert '<option value="mali" selected>Mali</option>' in page
    assert '<option value="analysis" selected>Analysis</option>' in page
    assert '<optgroup label="Sub-regions"><option value="central-asia">' in page
    assert '<option value="" >' not in page and '<option value="">All topics</option>' in page


def test_the_year_filter_offers_the_years_that_have_publications(client):
    for year in (2019, 2021, 2024):
        make_article(published_at=datetime(year, 6, 1, 12, tzinfo=NY))
    make_article("Draft of 2016", status="draft", published_at=datetime(2016, 6, 1, tzinfo=NY))

    html = client.get("/publications/?year=2021").text

    menu = html.split('<select name="year" id="id_year">')[1].split("</select>")[0]
    assert menu == (
        '<option value="">All years</option><option value="2024">2024</option>'
        '<option value="2021" selected>2021</option><option value="2019">2019</option>'
    )
    assert client.get("/publications/?year=2016").status_code == 404


def test_the_words_filter_lists_the_newest_matches_within_the_pool(client, monkeypatch):
    # A common word in a large archive costs a bounded pool, not a count of every match.
    monkeypatch.setattr("articles.search.POOL", 3)
    now = timezone.now()
    for day in range(5):
        make_article(f"Ceasefire note {day}", published_at=now - timedelta(days=day + 1))
    make_article("Ceasefire in Mali", topics=["Gender"], published_at=now - timedelta(days=30))

    listed = client.get("/publications/?q=ceasefire").context["articles"]
    assert [a.title for a in listed] == [f"Ceasefire note {day}" for day in range(3)]
    # The other filters narrow the matches first: an older match is still found.
    narrowed = client.get("/publications/?q=ceasefire&topic=gender").context["articles"]
    assert [a.title for a in narrowed] == ["Ceasefire in Mali"]
