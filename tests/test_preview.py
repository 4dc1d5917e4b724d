"""Staff preview an unsaved article with the public template; nothing is kept."""

import pytest

from articles.models import Article, Revision
from tests.factories import article_form, change_form, make_article, make_author

pytestmark = pytest.mark.django_db


def test_unsaved_new_article_previews_with_the_public_template(editor_client):
    author = make_author("Kadiatou Keita", role="a USIP expert based in Mali")
    form = article_form(
        title="Not yet saved", body="<h2>A heading</h2><ul><li>Point</li></ul>",
        **{"bylines-0-author": author.pk},
    )  # fmt: skip
    response = editor_client.post("/admin/articles/article/preview/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Not yet saved</h1>" in page
    assert "<h2>A heading</h2>" in page
    assert "Preview" in page and "not public" in page
    assert "is a USIP expert based in Mali." in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not Article.objects.exists()


def test_preview_of_unsaved_changes_leaves_the_article_untouched(editor_client):
    article = make_article("Live title", slug="live", authors=[make_author()])
    form = change_form(article, title="Edited, unsaved title")
    response = editor_client.post(f"/admin/articles/article/{article.pk}/preview/", form)
    assert "Edited, unsaved title" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Live title"
    assert not Revision.objects.exists()
    assert "Live title" in editor_client.get("/publications/live/").text


def test_preview_of_an_invalid_form_lists_the_problems(editor_client):
    response = editor_client.post("/admin/articles/article/preview/", article_form(title=""))
    assert response.status_code == 200
    assert "problems to fix before it can be previewed" in response.text
    assert "This field is required." in response.text


def test_preview_needs_post_and_staff(editor_client, client):
    assert editor_client.get("/admin/articles/article/preview/").status_code == 405
    response = client.post("/admin/articles/article/preview/", article_form())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_author_cannot_preview_changes_to_someone_elses_article(author_client):
    article = make_article(status="draft", authors=[make_author()])
    response = author_client.post(
        f"/admin/articles/article/{article.pk}/preview/", change_form(article)
    )
    assert response.status_code == 403


def test_change_form_offers_preview_and_revisions(editor_client):
    article = make_article()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert f'formaction="/admin/articles/article/{article.pk}/preview/"' in page
    assert f'href="/admin/articles/article/{article.pk}/revisions/"' in page
