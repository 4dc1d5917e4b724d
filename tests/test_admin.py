"""The admin: who may open it, and writing an article end to end."""

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from tests.factories import article_form, make_article, make_author, make_photo

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/author/",
    "/admin/articles/author/add/",
    "/admin/articles/photo/",
    "/admin/articles/photo/add/",
    "/admin/publications/publicationtype/",
    "/admin/publications/topic/",
    "/admin/publications/region/",
    "/admin/publications/region/add/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_editor_opens_every_admin_page(editor_client, url):
    make_article(authors=[make_author()], lead_photo=make_photo(), topics=["Gender"])
    assert editor_client.get(url).status_code == 200


def test_non_staff_user_cannot_enter_admin(client):
    client.force_login(User.objects.create_user("reader", password="pw-for-tests-1"))
    assert client.get("/admin/articles/article/").status_code == 302


def test_change_pages_open_for_editor(editor_client):
    article = make_article(authors=[make_author()], lead_photo=make_photo())
    for url in [
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/photo/{article.lead_photo.pk}/change/",
        f"/admin/articles/author/{article.ordered_authors[0].pk}/change/",
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_author_search_and_photo_autocomplete(editor_client):
    make_author("Kadiatou Keita")
    make_photo(caption="Troops in Mali")
    response = editor_client.get("/admin/articles/author/?q=keita")
    assert "Kadiatou Keita" in response.text
    response = editor_client.get(
        "/admin/autocomplete/?term=mali&app_label=articles&model_name=article&field_name=lead_photo"
    )
    assert "Troops in Mali" in response.text


def test_editor_writes_an_article_that_appears_once_published(editor_client, client):
    second, first = make_author("Second Writer"), make_author("First Writer")
    photo = make_photo(caption="A market in Gao.", credit="Photo Agency")
    form = article_form(
        lead_photo=photo.pk,
        **{
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-author": second.pk,
            "bylines-0-position": "2",
            "bylines-1-author": first.pk,
            "bylines-1-position": "1",
        },
    )
    response = editor_client.post("/admin/articles/article/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="a-new-brief")
    assert article.ordered_authors == [first, second]
    assert sorted(t.name for t in article.topics.all()) == ["Gender", "Youth"]
    assert [r.name for r in article.regions.all()] == ["Mali"]
    assert "A new brief" not in client.get("/").text
    assert client.get("/publications/a-new-brief/").status_code == 404

    form.update(
        _workflow="publish",
        loaded_version=Article.objects.get(pk=article.pk).version,
        **{
            "bylines-INITIAL_FORMS": "2",
            "bylines-0-id": article.bylines.get(author=second).pk,
            "bylines-0-article": article.pk,
            "bylines-1-id": article.bylines.get(author=first).pk,
            "bylines-1-article": article.pk,
        },
    )
    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get("/publications/a-new-brief/").text
    assert page.index("First Writer") < page.index("Second Writer")
    assert "A market in Gao." in page and "(Photo Agency)" in page
    assert "A new brief" in client.get("/").text


def test_publishing_needs_a_summary_and_an_author(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(_workflow="publish", summary="")
    )
    assert response.status_code == 200
    assert "A summary is needed to publish" in response.text
    assert "Add at least one author before publishing" in response.text
    assert not Article.objects.exists()


def test_duplicate_slug_is_a_form_error(editor_client):
    make_article(slug="a-new-brief")
    response = editor_client.post("/admin/articles/article/add/", article_form())
    assert response.status_code == 200
    assert "Article with this Slug already exists" in response.text


def test_author_can_draft_but_not_publish(author_client, author_user):
    response = author_client.post(
        "/admin/articles/article/add/",
        article_form(_workflow="publish", **{"bylines-0-author": make_author().pk}),
    )
    assert response.status_code == 200
    assert "That step is not open to you" in response.text
    assert not Article.objects.exists()

    response = author_client.post(
        "/admin/articles/article/add/",
        article_form(_workflow="submit", **{"bylines-0-author": make_author().pk}),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="a-new-brief")
    assert article.status == "review" and article.created_by == author_user


def test_author_cannot_edit_others_or_published_work(author_client, author_user):
    someone_elses = make_article(status="draft")
    own_published = make_article(created_by=author_user)
    own_draft = make_article(status="draft", created_by=author_user)
    assert author_client.get(f"/admin/articles/article/{own_draft.pk}/change/").status_code == 200
    for article in (someone_elses, own_published):
        url = f"/admin/articles/article/{article.pk}/change/"
        # The admin shows a read-only view (view permission) and refuses a save.
        assert author_client.post(url, article_form(title="Hijacked")).status_code == 403
        article.refresh_from_db()
        assert article.title != "Hijacked"


def test_editor_can_delete_and_author_cannot_delete_published(author_client, author_user):
    article = make_article(created_by=author_user)
    response = author_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_garbage_in_tag_fields_is_a_form_error_not_a_crash(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(topics=["Gender, Youth"], regions=["x"])
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.text
    assert not Article.objects.exists()


def test_tag_fields_autocomplete_from_the_vocabulary(editor_client):
    url = "/admin/autocomplete/?app_label=articles&model_name=article&field_name="
    regions = editor_client.get(url + "regions&term=Sah").json()["results"]
    assert [r["text"] for r in regions] == ["Sahel"]
    topics = editor_client.get(url + "topics&term=glob").json()["results"]
    assert [t["text"] for t in topics] == ["Global Health", "Global Policy"]
    # The topic field never offers regions, and the other way round.
    assert editor_client.get(url + "topics&term=Sah").json()["results"] == []


def test_article_form_has_the_rich_text_editor_and_admin_csp(editor_client, client):
    response = editor_client.get("/admin/articles/article/add/")
    assert "data-django-prose-editor-configurable" in response.text
    assert "django_prose_editor/editor.js" in response.text
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    public = client.get("/")
    assert "style-src 'self';" in public["Content-Security-Policy"] + ";"
    assert "unsafe-inline" not in public["Content-Security-Policy"]


def test_overlong_title_is_a_form_error(editor_client):
    response = editor_client.post("/admin/articles/article/add/", article_form(title="x" * 201))
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in response.text
    assert not Article.objects.exists()
