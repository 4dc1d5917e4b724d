"""Editors' bulk actions in the admin: tagging, merging, publishing."""

import pytest

from articles.models import Article
from publications.models import Region, Topic
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def run_action(client, url, action, articles, **extra):
    data = {"action": action, "_selected_action": [a.pk for a in articles], **extra}
    return client.post(url, data, follow=True)


def test_bulk_add_topic_to_selected_articles(editor_client):
    one, two, other = make_article(), make_article(), make_article()
    response = run_action(
        editor_client, "/admin/articles/article/", "add_topic", [one, two], term="global policy"
    )
    assert "Added “Global Policy” to 2 articles." in response.text
    assert one.topics.filter(name="Global Policy").exists()
    assert two.topics.filter(name="Global Policy").exists()
    assert not other.topics.exists()


def test_bulk_add_unknown_region_creates_nothing(editor_client):
    article = make_article()
    response = run_action(
        editor_client, "/admin/articles/article/", "add_region", [article], term="Atlantis"
    )
    assert "There is no region named “Atlantis”" in response.text
    assert not Region.objects.filter(name="Atlantis").exists()
    assert not article.regions.exists()


def test_bulk_add_region(editor_client):
    article = make_article()
    run_action(editor_client, "/admin/articles/article/", "add_region", [article], term="Sahel")
    assert [r.name for r in article.regions.all()] == ["Sahel"]


def test_merge_topics_keeps_every_articles_tagging(editor_client):
    Topic.objects.create(name="Gender Equality", slug="gender-equality")
    only_old = make_article(topics=["Gender Equality"])
    both = make_article(topics=["Gender Equality", "Gender"])
    only_new = make_article(topics=["Gender"])
    old, new = Topic.objects.get(name="Gender Equality"), Topic.objects.get(name="Gender")

    response = run_action(
        editor_client, "/admin/publications/topic/", "merge", [old, new], into="Gender"
    )
    assert "Merged 1 term into “Gender”." in response.text
    assert not Topic.objects.filter(name="Gender Equality").exists()
    for article in (only_old, both, only_new):
        assert [t.name for t in article.topics.all()] == ["Gender"]


def test_merging_a_region_with_countries_is_refused_without_loss(editor_client):
    africa, europe = Region.objects.get(name="Africa"), Region.objects.get(name="Europe")
    response = run_action(
        editor_client, "/admin/publications/region/", "merge", [africa, europe], into="Europe"
    )
    assert response.status_code == 200
    assert "cannot be merged away" in response.text
    assert Region.objects.filter(name="Africa").exists()


def test_topic_list_shows_usage_counts(editor_client):
    make_article(topics=["Youth"])
    make_article(topics=["Youth"])
    response = editor_client.get("/admin/publications/topic/?q=youth")
    assert '<td class="field-article_count">2</td>' in response.text


def test_bulk_publish_refuses_articles_without_summary_or_author(editor_client):
    ready = make_article(status="draft", published_at=None, authors=[make_author()])
    no_author = make_article(status="draft", published_at=None)
    response = run_action(editor_client, "/admin/articles/article/", "publish", [ready, no_author])
    assert "Published 1 article." in response.text
    assert "1 article was not published" in response.text
    ready.refresh_from_db()
    no_author.refresh_from_db()
    assert ready.status == "published" and ready.published_at is not None
    assert no_author.status == "draft"


def test_bulk_unpublish(editor_client, client):
    article = make_article(slug="going-away")
    run_action(editor_client, "/admin/articles/article/", "unpublish", [article])
    article.refresh_from_db()
    assert article.status == "draft"
    assert client.get("/publications/going-away/").status_code == 404


def test_authors_do_not_get_editor_actions(author_client):
    article = make_article(status="draft")
    response = run_action(author_client, "/admin/articles/article/", "publish", [article])
    article.refresh_from_db()
    assert article.status == "draft"
    assert response.status_code == 200
    assert 'value="publish"' not in author_client.get("/admin/articles/article/").text


def test_review_queue_lists_items_in_review_and_scheduled(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    make_article("Waiting piece", status=Article.Status.REVIEW)
    make_article("Later piece", published_at=timezone.now() + timedelta(days=2))
    make_article("Live piece")
    review = editor_client.get("/admin/articles/article/?workflow=review").text
    scheduled = editor_client.get("/admin/articles/article/?workflow=scheduled").text
    assert "Waiting piece" in review and "Live piece" not in review
    assert "Later piece" in scheduled and "Live piece" not in scheduled
