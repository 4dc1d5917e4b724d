"""Revisions: every admin save is kept; editors compare and restore; stale saves refused."""

import pytest

from articles.models import Article, Revision
from publications.models import PublicationType, Topic
from tests.factories import make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(make_staff("ed", "Editors"))
    return client


def change_form(article, **overrides):
    """What the change form posts for article, as the browser would send it."""
    bylines = list(article.bylines.order_by("position"))
    data = {
        "title": article.title,
        "slug": article.slug,
        "publication_type": article.publication_type_id,
        "summary": article.summary,
        "body": article.body,
        "lead_photo": article.lead_photo_id or "",
        "topics": [t.pk for t in article.topics.all()],
        "regions": [r.pk for r in article.regions.all()],
        "report_number": article.report_number,
        "status": article.status,
        "published_at_0": "2024-11-21",
        "published_at_1": "10:00:00",
        "loaded_version": article.version,
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    for i, byline in enumerate(bylines):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-author": byline.author_id,
                f"bylines-{i}-position": byline.position,
            }
        )
    data.update(overrides)
    return data


def save(client, article, **overrides):
    return client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, **overrides)
    )


def test_every_admin_save_keeps_a_revision_with_what_changed(editor):
    article = make_article("First title", authors=[make_author()], topics=["Gender"])
    assert save(editor, article).status_code == 302
    article.refresh_from_db()
    assert save(editor, article, title="Second title").status_code == 302
    newest = article.revisions.first()
    assert newest.changed == ["title"]
    assert newest.user.username == "ed"
    assert newest.data["title"] == "Second title"
    assert article.revisions.count() == 2


def test_history_page_compares_two_revisions(editor):
    article = make_article(
        "Old title", body="<p>Kept.</p><p>Old line.</p>", authors=[make_author()]
    )
    save(editor, article)
    article.refresh_from_db()
    save(editor, article, title="New title", body="<p>Kept.</p><p>New line.</p>")
    older, newer = article.revisions.order_by("created_at", "pk")
    url = f"/admin/articles/article/{article.pk}/revisions/"
    assert 'class="revision-compare"' not in editor.get(url).text
    page = editor.get(url, {"a": older.pk, "b": newer.pk}).text
    assert "Old title" in page and "New title" in page
    assert "(changed)" in page
    assert 'class="diff-line diff-removed"' in page and "Old line." in page
    assert 'class="diff-line diff-added"' in page and "New line." in page


def test_restore_brings_back_content_tags_and_byline(editor):
    first, second = make_author("First"), make_author("Second")
    article = make_article("Original", authors=[first, second], topics=["Gender"])
    save(editor, article)
    original = article.revisions.first()
    article.refresh_from_db()
    form = change_form(
        article,
        title="Rewritten",
        topics=[Topic.objects.get(name="Youth").pk],
        **{"bylines-0-position": "5"},  # First now comes after Second
    )
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", form).status_code == 302
    article = Article.objects.for_cards().get(pk=article.pk)
    assert article.title == "Rewritten" and article.ordered_authors == [second, first]

    response = editor.post(f"/admin/articles/article/{article.pk}/revisions/{original.pk}/restore/")
    assert response.status_code == 302
    article = Article.objects.for_cards().get(pk=article.pk)
    assert article.title == "Original"
    assert [t.name for t in article.topics.all()] == ["Gender"]
    assert article.ordered_authors == [first, second]
    assert article.revisions.first().note.startswith("Restored the revision of")


def test_restore_needs_post(editor):
    article = make_article(authors=[make_author()])
    save(editor, article)
    revision = article.revisions.first()
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    assert editor.get(url).status_code == 405


def test_author_cannot_restore_someone_elses_article(client):
    article = make_article(status="draft", authors=[make_author()])
    revision = Revision.objects.create(article=article, data={}, changed=[])
    client.force_login(make_staff("w", "Authors"))
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    assert client.post(url).status_code == 403


def test_unknown_revision_is_404(editor):
    article = make_article()
    url = f"/admin/articles/article/{article.pk}/revisions/"
    assert editor.get(url, {"a": 999, "b": 998}).status_code == 404
    assert editor.post(url + "999/restore/").status_code == 404


def test_stale_save_is_refused_and_loses_nothing(editor):
    article = make_article("Shared piece", authors=[make_author()])
    opened_by_alice = change_form(article)
    opened_by_bob = change_form(article)

    bob = dict(opened_by_bob, title="Bob's title")
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", bob).status_code == 302

    alice = dict(opened_by_alice, summary="Alice's careful new summary.")
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", alice)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    # Alice's work is still in the form she sees; Bob's save stands.
    assert "Alice&#x27;s careful new summary." in response.text
    article.refresh_from_db()
    assert article.title == "Bob's title"
    assert article.summary != "Alice's careful new summary."


def test_fresh_save_after_reload_goes_through(editor):
    article = make_article(authors=[make_author()])
    save(editor, article, title="One")
    article.refresh_from_db()
    assert save(editor, article, title="Two").status_code == 302
    article.refresh_from_db()
    assert article.title == "Two"


def test_type_change_is_named_in_the_history(editor):
    article = make_article(authors=[make_author()])
    save(editor, article)
    article.refresh_from_db()
    report = PublicationType.objects.get(name="Report")
    save(editor, article, publication_type=report.pk)
    assert article.revisions.first().changed == ["publication_type"]
