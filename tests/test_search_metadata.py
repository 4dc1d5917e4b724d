"""What search engines and sharing cards read: canonical, robots, titles,
descriptions, OpenGraph/Twitter and JSON-LD, on every kind of public page."""

import pytest
from django.conf import settings

from tests.factories import PageHead, make_article, make_author

pytestmark = pytest.mark.django_db

LISTS = ["/publications/", "/topics/youth/", "/regions/mali/", "/types/analysis/"]
LONG_TITLE = (
    "A Very Long Title About the Negotiations Between the Parties in the Sahel "
    "and What They Mean for Elections Across the Region"
)
LONG_SUMMARY = " ".join(["The transition has stalled and the parties are far apart."] * 6)


@pytest.fixture
def archive():
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita", role="a USIP expert in Mali")
    return [make_article(topics=["Youth"], regions=["Mali"], authors=[keita]) for _ in range(25)]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return PageHead(response.text)


def name_part(title):
    """The <title> before “ · site name”."""
    assert title.endswith(f" · {settings.SITE_NAME}"), title
    return title.removesuffix(f" · {settings.SITE_NAME}")


@pytest.mark.parametrize("url", [*LISTS, "/people/kadiatou-keita/"])
def test_a_second_page_is_canonical_to_itself_titled_as_such_and_indexable(client, archive, url):
    first, second = head(client, url), head(client, url + "?page=2")

    assert first.links["canonical"] == [settings.SITE_URL + url]
    assert second.links["canonical"] == [settings.SITE_URL + url + "?page=2"]
    assert name_part(second.title) == name_part(first.title) + " – page 2"
    assert "robots" not in second.meta


@pytest.mark.parametrize("url", ["/publications/?page=1", "/publications/?utm_source=mail"])
def test_the_first_page_by_any_other_address_is_canonical_to_the_plain_one(client, archive, url):
    page = head(client, url)
    assert page.links["canonical"] == [settings.SITE_URL + "/publications/"]
    assert "robots" not in page.meta


@pytest.mark.parametrize(
    "query", ["q=transition", "topic=youth", "region=mali", "topic=youth&page=2"]
)
def test_filter_and_search_pages_are_noindex_without_a_canonical(client, archive, query):
    page = head(client, "/publications/?" + query)
    assert page.meta["robots"] == ["noindex, follow"]
    assert "canonical" not in page.links


@pytest.mark.parametrize("url", ["/", *LISTS, "/people/kadiatou-keita/"])
def test_listing_pages_carry_sharing_tags(client, archive, url):
    page = head(client, url)
    for key in ("og:title", "og:description", "og:url", "og:image", "og:site_name"):
        assert page.meta.get(key, [""])[0], (url, key)
    assert page.meta["og:type"] == ["website"]
    assert page.meta["twitter:card"] == ["summary"]
    assert page.meta["twitter:title"] == page.meta["og:title"]
    assert page.meta["og:description"] == page.meta["description"]
    assert page.meta["og:image"][0] == settings.SITE_URL + "/static/img/logo.png"


@pytest.mark.parametrize("url", LISTS)
def test_lists_and_landing_pages_are_collection_pages_of_their_items(client, archive, url):
    response = client.get(url)
    page = PageHead(response.text)
    [collection] = page.of_type("CollectionPage")
    assert collection["url"] == settings.SITE_URL + url
    assert collection["name"] == name_part(page.title)
    items = collection["mainEntity"]["itemListElement"]
    assert [item["url"] for item in items] == [
        settings.SITE_URL + a.get_absolute_url() for a in response.context["articles"]
    ]
    assert collection["publisher"]["logo"]["@type"] == "ImageObject"


def test_an_author_page_describes_the_person(client, archive):
    page = head(client, "/people/kadiatou-keita/")
    [profile] = page.of_type("ProfilePage")
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Kadiatou Keita"
    assert person["url"] == settings.SITE_URL + "/people/kadiatou-keita/"
    assert person["description"] == "Kadiatou Keita is a USIP expert in Mali."


def test_an_article_has_breadcrumbs_and_its_publisher_a_logo(client, client_article):
    page = head(client, client_article.get_absolute_url())
    [article] = page.of_type("Article")
    logo = article["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"] == settings.SITE_URL + "/static/img/logo.png"
    assert (logo["width"], logo["height"]) == (512, 512)
    assert client.get("/static/img/logo.png").status_code == 200
    [trail] = page.of_type("BreadcrumbList")
    crumbs = [(item["position"], item["name"], item["item"]) for item in trail["itemListElement"]]
    assert crumbs == [
        (1, settings.SITE_NAME, settings.SITE_URL + "/"),
        (2, "Publications", settings.SITE_URL + "/publications/"),
        (3, "Analysis", settings.SITE_URL + "/types/analysis/"),
        (4, LONG_TITLE, settings.SITE_URL + client_article.get_absolute_url()),
    ]


@pytest.fixture
def client_article():
    author = make_author("Kadiatou Keita", slug="kadiatou-keita", role="x" * 300)
    make_article(
        "Other", topics=["Youth"], regions=["Mali"], authors=[author], summary=LONG_SUMMARY
    )
    return make_article(
        LONG_TITLE,
        slug="long",
        summary=LONG_SUMMARY,
        topics=["Youth"],
        regions=["Mali"],
        authors=[author],
    )


@pytest.mark.parametrize(
    "url",
    [
        "/publications/long/",
        "/topics/youth/",
        "/regions/mali/",
        "/people/kadiatou-keita/",
        "/publications/",
        "/",
    ],
)
def test_titles_and_descriptions_fit_what_search_engines_show(client, client_article, url):
    from publications.models import Region, Topic

    Topic.objects.filter(name="Youth").update(description=LONG_SUMMARY)
    Region.objects.filter(name="Mali").update(description=LONG_SUMMARY)
    page = head(client, url)
    title = page.title if url == "/" else name_part(page.title)
    [description] = page.meta["description"]
    assert 0 < len(title) <= 65, title
    assert 0 < len(description) <= 160, description
    if url == "/publications/long/":
        assert title.endswith("…") and LONG_TITLE.startswith(title[:-1])
        assert description.endswith("…")
