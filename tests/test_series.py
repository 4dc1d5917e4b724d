"""Report series: numbers derived from series and number, one per series, a page,
feeds, the sitemap and a filter."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from articles.models import Article
from publications.models import PublicationType
from tests.factories import (
    UNPUBLISHED,
    article_form,
    as_feed_reader_shows,
    change_form,
    make_article,
    make_author,
    make_edition,
    make_series,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def series():
    return make_series(description="Research and recommendations, numbered.")


def numbered(series, number, **fields):
    fields.setdefault("slug", f"sr-{number}")
    return make_article(
        f"Report {number}",
        type_name="Special Report",
        series=series,
        series_number=number,
        **fields,
    )


def report_form(in_series, **overrides):
    special = PublicationType.objects.get(name="Special Report")
    return article_form(**{"publication_type": special.pk, "series": in_series.pk, **overrides})


def test_the_report_number_comes_from_the_series_and_the_number(client, series):
    article = numbered(series, 493)
    assert article.report_number == "SR 493"
    page = client.get("/publications/sr-493/").text
    assert '<a href="/series/special-reports/">Special Reports</a>, SR 493' in page
    # The series' prefix changes every number at once.
    series.prefix = "SPR"
    series.save()
    assert Article.objects.get(pk=article.pk).report_number == "SPR 493"


def test_an_editor_numbers_a_report_in_the_admin(editor_client, series):
    response = editor_client.post(
        "/admin/articles/article/add/", report_form(series, series_number="494")
    )
    assert response.status_code == 302
    assert Article.objects.get(slug="a-new-brief").report_number == "SR 494"


def test_a_number_is_used_once_in_a_series(editor_client, series):
    numbered(series, 493)
    response = editor_client.post(
        "/admin/articles/article/add/", report_form(series, series_number="493")
    )
    assert response.status_code == 200
    assert "Another article already has this number in this series." in response.text
    # The same number in another series is fine.
    other = make_series("Peaceworks", prefix="PW", type_name="Peaceworks")
    peaceworks = PublicationType.objects.get(name="Peaceworks")
    form = report_form(other, series_number="493", publication_type=peaceworks.pk)
    assert editor_client.post("/admin/articles/article/add/", form).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"series_number": ""}, "Give its number in the Special Reports."),
        ({"series": "", "series_number": "12"}, "Choose the series this number belongs to."),
        (
            {"series_number": "12", "publication_type": "analysis"},
            "The Special Reports series holds Special Report publications",
        ),
    ],
)
def test_a_series_and_its_number_go_together(editor_client, series, overrides, message):
    if overrides.get("publication_type") == "analysis":
        overrides["publication_type"] = PublicationType.objects.get(name="Analysis").pk
    response = editor_client.post("/admin/articles/article/add/", report_form(series, **overrides))
    assert response.status_code == 200
    assert message in response.text


def test_the_series_page_lists_its_published_reports(client, series):
    numbered(series, 1)
    numbered(series, 2)
    make_article("Not in the series", slug="other", type_name="Special Report")
    make_article("A draft", slug="draft", status="draft", series=series, series_number=3)

    response = client.get("/series/special-reports/")
    assert response.status_code == 200
    assert "<h1>Special Reports</h1>" in response.text
    assert "Research and recommendations, numbered." in response.text
    assert "Report 1" in response.text and "Report 2" in response.text
    assert "Not in the series" not in response.text and "A draft" not in response.text
    head = response.text.split("</head>")[0]
    assert 'href="/series/special-reports/rss/"' in head
    assert 'href="/series/special-reports/atom/"' in head
    assert client.get("/series/no-such-series/").status_code == 404


def test_the_series_feeds_carry_its_reports_with_their_pdfs(client, series):
    article = numbered(series, 7, key_takeaways=["First point.", "Second <point>."])
    full = make_edition(article)
    make_article("Other", slug="other")

    rss = ET.fromstring(client.get("/series/special-reports/rss/").content)  # noqa: S314
    [item] = rss.findall("channel/item")
    assert item.findtext("title") == "Report 7"
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == settings.SITE_URL + full.get_absolute_url()
    assert enclosure.get("length") == str(full.size) == str(full.file.size)
    assert enclosure.get("type") == "application/pdf"
    # The key takeaways are in the item's description, as text.
    shown = as_feed_reader_shows(client.get("/series/special-reports/rss/").content)
    assert shown["description"][-1].endswith("Key takeaways:\n1. First point.\n2. Second <point>.")
    assert shown["markup"] == []

    atom = ET.fromstring(client.get("/series/special-reports/atom/").content)  # noqa: S314
    [entry] = atom.findall(f"{ATOM}entry")
    [link] = [e for e in entry.findall(f"{ATOM}link") if e.get("rel") == "enclosure"]
    assert link.get("length") == str(full.size)
    assert client.get("/series/no-such-series/rss/").status_code == 404


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_reports_are_in_no_feed_or_sitemap(client, series, state):
    article = numbered(series, 8, **state)
    make_edition(article)
    for url in ("/series/special-reports/rss/", "/feeds/rss/", "/feeds/atom/"):
        body = client.get(url).text
        assert "Report 8" not in body and "/pdf/" not in body
    sitemap = client.get("/sitemap-series.xml").text
    assert "/series/special-reports/" not in sitemap


def test_a_series_with_a_published_report_is_in_the_sitemap(client, series):
    numbered(series, 9)
    index = client.get("/sitemap.xml").text
    assert "/sitemap-series.xml" in index
    assert f"{settings.SITE_URL}/series/special-reports/" in client.get("/sitemap-series.xml").text


def test_the_publications_list_filters_by_series(client, series):
    numbered(series, 10)
    make_article("Not numbered", slug="plain")
    response = client.get("/publications/?series=special-reports")
    assert "Report 10" in response.text and "Not numbered" not in response.text
    assert '<option value="special-reports" selected>Special Reports</option>' in response.text
    assert client.get("/publications/?series=no-such-series").status_code == 404


def test_editors_manage_series_in_the_admin(editor_client, series):
    assert editor_client.get("/admin/publications/series/").status_code == 200
    response = editor_client.post(
        "/admin/publications/series/add/",
        {
            "name": "Peace Briefs",
            "slug": "peace-briefs",
            "prefix": "pb 1",
            "publication_type": PublicationType.objects.get(name="Peace Brief").pk,
        },
    )
    assert response.status_code == 200
    assert "Letters only, starting with a capital" in response.text


def test_restoring_an_old_revision_keeps_the_number(editor_client, series):
    article = numbered(series, 11, authors=[make_author()])
    form = change_form(article, title="Renamed", status="published")
    assert (
        editor_client.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    )
    article.refresh_from_db()
    first = article.revisions.last()
    editor_client.post(f"/admin/articles/article/{article.pk}/revisions/{first.pk}/restore/")
    article.refresh_from_db()
    assert article.report_number == "SR 11"
