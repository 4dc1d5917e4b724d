"""Bulk actions are saves like any other: each article gets a new version and a
revision, so a form opened before the action cannot silently undo it."""

import pytest

from tests.factories import change_form, make_article, make_author

pytestmark = pytest.mark.django_db

ACTIONS = [
    pytest.param("add_topic", {"term": "Youth"}, id="add topic"),
    pytest.param("add_region", {"term": "Sahel"}, id="add region"),
    pytest.param("publish", {}, id="publish"),
    pytest.param("unpublish", {}, id="unpublish"),
]


def article_for(action):
    fields = {"status": "draft", "published_at": None} if action == "publish" else {}
    return make_article("Talks in Jeddah", authors=[make_author()], **fields)


@pytest.mark.parametrize("action,extra", ACTIONS)
def test_a_bulk_action_bumps_the_version_and_records_a_revision(editor_client, action, extra):
    article = article_for(action)
    version = article.version
    data = {"action": action, "_selected_action": [article.pk], **extra}
    editor_client.post("/admin/articles/article/", data)
    article.refresh_from_db()
    assert article.version == version + 1
    revision = article.revisions.first()
    assert revision.user.username == "editor" and "from the list" in revision.note
    assert revision.data["version"] == article.version


@pytest.mark.parametrize("action,extra", ACTIONS)
def test_a_form_opened_before_a_bulk_action_is_refused_on_save(editor_client, action, extra):
    article = article_for(action)
    opened = change_form(article, title="Talks in Jeddah resume")  # the form as it was opened
    data = {"action": action, "_selected_action": [article.pk], **extra}
    editor_client.post("/admin/articles/article/", data)
    after_action = type(article).objects.get(pk=article.pk)

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", opened)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    assert 'value="Talks in Jeddah resume"' in response.text  # the text stays in the form
    article.refresh_from_db()
    assert article.title == "Talks in Jeddah"
    assert (article.status, article.version) == (after_action.status, after_action.version)
    assert list(article.topics.all()) == list(after_action.topics.all())
    assert list(article.regions.all()) == list(after_action.regions.all())


def test_the_topic_added_from_the_list_survives_an_older_form(editor_client):
    article = make_article(authors=[make_author()], topics=["Gender"])
    opened = change_form(article)
    data = {"action": "add_topic", "_selected_action": [article.pk], "term": "Youth"}
    editor_client.post("/admin/articles/article/", data)
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", opened)
    assert sorted(t.name for t in article.topics.all()) == ["Gender", "Youth"]
