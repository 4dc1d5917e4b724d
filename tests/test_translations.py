"""Articles in other languages: a language per article, translation groups,
the links between them on pages, in metadata and in the API."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from tests.factories import get_page, make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    """An English original with a French and an Arabic translation, and a
    German draft translation that must not show."""
    original = make_article("Sahel", slug="sahel", authors=[make_author()])
    french = make_article("Sahel (fr)", slug="sahel-fr", language="fr", translation_of=original)
    arabic = make_article("Sahel (ar)", slug="sahel-ar", language="ar", translation_of=original)
    make_article(
        "Sahel (de)", slug="sahel-de", language="de", translation_of=original, status="draft"
    )
    return original, french, arabic


def test_a_new_article_is_in_the_sites_language():
    assert make_article().language == "en"


def test_the_original_says_also_available_in_each_translation_by_its_own_name(client, group):
    page = client.get("/publications/sahel/").text
    links = page.split('class="translations"')[1].split("</div>")[0]
    assert "Also available in:" in links
    assert '<a href="/publications/sahel-fr/" hreflang="fr" lang="fr"' in links
    assert ">Français</a>" in links and ">العربيّة</a>" in links
    assert "sahel-de" not in page  # a draft translation is not shown


def test_a_translation_links_back_to_the_original_and_its_siblings(client, group):
    page = client.get("/publications/sahel-fr/").text
    links = page.split('class="translations"')[1].split("</div>")[0]
    assert 'href="/publications/sahel/"' in links and ">English</a>" in links
    assert 'href="/publications/sahel-ar/"' in links


def test_a_translation_moved_to_the_trash_leaves_the_originals_cached_page(
    page_cache, client, group
):
    _original, french, _arabic = group
    assert "sahel-fr" in get_page(client, "/publications/sahel/").text
    assert get_page(client, "/publications/sahel/")["X-Cache"] == "HIT"

    french.trashed_at = timezone.now()
    french.save()

    page = get_page(client, "/publications/sahel/").text
    assert "sahel-fr" not in page and "sahel-ar" in page


def test_html_lang_and_direction_follow_the_article(client, group):
    assert '<html lang="en" dir="ltr">' in client.get("/publications/sahel/").text
    assert '<html lang="fr" dir="ltr">' in client.get("/publications/sahel-fr/").text
    assert '<html lang="ar" dir="rtl">' in client.get("/publications/sahel-ar/").text


def test_every_member_lists_the_group_as_hreflang_alternates_with_x_default(client, group):
    for slug in ["sahel", "sahel-fr", "sahel-ar"]:
        head = client.get(f"/publications/{slug}/").text.split("</head>")[0]
        found = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', head)
        assert sorted(found) == sorted(
            [
                ("en", "http://127.0.0.1:8000/publications/sahel/"),
                ("fr", "http://127.0.0.1:8000/publications/sahel-fr/"),
                ("ar", "http://127.0.0.1:8000/publications/sahel-ar/"),
                ("x-default", "http://127.0.0.1:8000/publications/sahel/"),
            ]
        ), slug
    # An article alone in its language has no alternates.
    make_article(slug="alone")
    assert "hreflang" not in client.get("/publications/alone/").text.split("</head>")[0]


def structured(client, slug):
    page = client.get(f"/publications/{slug}/").text
    return json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_json_ld_and_citation_tags_give_the_language_and_the_translations(client, group):
    original = structured(client, "sahel")
    assert original["inLanguage"] == "en"
    assert {w["inLanguage"] for w in original["workTranslation"]} == {"fr", "ar"}
    arabic = structured(client, "sahel-ar")
    assert arabic["inLanguage"] == "ar"
    assert arabic["translationOfWork"]["url"] == "http://127.0.0.1:8000/publications/sahel/"
    page = client.get("/publications/sahel-ar/").text
    assert '<meta name="citation_language" content="ar">' in page


def test_the_api_gives_language_translations_and_filters_by_language(client, group):
    data = client.get("/api/v1/publications/sahel-ar").json()
    assert data["language"] == "ar"
    assert data["translation_of"] == "sahel"
    assert {t["slug"] for t in data["translations"]} == {"sahel", "sahel-fr"}
    original = client.get("/api/v1/publications/sahel").json()
    assert original["translation_of"] is None
    listed = client.get("/api/v1/publications/?language=fr").json()["results"]
    assert [item["slug"] for item in listed] == ["sahel-fr"]
    assert client.get("/api/v1/publications/?language=not a tag").status_code == 400


def test_the_list_page_filters_by_language(client, group):
    make_article("Québec", slug="quebec", language="fr-CA")
    response = client.get("/publications/?language=fr")
    assert {a.slug for a in response.context["articles"]} == {"sahel-fr", "quebec"}


def test_a_translation_of_a_translation_joins_the_originals_group(group):
    original, french, _ = group
    spanish = Article(
        title="Sahel (es)", slug="sahel-es", language="es", translation_of=french,
        publication_type=original.publication_type,
    )  # fmt: skip
    spanish.clean()
    assert spanish.translation_of == original


@pytest.mark.parametrize("problem", ["same language", "itself", "has translations"])
def test_a_group_that_cannot_be_is_refused_with_a_reason(group, problem):
    original, french, _ = group
    if problem == "same language":
        article, target = make_article(slug="other"), original
    elif problem == "itself":
        article, target = make_article(slug="other", language="fr"), None
    else:
        article, target = original, make_article(slug="other", language="es")
    article.translation_of = target or article
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "translation_of" in error.value.message_dict


def test_editors_pick_the_original_with_an_autocomplete(admin_client, group):
    form = admin_client.get(f"/admin/articles/article/{group[1].pk}/change/").text
    assert 'name="translation_of"' in form and "admin-autocomplete" in form
    found = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Sahel", "app_label": "articles", "model_name": "article",
         "field_name": "translation_of"},
    )  # fmt: skip
    assert found.status_code == 200
    assert "Sahel" in {r["text"] for r in found.json()["results"]}


@pytest.mark.slow
def test_the_demo_has_the_sahel_analysis_in_french_and_arabic_once(client):
    from django.core.management import call_command

    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    original = "amid-wave-coups-democracy-sahel-depends-human-security"
    data = client.get(f"/api/v1/publications/{original}").json()
    assert {t["language"] for t in data["translations"]} == {"fr", "ar"}
    arabic = next(t for t in data["translations"] if t["language"] == "ar")
    page = client.get(arabic["url"].removeprefix("http://127.0.0.1:8000")).text
    assert '<html lang="ar" dir="rtl">' in page and "الساحل" in page
    # Loading again creates nothing more, and keeps an editor's change.
    Article.objects.filter(slug=arabic["slug"]).update(title="عنوان معدّل")
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    assert Article.objects.filter(translation_of__slug=original).count() == 2
    assert Article.objects.get(slug=arabic["slug"]).title == "عنوان معدّل"


def test_the_sitemap_lists_each_members_alternates(client, group):
    import xml.etree.ElementTree as ET

    make_article(slug="alone")
    content = client.get("/sitemap-articles.xml").content
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    found = {}
    for url in ET.fromstring(content).findall("s:url", ns):  # noqa: S314 - our own output
        links = url.findall("x:link", ns)
        found[url.findtext("s:loc", namespaces=ns)] = {
            (link.get("hreflang"), link.get("href")) for link in links
        }
    expected = {
        ("en", "http://127.0.0.1:8000/publications/sahel/"),
        ("fr", "http://127.0.0.1:8000/publications/sahel-fr/"),
        ("ar", "http://127.0.0.1:8000/publications/sahel-ar/"),
        ("x-default", "http://127.0.0.1:8000/publications/sahel/"),
    }
    for slug in ["sahel", "sahel-fr", "sahel-ar"]:
        assert found[f"http://127.0.0.1:8000/publications/{slug}/"] == expected, slug
    assert found["http://127.0.0.1:8000/publications/alone/"] == set()


@pytest.mark.parametrize("writer", ["rss", "atom", "json"])
def test_each_language_has_its_feeds(client, group, writer):
    response = client.get(f"/feeds/fr/{writer}/")
    assert response.status_code == 200
    assert b"/publications/sahel-fr/" in response.content
    assert b"/publications/sahel/" not in response.content
    assert b"/publications/sahel-ar/" not in response.content
    # No published article in German (the draft does not count): no feed.
    assert client.get(f"/feeds/de/{writer}/").status_code == 404


def test_dates_on_a_translation_are_written_in_its_language(client, group):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    when = datetime(2024, 11, 22, 12, tzinfo=ZoneInfo("America/New_York"))
    Article.objects.update(published_at=when)
    assert "Friday, November 22, 2024" in client.get("/publications/sahel/").text
    assert "22 novembre 2024" in client.get("/publications/sahel-fr/").text
    assert "نوفمبر" in client.get("/publications/sahel-ar/").text
