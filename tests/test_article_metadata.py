"""The article page's OpenGraph, Twitter, JSON-LD and Google Scholar metadata."""

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.conf import settings

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_edition,
    make_photo,
    make_series,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


class MetaTags(HTMLParser):
    """Collects <meta> tags as {property or name: [content, ...]}, unescaped."""

    def __init__(self, html):
        super().__init__()
        self.tags = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.tags.setdefault(key, []).append(attrs.get("content"))


def page(client, slug):
    response = client.get(f"/publications/{slug}/")
    assert response.status_code == 200
    return response.text


def json_ld(html):
    # The Article (or Report); the BreadcrumbList follows it.
    data, _breadcrumbs = JSON_LD.findall(html)
    return json.loads(data)


@pytest.fixture
def article():
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita", role="a USIP expert in Mali")
    abbott = make_author("Amy Abbott", slug="amy-abbott", role="")
    return make_article(
        "Security in the Sahel",
        slug="security-in-the-sahel",
        summary="What the deals mean.",
        authors=[keita, abbott],
        topics=["Global Policy", "Gender"],
        lead_photo=make_photo(alt_text="A market in Bamako", caption="Bamako.", credit="J. Doe"),
        published_at=datetime(2024, 3, 5, 2, 30, tzinfo=UTC),  # March 4 in New York
    )


def test_opengraph_and_twitter_tags(client, article):
    tags = MetaTags(page(client, "security-in-the-sahel")).tags
    url = f"{settings.SITE_URL}/publications/security-in-the-sahel/"
    # The social card: the photo cut to 1.91:1 around its focal point.
    image = settings.SITE_URL + article.lead_photo.social["url"]
    assert image.endswith("-social.jpg")
    assert tags["og:image:width"] == ["640"] and tags["og:image:height"] == ["336"]
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == ["Security in the Sahel"]
    assert tags["og:description"] == ["What the deals mean."]
    assert tags["og:url"] == [url]
    assert tags["og:site_name"] == [settings.SITE_NAME]
    assert tags["og:image"] == [image]
    assert tags["og:image:alt"] == ["A market in Bamako"]
    assert tags["article:published_time"] == ["2024-03-04T21:30:00-05:00"]
    assert tags["article:modified_time"]
    assert sorted(tags["article:tag"]) == ["Gender", "Global Policy"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:image"] == [image]
    assert tags["twitter:image:alt"] == ["A market in Bamako"]
    assert tags["description"] == ["What the deals mean."]


def test_without_photo_the_card_is_a_summary(client):
    make_article("No picture", slug="no-picture")
    tags = MetaTags(page(client, "no-picture")).tags
    assert tags["twitter:card"] == ["summary"]
    assert "og:image" not in tags and "twitter:image" not in tags
    assert "image" not in json_ld(page(client, "no-picture"))


def test_decorative_photo_has_no_alt_tags(client):
    photo = make_photo(alt_text="", is_decorative=True)
    make_article("Decorated", slug="decorated", lead_photo=photo)
    tags = MetaTags(page(client, "decorated")).tags
    assert "og:image" in tags
    assert "og:image:alt" not in tags and "twitter:image:alt" not in tags


def test_google_scholar_tags_in_byline_order(client, article):
    tags = MetaTags(page(client, "security-in-the-sahel")).tags
    assert tags["citation_title"] == ["Security in the Sahel"]
    assert tags["citation_author"] == ["Kadiatou Keita", "Amy Abbott"]
    assert tags["citation_publication_date"] == ["2024/03/04"]
    assert tags["citation_publisher"] == [settings.SITE_NAME]
    assert tags["citation_abstract_html_url"] == [
        f"{settings.SITE_URL}/publications/security-in-the-sahel/"
    ]


def test_json_ld_describes_the_article(client, article):
    data = json_ld(page(client, "security-in-the-sahel"))
    url = f"{settings.SITE_URL}/publications/security-in-the-sahel/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert "reportNumber" not in data
    assert data["headline"] == "Security in the Sahel"
    assert data["description"] == "What the deals mean."
    assert data["url"] == url
    assert data["datePublished"] == "2024-03-04T21:30:00-05:00"
    assert datetime.fromisoformat(data["dateModified"]) == article.updated_at.replace(microsecond=0)
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Kadiatou Keita",
            "url": f"{settings.SITE_URL}/people/kadiatou-keita/",
            "jobTitle": "USIP expert in Mali",
        },
        {"@type": "Person", "name": "Amy Abbott", "url": f"{settings.SITE_URL}/people/amy-abbott/"},
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert data["image"] == {
        "@type": "ImageObject",
        "url": settings.SITE_URL + article.lead_photo.image.url,
        "width": 640,
        "height": 400,
        "caption": "Bamako.",
        "creditText": "J. Doe",
    }
    assert sorted(data["keywords"]) == ["Gender", "Global Policy"]
    assert sorted(t["name"] for t in data["about"]) == ["Gender", "Global Policy"]


def test_report_is_a_schema_org_report_with_its_number(client):
    series = make_series()
    make_article(
        "Special", slug="special", type_name="Special Report", series=series, series_number=493
    )
    html = page(client, "special")
    data = json_ld(html)
    assert data["@type"] == "Report"
    assert data["reportNumber"] == "SR 493"
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Special Reports",
        "url": settings.SITE_URL + "/series/special-reports/",
    }
    tags = MetaTags(html).tags
    assert tags["citation_technical_report_number"] == ["SR 493"]
    assert tags["citation_technical_report_institution"] == [settings.SITE_NAME]


def test_report_without_number_and_an_analysis(client):
    make_article("Plain report", slug="plain-report", type_name="Report")
    html = page(client, "plain-report")
    data = json_ld(html)
    assert data["@type"] == "Report" and "reportNumber" not in data
    assert "citation_technical_report_number" not in MetaTags(html).tags
    make_article("Analysis", slug="analysis")
    html = page(client, "analysis")
    assert json_ld(html)["@type"] == "Article"
    assert "citation_technical_report_institution" not in MetaTags(html).tags


def test_isbn_doi_and_language_are_in_the_metadata(client):
    make_article(
        "Special", slug="special", type_name="Special Report", isbn="9781601275356",
        doi="10.1234/sr.535",
    )  # fmt: skip
    html = page(client, "special")
    tags = MetaTags(html).tags
    assert tags["citation_isbn"] == ["978-1-60127-535-6"]
    assert tags["citation_doi"] == ["10.1234/sr.535"]
    assert tags["citation_language"] == ["en"]
    data = json_ld(html)
    assert data["isbn"] == "978-1-60127-535-6"
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1234/sr.535",
        "url": "https://doi.org/10.1234/sr.535",
    }


def test_pdf_editions_are_in_the_metadata(client):
    article = make_article("Special", slug="special", type_name="Special Report")
    full = make_edition(article, pdf_bytes(pages=3))
    summary = make_edition(article, pdf_bytes(pages=1), kind="summary", position=1)
    french = make_edition(article, kind="translation", language="fr", title="Spécial", position=2)
    html = page(client, "special")

    full_url = settings.SITE_URL + full.get_absolute_url()
    assert MetaTags(html).tags["citation_pdf_url"] == [full_url]
    data = json_ld(html)
    assert [m["contentUrl"] for m in data["encoding"]] == [
        full_url,
        settings.SITE_URL + french.get_absolute_url(),
    ]
    assert data["encoding"][0]["encodingFormat"] == "application/pdf"
    assert data["encoding"][1]["inLanguage"] == "fr"
    [media] = data["associatedMedia"]
    assert media["contentUrl"] == settings.SITE_URL + summary.get_absolute_url()
    assert media["name"] == "Special (Summary)"
    assert media["contentSize"].endswith(("KB", "bytes"))


def test_a_summary_alone_gives_no_citation_pdf_url(client):
    article = make_article("Special", slug="special", type_name="Special Report")
    make_edition(article, kind="summary")
    assert "citation_pdf_url" not in MetaTags(page(client, "special")).tags


def test_title_cannot_break_out_of_the_script_or_attributes(client):
    title = 'Quotes " and </script><script>alert(1)</script>'
    summary = "Ends with </script> & a quote \" and 'another'"
    make_article(title, slug="hostile", summary=summary, authors=[make_author(title)])
    html = page(client, "hostile")
    assert "</script><script>" not in html
    assert "<script>alert(1)" not in html
    data = json_ld(html)
    assert data["headline"] == title
    assert data["description"] == summary
    assert data["author"][0]["name"] == title
    tags = MetaTags(html).tags
    assert tags["og:title"] == [title]
    assert tags["twitter:title"] == [title]
    assert tags["citation_title"] == [title]
    assert tags["citation_author"] == [title]
    assert tags["og:description"] == [summary]


def test_staff_preview_of_an_undated_draft_renders(admin_client):
    make_article("Draft", slug="draft", status=Article.Status.DRAFT, published_at=None)
    response = admin_client.get("/publications/draft/")
    assert response.status_code == 200
    tags = MetaTags(response.text).tags
    assert "article:published_time" not in tags
    assert "citation_publication_date" not in tags
    assert "datePublished" not in json_ld(response.text)
