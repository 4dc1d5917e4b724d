"""“Ready to publish” is one rule: the change form and the bulk publish action agree."""

import pytest

from articles.models import Article
from tests.factories import admin_form_data, make_article, make_author, make_staff

pytestmark = pytest.mark.django_db

# make_article() overrides for each way a draft is not ready to publish, and what is said.
NOT_READY = [
    pytest.param({"summary": ""}, "A summary is needed to publish", id="no summary"),
    pytest.param({"summary": "   \n\t "}, "A summary is needed to publish", id="summary of spaces"),
    pytest.param({"authors": []}, "Add at least one author before publishing", id="no author"),
]


@pytest.fixture
def editor(client):
    client.force_login(make_staff("editor", "Editors"))
    return client


def draft(**overrides):
    fields = {"status": "draft", "published_at": None, "authors": [make_author()], **overrides}
    return make_article("Not quite ready", **fields)


@pytest.mark.parametrize("overrides,reason", NOT_READY)
def test_bulk_publish_refuses_what_the_form_refuses(editor, overrides, reason):
    article = draft(**overrides)
    data = {"action": "publish", "_selected_action": [article.pk]}
    response = editor.post("/admin/articles/article/", data, follow=True)
    assert "Published 0 articles." in response.text
    assert "1 article was not published: “Not quite ready”" in response.text
    assert reason in response.text
    article.refresh_from_db()
    assert article.status == "draft"


@pytest.mark.parametrize("overrides,reason", NOT_READY)
def test_change_form_refuses_publishing_with_the_same_reason(editor, overrides, reason):
    article = draft(**overrides)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = editor.post(url, admin_form_data(editor.get(url), _workflow="publish"))
    assert response.status_code == 200
    assert reason in response.text
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_summary_of_spaces_is_not_published_from_the_list(editor):
    blank = draft(summary="   ")
    ready = draft(summary="What the brief argues.")
    data = {"action": "publish", "_selected_action": [blank.pk, ready.pk]}
    response = editor.post("/admin/articles/article/", data, follow=True)
    assert "Published 1 article." in response.text
    assert Article.objects.get(pk=blank.pk).status == "draft"
    assert Article.objects.get(pk=ready.pk).status == "published"


def test_a_ready_article_publishes_from_the_form_and_from_the_list(editor):
    by_form, by_list = draft(), draft()
    url = f"/admin/articles/article/{by_form.pk}/change/"
    response = editor.post(url, admin_form_data(editor.get(url), _workflow="publish"))
    assert response.status_code == 302
    data = {"action": "publish", "_selected_action": [by_list.pk]}
    editor.post("/admin/articles/article/", data)
    for article in (by_form, by_list):
        article.refresh_from_db()
        assert article.status == "published" and article.published_at is not None
