"""The interface around an article in its own language (locale/, `make messages`):
headings, labels, the navigation and dates in French or Arabic on a
translation's page; the English pages and the admin stay in English."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from articles.models import Article, Edition
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 11, 22, 12, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def group():
    """An English original with French and Arabic translations, each with a
    takeaway, and a related article on the same topic."""
    author = make_author("Kadiatou Keita")
    original = make_article(
        "Sahel", slug="sahel", authors=[author], topics=["Gender"], published_at=WHEN
    )
    for language in ("fr", "ar"):
        make_article(
            f"Sahel ({language})",
            slug=f"sahel-{language}",
            language=language,
            translation_of=original,
            authors=[author],
            topics=["Gender"],
            published_at=WHEN,
            key_takeaways=["…"],
        )
    make_article("Other", slug="other", topics=["Gender"])
    return original


def test_the_french_page_speaks_french_around_the_article(client, group):
    page = client.get("/publications/sahel-fr/").text
    assert '<html lang="fr" dir="ltr">' in page
    for text in [
        '<h2 id="related-heading">Publications associées</h2>',
        "<p>Également disponible en\u00a0:</p>",
        '<h2 id="takeaways-heading">Points clés</h2>',
        '<h2 id="cite-heading">Citer cette publication</h2>',
        '<h2 id="latest-heading">Dernières publications</h2>',
        '<a href="/publications/">Publications</a>',
        '<a href="/topics/">Thèmes</a>',
        '<a href="/regions/">Régions</a>',
        '<button type="submit">Rechercher</button>',
        "Aller au contenu",
        " · Par\n",
        "min de lecture",
        '<h2 class="terms-heading">Thèmes</h2>',
        "publié le 22 novembre 2024,",
        '<time datetime="2024-11-22T12:00:00-05:00">22 novembre 2024</time>',
    ]:
        assert text in page, text
    assert "Related Publications" not in page
    assert "Also available in" not in page


def test_the_arabic_page_speaks_arabic_right_to_left(client, group):
    page = client.get("/publications/sahel-ar/").text
    assert '<html lang="ar" dir="rtl">' in page
    for text in [
        '<h2 id="related-heading">منشورات ذات صلة</h2>',
        "<p>متاح أيضًا باللغات التالية:</p>",
        '<h2 id="takeaways-heading">أبرز الخلاصات</h2>',
        '<h2 id="latest-heading">أحدث المنشورات</h2>',
        '<a href="/publications/">المنشورات</a>',
        '<a href="/topics/">المواضيع</a>',
        '<button type="submit">بحث</button>',
        "بقلم",
        '<time datetime="2024-11-22T12:00:00-05:00">22 نوفمبر، 2024</time>',
    ]:
        assert text in page, text
    assert "Related Publications" not in page
    # The breadcrumbs of its JSON-LD too: Home › المنشورات › its type › it.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    [trail] = [json.loads(b) for b in blocks if json.loads(b)["@type"] == "BreadcrumbList"]
    assert trail["itemListElement"][1]["name"] == "المنشورات"


def test_the_english_pages_stay_english(client, group):
    article = client.get("/publications/sahel/").text
    assert '<html lang="en" dir="ltr">' in article
    for text in [
        '<h2 id="related-heading">Related Publications</h2>',
        "<p>Also available in:</p>",
        '<a href="/topics/">Topics</a>',
        '<button type="submit">Search</button>',
        '<time datetime="2024-11-22T12:00:00-05:00">Friday, November 22, 2024</time>',
        "published Friday, November 22, 2024,",
    ]:
        assert text in article, text
    # The other public pages are in the site's language, whatever the browser asks.
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert '<h2 id="latest-heading">Latest Publications</h2>' in home
    assert "Dernières publications" not in home


def test_the_kinds_of_edition_are_named_in_the_pages_language(group):
    # The download box shows get_kind_display(); its page is in test_article_page.py.
    edition = Edition(article=group, kind=Edition.Kind.FULL, language="fr")
    with translation.override("fr"):
        assert edition.get_kind_display() == "Rapport complet"
    with translation.override("ar"):
        assert edition.get_kind_display() == "التقرير الكامل"
    assert edition.get_kind_display() == "Full report"


def test_the_admin_stays_english_for_an_arabic_article(editor_client, group):
    arabic = Article.objects.get(slug="sahel-ar")
    response = editor_client.get(
        f"/admin/articles/article/{arabic.pk}/change/", HTTP_ACCEPT_LANGUAGE="ar,fr;q=0.8"
    )
    assert response.status_code == 200
    page = response.text
    assert '<html lang="en-us"' in page
    assert "<h1>Change article</h1>" in page and "Log out" in page
    assert "بحث" not in page and "Rechercher" not in page
    assert "منشورات ذات صلة" not in page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_printed_arabic_page_is_mirrored(page, live_server, seeded_vocabularies):
    original = make_article("Sahel", slug="sahel", topics=["Global Policy"])
    make_article(
        "الساحل",
        slug="sahel-ar",
        language="ar",
        translation_of=original,
        topics=["Global Policy"],
        body="<blockquote><p>اقتباس.</p></blockquote><ul><li>حماية القرى.</li></ul>",
    )
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/publications/sahel-ar/")
    sides = page.evaluate(
        """(() => {
          const css = (selector) => getComputedStyle(document.querySelector(selector));
          const quote = css('.body blockquote'), list = css('.body ul');
          const heading = css('.terms-heading');
          return {
            quote: [
              quote.paddingLeft, quote.paddingRight, quote.borderLeftWidth, quote.borderRightWidth
            ],
            list: [list.paddingLeft, list.paddingRight],
            heading: [heading.marginLeft, heading.marginRight],
          };
        })()"""
    )
    # The quote's rule and indent, the list's indent on the right; the gap after
    # "المواضيع" on its left.
    assert sides["quote"][0] == "0px" and sides["quote"][1] != "0px", sides
    assert sides["quote"][2] == "0px" and sides["quote"][3] != "0px", sides
    assert sides["list"][0] == "0px" and sides["list"][1] != "0px", sides
    assert sides["heading"][0] != "0px" and sides["heading"][1] == "0px", sides
