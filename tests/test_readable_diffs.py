"""The revision compare shows the body as readers see it, with the words that
changed marked, and every time in the admin is in the site's zone, named."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from articles import revisions
from tests.factories import change_form, make_article, make_author

pytestmark = pytest.mark.django_db

OLD = "<p>The talks <strong>resumed</strong> in Jeddah.</p><ul><li>Ceasefire holds.</li></ul>"
NEW = (
    "<h2>Where things stand</h2><p>The talks resumed in Doha.</p>"
    "<ul><li>Ceasefire holds.</li><li>Aid flows.</li></ul>"
)


def compared(editor_client, old_body, new_body):
    article = make_article("Talks", body=old_body, authors=[make_author()])
    revisions.record(article, None)
    article.refresh_from_db()
    editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, body=new_body)
    )
    older, newer = article.revisions.order_by("created_at", "pk")
    url = f"/admin/articles/article/{article.pk}/revisions/"
    page = editor_client.get(url, {"a": older.pk, "b": newer.pk}).text
    return page[page.index('class="body-diff"') : page.index("<h2>History</h2>")]


def test_the_body_is_compared_as_text_with_words_marked(editor_client):
    diff = compared(editor_client, OLD, NEW)
    assert "<del>Jeddah.</del>" in diff and "<ins>Doha.</ins>" in diff
    assert "The talks resumed in" in diff  # the markup around “resumed” is not a change
    assert "Heading: Where things stand" in diff
    assert 'diff-added">' in diff and "Aid flows." in diff
    # No markup of the body is shown as text.
    for markup in ("&lt;p&gt;", "&lt;strong&gt;", "&lt;li&gt;", "&lt;h2&gt;"):
        assert markup not in diff


def test_markup_typed_as_text_in_the_body_stays_text(editor_client):
    diff = compared(editor_client, "<p>Before.</p>", "<p>Use &lt;b&gt; for bold.</p>")
    assert "&lt;b&gt;" in diff and "<b>" not in diff


def test_blocks_are_the_text_readers_see():
    assert revisions.blocks(NEW) == [
        "Heading: Where things stand", "The talks resumed in Doha.", "Ceasefire holds.",
        "Aid flows.",
    ]  # fmt: skip


def test_times_in_the_history_are_in_the_site_zone_and_named(editor_client):
    article = make_article(authors=[make_author()])
    revision = revisions.record(article, None)
    moment = datetime(2026, 7, 4, 16, 30, tzinfo=ZoneInfo("UTC"))
    type(revision).objects.filter(pk=revision.pk).update(created_at=moment)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/revisions/").text
    assert "July 4, 2026, 12:30 p.m. EDT" in page


def test_the_article_list_names_the_zone_of_its_dates(editor_client):
    make_article(published_at=datetime(2026, 1, 15, 20, 0, tzinfo=ZoneInfo("UTC")))
    page = editor_client.get("/admin/articles/article/").text
    assert "Jan. 15, 2026, 3:00 p.m. EST" in page


def test_the_restore_message_and_note_name_the_zone(editor_client):
    article = make_article("Original", authors=[make_author()])
    revision = revisions.record(article, None)
    moment = datetime(2026, 1, 15, 20, 0, tzinfo=ZoneInfo("UTC"))
    type(revision).objects.filter(pk=revision.pk).update(created_at=moment)
    url = f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/"
    page = editor_client.post(url, follow=True).text
    assert "Restored the revision of Jan. 15, 2026, 3:00 p.m. EST." in page
    assert article.revisions.first().note == "Restored the revision of Jan. 15, 2026, 3:00 p.m. EST"


def test_the_admins_own_change_history_names_the_zone(editor_client, editor_user):
    article = make_article(authors=[make_author()])
    entry = LogEntry.objects.log_actions(
        user_id=editor_user.pk, queryset=[article], action_flag=CHANGE,
        change_message="Edited.", single_object=True,
    )  # fmt: skip
    moment = datetime(2026, 1, 15, 20, 0, tzinfo=ZoneInfo("UTC"))
    LogEntry.objects.filter(pk=entry.pk).update(action_time=moment)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/").text
    assert "Jan. 15, 2026, 3:00 p.m. EST" in page
