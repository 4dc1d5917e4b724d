"""Unpublished work does not show through its vocabulary.

A topic, region, publication type or author is public once a published
article uses it; a region also once anything it contains is used (Africa and
the Sahel, for an article tagged Mali). Until then it is in no menu, index or
sitemap, and its page, its feeds and a filter naming it answer 404, the same
as for something that does not exist.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author
from publications.models import PublicationType, Region, Topic
from tests.factories import UNPUBLISHED, make_article, make_author, sitemap_locations

pytestmark = pytest.mark.django_db

# Used by the unpublished article only (Kazakhstan is in Central Asia).
HIDDEN_PAGES = [
    "/topics/youth/",
    "/regions/kazakhstan/",
    "/regions/central-asia/",
    "/types/special-report/",
    "/people/secret-person/",
]
# Used by the published article, tagged Mali (in Africa and the Sahel).
PUBLIC_PAGES = [
    "/topics/global-policy/",
    "/regions/mali/",
    "/regions/africa/",
    "/regions/sahel/",
    "/types/analysis/",
    "/people/public-person/",
]


def make_hidden_article(**fields):
    secret = make_author(
        "Secret Person", slug="secret-person", role="a hidden role", bio="A hidden biography."
    )
    return make_article(
        "Hidden piece",
        authors=[secret],
        topics=["Youth"],
        regions=["Kazakhstan"],
        type_name="Special Report",
        **fields,
    )


@pytest.fixture(params=UNPUBLISHED)
def hidden(request):
    make_article(
        "Public piece",
        authors=[make_author("Public Person", slug="public-person")],
        topics=["Global Policy"],
        regions=["Mali"],
    )
    return make_hidden_article(**request.param)


def test_landing_pages_and_feeds_of_unused_terms_are_404(client, hidden):
    for page in HIDDEN_PAGES:
        for url in [page, f"{page}rss/", f"{page}atom/"]:
            assert client.get(url).status_code == 404, url
    for page in PUBLIC_PAGES:
        for url in [page, f"{page}rss/", f"{page}atom/"]:
            assert client.get(url).status_code == 200, url


def test_a_draft_only_authors_name_role_and_bio_are_not_public(client, hidden):
    page = client.get("/people/secret-person/").text
    assert "Secret Person" not in page
    assert "hidden role" not in page and "hidden biography" not in page


def test_filter_menus_offer_only_public_terms(client, hidden):
    page = client.get("/publications/").text
    for value in ["global-policy", "mali", "africa", "sahel", "analysis"]:
        assert f'<option value="{value}">' in page, value
    for value in ["youth", "kazakhstan", "central-asia", "special-report"]:
        assert f'<option value="{value}"' not in page, value


def test_a_filter_naming_an_unused_term_is_like_an_unknown_one(client, hidden):
    unknown = client.get("/publications/?author=nobody")
    assert unknown.status_code == 404
    for query in ["author=secret-person", "topic=youth", "region=kazakhstan",
                  "region=central-asia", "type=special-report"]:  # fmt: skip
        response = client.get(f"/publications/?{query}")
        assert response.status_code == 404, query
        assert response.content == unknown.content, query
    assert client.get("/publications/?author=public-person").status_code == 200


def test_indexes_list_only_public_terms(client, hidden):
    topics = client.get("/topics/").text
    assert 'href="/topics/global-policy/"' in topics
    assert "/topics/youth/" not in topics and "Youth" not in topics
    regions = client.get("/regions/").text
    for path in ["/regions/africa/", "/regions/mali/", "/regions/sahel/"]:
        assert f'href="{path}"' in regions, path
    for name in ["Kazakhstan", "Central Asia", "Kenya", "Niger"]:
        assert name not in regions, name


def test_region_pages_link_only_to_public_countries(client, hidden):
    africa = client.get("/regions/africa/").text
    assert 'href="/regions/mali/"' in africa
    assert 'href="/regions/kenya/"' not in africa
    sahel = client.get("/regions/sahel/").text
    assert 'href="/regions/mali/"' in sahel and 'href="/regions/niger/"' not in sahel


def test_sitemap_lists_only_public_terms_and_authors(client, hidden):
    locations = sitemap_locations(client)
    for path in PUBLIC_PAGES:
        assert path in locations, path
    for path in HIDDEN_PAGES:
        assert path not in locations, path


def test_a_region_is_public_through_what_it_contains():
    make_article(regions=["Mali"])
    public = set(Region.objects.public().values_list("name", flat=True))
    assert public == {"Mali", "Africa", "Sahel"}
    make_article(regions=["Sahel"])  # a sub-region tagged as a whole makes no country public
    assert set(Region.objects.public().values_list("name", flat=True)) == public


def test_terms_and_authors_become_public_when_a_scheduled_article_goes_live(client):
    article = make_hidden_article(published_at=timezone.now() + timedelta(hours=2))
    assert not Topic.objects.public().filter(name="Youth").exists()
    assert client.get("/topics/youth/").status_code == 404

    # No job runs and nothing is cached: the time coming is enough.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    for page in HIDDEN_PAGES:
        for url in [page, f"{page}rss/", f"{page}atom/"]:
            assert client.get(url).status_code == 200, url
    assert '<option value="youth">' in client.get("/publications/").text
    assert "Youth" in client.get("/topics/").text
    assert "Central Asia" in client.get("/regions/").text
    assert client.get("/publications/?author=secret-person").status_code == 200
    assert set(HIDDEN_PAGES) <= set(sitemap_locations(client))
    assert PublicationType.objects.public().filter(name="Special Report").exists()
    assert Author.objects.public().filter(slug="secret-person").exists()
