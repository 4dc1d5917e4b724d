"""Landing pages for topics, regions, types and authors, and the two indexes."""

import pytest

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_topic_page_lists_its_publications(client):
    make_article("On youth", topics=["Youth"])
    make_article("On gender", topics=["Gender"])
    page = client.get("/topics/youth/").text
    assert "On youth" in page and "On gender" not in page
    assert "<h1>Youth</h1>" in page


def test_region_page_shows_countries_and_includes_their_publications(client):
    make_article("About Mali", regions=["Mali"])
    make_article("About Peru's neighbour", regions=["Colombia"])
    make_article("About Kenya", regions=["Kenya"])
    page = client.get("/regions/africa/").text
    assert "About Mali" in page and "Colombia" not in page
    assert 'href="/regions/mali/"' in page and 'href="/regions/kenya/"' in page


def test_sub_region_page_lists_members_and_their_publications(client):
    make_article("About Niger", regions=["Niger"])
    make_article("About Kenya", regions=["Kenya"])
    make_article("About Mali", regions=["Mali"])
    page = client.get("/regions/sahel/").text
    assert "About Niger" in page and "About Kenya" not in page
    assert 'href="/regions/mali/"' in page


def test_country_page_names_its_region_and_sub_regions(client):
    make_article(regions=["Mali"])
    page = client.get("/regions/mali/").text
    assert 'Part of <a href="/regions/africa/">Africa</a>' in page
    assert 'href="/regions/sahel/">Sahel</a>' in page


def test_type_page(client):
    make_article("A report", type_name="Special Report")
    make_article("An analysis")
    page = client.get("/types/special-report/").text
    assert "Special Reports" in page
    assert "A report" in page and "An analysis" not in page


def test_author_page_shows_the_person_and_their_publications(client):
    keita = make_author(
        "Kadiatou Keita",
        slug="kadiatou-keita",
        role="a USIP security governance expert based in Mali",
        bio="Works on security sector governance in the Sahel.",
    )
    make_article("Her piece", authors=[keita])
    make_article("Her draft", authors=[keita], status=Article.Status.DRAFT)
    make_article("Not hers")
    page = client.get("/people/kadiatou-keita/").text
    assert "<h1>Kadiatou Keita</h1>" in page
    assert "A USIP security governance expert based in Mali" in page
    assert "Works on security sector governance" in page
    assert "Her piece" in page
    assert "Her draft" not in page and "Not hers" not in page


@pytest.mark.parametrize(
    "url", ["/topics/nope/", "/regions/nope/", "/types/nope/", "/people/nope/"]
)
def test_unknown_landing_page_is_404(client, url):
    assert client.get(url).status_code == 404


def test_indexes_list_the_vocabularies(client):
    make_article(topics=["Global Policy"], regions=["Mali"])
    topics = client.get("/topics/").text
    assert 'href="/topics/global-policy/">Global Policy</a>' in topics
    regions = client.get("/regions/").text
    assert 'href="/regions/africa/">Africa</a>' in regions
    assert "Sahel" in regions and "Mali" in regions
