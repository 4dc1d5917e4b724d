"""Revisions: every admin save is kept; editors compare and restore; stale saves refused."""

import pytest

from articles.models import Article, Revision
from publications.models import PublicationType, Topic
from tests.factories import change_form, make_article, make_author

pytestmark = pytest.mark.django_db


def save(client, article, **overrides):
    return client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, **overrides)
    )


def test_every_admin_save_keeps_a_revision_with_what_changed(editor_client):
    article = make_article("First title", authors=[make_author()], topics=["Gender"])
    assert save(editor_client, article).status_code == 302
    article.refresh_from_db()
    assert save(editor_client, article, title="Second title").status_code == 302
    newest = article.revisions.first()
    assert newest.changed == ["title"]
    assert newest.user.username == "editor"
    assert newest.data["title"] == "Second title"
    assert article.revisions.count() == 2


def test_history_page_compares_two_revisions(editor_client):
    article = make_article(
        "Old title", body="<p>Kept.</p><p>Old line.</p>", authors=[make_author()]
    )
    save(editor_client, article)
    article.refresh_from_db()
    save(editor_client, article, title="New title", body="<p>Kept.</p><p>New line.</p>")
    older, newer = article.revisions.order_by("created_at", "pk")
    url = f"/admin/articles/article/{article.pk}/revisions/"
    assert 'class="revision-compare"' not in editor_client.get(url).text
    page = editor_client.get(url, {"a": older.pk, "b": newer.pk}).text
    assert "Old title" in page and "New title" in page
    assert "(changed)" in page
    assert 'class="diff-line diff-changed"' in page
    assert "<del>Old</del>" in page and "<ins>New</ins>" in page


def test_restore_brings_back_content_tags_and_byline(editor_client):
    first, second = make_author("First"), make_author("Second")
    article = make_article("Original", authors=[first, second], topics=["Gender"])
    save(editor_client, article)
    original = article.revisions.first()
    article.refresh_from_db()
    form = change_form(
        article,
        title="Rewritten",
        topics=[Topic.objects.get(name="Youth").pk],
        **{"bylines-0-position": "5"},  # First now comes after Second
    )
    change_url = f"/admin/articles/article/{article.pk}/change/"
    assert editor_client.post(change_url, form).status_code == 302
    article = Article.objects.for_cards().get(pk=article.pk)
    assert article.title == "Rewritten" and article.ordered_authors == [second, first]

    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/revisions/{original.pk}/restore/"
    )
    assert response.status_code == 302
    article = Article.objects.for_cards().get(pk=article.pk)
    assert article.title == "Original"
    assert [t.name for t in article.topics.all()] == ["Gender"]
    assert article.ordered_authors == [first, second]
    assert article.revisions.first().note.startswith("Restored the revision of")


def test_restore_needs_post(editor_client):
    article = make_article(authors=[make_author()])
    save(editor_client, article)
    revision = article.revisions.first()
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    assert editor_client.get(url).status_code == 405


def test_author_cannot_restore_someone_elses_article(author_client):
    article = make_article(status="draft", authors=[make_author()])
    revision = Revision.objects.create(article=article, data={}, changed=[])
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    assert author_client.post(url).status_code == 403


def test_unknown_revision_is_404(editor_client):
    article = make_article()
    url = f"/admin/articles/article/{article.pk}/revisions/"
    assert editor_client.get(url, {"a": 999, "b": 998}).status_code == 404
    assert editor_client.post(url + "999/restore/").status_code == 404


def test_stale_save_is_refused_and_loses_nothing(editor_client):
    article = make_article("Shared piece", authors=[make_author()])
    opened_by_alice = change_form(article)
    opened_by_bob = change_form(article)

    url = f"/admin/articles/article/{article.pk}/change/"
    bob = dict(opened_by_bob, title="Bob's title")
    assert editor_client.post(url, bob).status_code == 302

    alice = dict(opened_by_alice, summary="Alice's careful new summary.")
    response = editor_client.post(url, alice)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    # Alice's work is still in the form she sees; Bob's save stands.
    assert "Alice&#x27;s careful new summary." in response.text
    article.refresh_from_db()
    assert article.title == "Bob's title"
    assert article.summary != "Alice's careful new summary."


def test_fresh_save_after_reload_goes_through(editor_client):
    article = make_article(authors=[make_author()])
    save(editor_client, article, title="One")
    article.refresh_from_db()
    assert save(editor_client, article, title="Two").status_code == 302
    article.refresh_from_db()
    assert article.title == "Two"


def test_type_change_is_named_in_the_history(editor_client):
    article = make_article(authors=[make_author()])
    save(editor_client, article)
    article.refresh_from_db()
    report = PublicationType.objects.get(name="Report")
    save(editor_client, article, publication_type=report.pk)
    assert article.revisions.first().changed == ["publication_type"]
