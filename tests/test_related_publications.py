"""Related publications: shared regions, with the region tree, then topics and type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def related(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return [a.title for a in response.context["related"]]


def ago(days):
    return timezone.now() - timedelta(days=days)


def test_a_piece_on_a_sahel_neighbour_outranks_one_sharing_only_a_topic(client):
    mali = make_article("On Mali", regions=["Mali"], topics=["Youth"], published_at=ago(30))
    make_article("Youth in Kenya", regions=["Kenya"], topics=["Youth"], published_at=ago(1))
    make_article("Niger's border", regions=["Niger"], published_at=ago(20))
    make_article("Burkina Faso's towns", regions=["Burkina Faso"], published_at=ago(25))

    assert related(client, mali) == ["Niger's border", "Burkina Faso's towns", "Youth in Kenya"]


def test_the_same_country_outranks_a_neighbour(client):
    mali = make_article("On Mali", regions=["Mali"], published_at=ago(30))
    make_article("Niger", regions=["Niger"], published_at=ago(1))
    make_article("Also Mali", regions=["Mali"], published_at=ago(10))
    make_article("Chad", regions=["Chad"], published_at=ago(2))

    assert related(client, mali) == ["Also Mali", "Niger", "Chad"]


def test_a_piece_on_the_sub_region_itself_is_a_neighbour_of_its_countries(client):
    niger = make_article("On Niger", regions=["Niger"], published_at=ago(30))
    make_article("The Sahel as a whole", regions=["Sahel"], published_at=ago(5))
    make_article("Kenya", regions=["Kenya"], published_at=ago(1))
    make_article("Colombia", regions=["Colombia"], published_at=ago(1))

    # Kenya shares only the continent (Africa), Colombia nothing.
    assert related(client, niger) == ["The Sahel as a whole"]


def test_a_piece_tagged_with_the_countrys_region_counts_a_little(client):
    kenya = make_article("On Kenya", regions=["Kenya"], topics=["Youth"], published_at=ago(30))
    make_article("Across Africa", regions=["Africa"], published_at=ago(3))
    make_article("Youth anywhere", topics=["Youth"], published_at=ago(2))

    assert related(client, kenya) == ["Youth anywhere", "Across Africa"]


def test_the_same_type_breaks_a_tie(client):
    report = make_article(
        "A report", type_name="Special Report", topics=["Gender"], published_at=ago(30)
    )
    make_article("Newer analysis", topics=["Gender"], published_at=ago(1))
    make_article(
        "Older report", type_name="Special Report", topics=["Gender"], published_at=ago(20)
    )

    assert related(client, report) == ["Older report", "Newer analysis"]


def test_related_items_are_published_only(client):
    from articles.models import Article

    mali = make_article("On Mali", regions=["Mali"])
    make_article("Draft on Mali", regions=["Mali"], status=Article.Status.DRAFT, published_at=None)
    make_article("Niger", regions=["Niger"])

    assert related(client, mali) == ["Niger"]
