"""What readers may see: only published articles whose time has come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_article_is_public(client):
    make_article("Out now", slug="out-now")
    assert client.get("/publications/out-now/").status_code == 200
    assert "Out now" in client.get("/publications/").text


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_unpublished_article_is_hidden_everywhere(client, status):
    make_article("Secret plan", slug="secret-plan", status=status)
    assert client.get("/publications/secret-plan/").status_code == 404
    for url in ["/", "/publications/", "/topics/global-policy/", "/types/analysis/"]:
        assert "Secret plan" not in client.get(url).text, url


def test_scheduled_article_is_hidden_until_its_time(client):
    article = make_article(
        "Tomorrow's news",
        slug="tomorrows-news",
        published_at=timezone.now() + timedelta(hours=2),
    )
    assert client.get("/publications/tomorrows-news/").status_code == 404
    assert "Tomorrow" not in client.get("/publications/").text
    assert list(Article.objects.published()) == []

    # No job runs: moving the clock past the time is enough.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/publications/tomorrows-news/").status_code == 200
    assert "Tomorrow" in client.get("/publications/").text


def test_staff_preview_of_a_draft_is_marked_and_not_indexed(admin_client):
    make_article("Draft piece", slug="draft-piece", status=Article.Status.DRAFT)
    response = admin_client.get("/publications/draft-piece/")
    assert response.status_code == 200
    assert "Preview" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_published_status_without_a_date_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_article(published_at=None)


def test_unknown_article_is_404(client):
    assert client.get("/publications/no-such-thing/").status_code == 404
