"""The policy brief page: what a reader sees on it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


def test_page_shows_the_seed_structure(client):
    keita = make_author(
        "Kadiatou Keita", slug="keita", role="a USIP security governance expert based in Mali"
    )
    photo = make_photo(
        caption="Troops patrol near Ménaka.", credit="Finbarr O'Reilly/The New York Times"
    )
    make_article(
        "Coups and the Sahel",
        slug="coups",
        authors=[keita],
        lead_photo=photo,
        topics=["Democracy & Governance"],
        regions=["Mali", "Sahel"],
        published_at=datetime(2024, 11, 22, 10, tzinfo=NY),
        body="<p>Intro.</p><h2>The Urgent Case of Mali</h2><ul><li>One</li></ul>",
    )
    page = client.get("/publications/coups/").text
    assert '<a href="/types/analysis/">Analysis</a>' in page
    assert "<h1>Coups and the Sahel</h1>" in page
    assert "Friday, November 22, 2024" in page
    assert '<a href="/people/keita/">Kadiatou Keita</a>' in page
    assert "<figure" in page and "Troops patrol near Ménaka." in page
    assert "(Finbarr O&#x27;Reilly/The New York Times)" in page
    assert "<h2>The Urgent Case of Mali</h2>" in page
    assert "is a USIP security governance expert based in Mali." in page
    assert 'href="/topics/democracy-governance/"' in page
    assert 'href="/regions/mali/"' in page and 'href="/regions/sahel/"' in page
    assert "1 min read" in page
    assert 'media="print"' in page


def test_lead_photo_is_responsive_with_webp_and_jpeg(client):
    make_article(slug="pic", lead_photo=make_photo())
    page = client.get("/publications/pic/").text
    assert '<source type="image/webp" srcset="/media/renditions/' in page
    assert '<source type="image/jpeg" srcset="/media/renditions/' in page
    assert 'width="640" height="400"' in page


def test_related_ranked_by_shared_tags_never_itself_never_unpublished(client):
    make_article("Main", slug="main", topics=["Gender", "Youth"], regions=["Mali"])
    make_article("Shares three", topics=["Gender", "Youth"], regions=["Mali"])
    make_article("Shares one, newer", topics=["Youth"])
    make_article(
        "Shares one, older", topics=["Gender"], published_at=timezone.now() - timedelta(days=30)
    )
    make_article("Shares none", topics=["Religion"])
    make_article("Draft sharing all", topics=["Gender", "Youth"], status=Article.Status.DRAFT)
    response = client.get("/publications/main/")
    related = [a.title for a in response.context["related"]]
    assert related == ["Shares three", "Shares one, newer", "Shares one, older"]


def test_latest_publications_lists_others_newest_first(client):
    make_article("Older", published_at=timezone.now() - timedelta(days=2))
    make_article("This one", slug="this-one")
    make_article("Newest", published_at=timezone.now() - timedelta(minutes=1))
    page = client.get("/publications/this-one/").text
    latest = page.split("Latest Publications")[1]
    assert latest.index("Newest") < latest.index("Older")
    assert "This one" not in latest
    assert "View All Publications" in latest


def test_scheduled_article_preview_says_when_it_goes_live(admin_client):
    make_article(
        "Coming soon",
        slug="soon",
        published_at=datetime(2031, 1, 6, 9, 30, tzinfo=NY),
    )
    page = admin_client.get("/publications/soon/").text
    assert "goes live on Monday, January 6, 2031 at 9:30 AM" in page


def test_article_without_tags_has_no_related_section(client):
    make_article("Untagged", slug="untagged")
    make_article("Other", topics=["Gender"])
    response = client.get("/publications/untagged/")
    assert response.context["related"] == []
    assert "Related Publications" not in response.text
