"""The editors' dashboard on the admin's index, and the queue counts in the header."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import State, Transition
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def section(page, heading):
    start = page.index(f">{heading}</h2>")
    end = page.find("</section>", start)
    return page[start:end]


def submitted(title, days_ago, **fields):
    article = make_article(title, status="review", published_at=None, **fields)
    Transition.objects.create(
        article=article, from_state=State.DRAFT, to_state=State.REVIEW,
        created_at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip
    return article


def test_waiting_for_review_oldest_first_with_how_long(editor_client):
    submitted("Newer submission", 1)
    submitted("Older submission", 3)
    waiting = section(editor_client.get("/admin/").text, "Waiting for review")
    assert waiting.index("Older submission") < waiting.index("Newer submission")
    assert "3 days, since" in waiting and "1 day, since" in waiting
    assert " EST" in waiting


def test_scheduled_in_date_order_with_a_warning_for_what_is_not_ready(editor_client):
    now = timezone.now()
    make_article("Due later", published_at=now + timedelta(days=2), authors=[make_author()])
    make_article("Due soon", published_at=now + timedelta(hours=2))  # no author
    make_article("Live already", authors=[make_author()])
    scheduled = section(editor_client.get("/admin/").text, "Scheduled")
    assert scheduled.index("Due soon") < scheduled.index("Due later")
    assert "Live already" not in scheduled
    soon_row = scheduled[scheduled.index("Due soon") : scheduled.index("Due later")]
    assert "Not ready, goes live anyway:" in soon_row
    assert "Add at least one author before publishing." in soon_row


def test_my_drafts_are_mine_only(editor_client, editor_user, author_user):
    make_article("Editor's draft", status="draft", published_at=None, created_by=editor_user)
    make_article("Writer's draft", status="draft", published_at=None, created_by=author_user)
    mine = section(editor_client.get("/admin/").text, "My drafts")
    assert "Editor&#x27;s draft" in mine and "Writer" not in mine


def test_recently_published_newest_first_without_the_trash(editor_client):
    make_article("Older piece", published_at=timezone.now() - timedelta(days=2))
    make_article("Newer piece", published_at=timezone.now() - timedelta(hours=2))
    make_article("Trashed piece", trashed_at=timezone.now())
    recent = section(editor_client.get("/admin/").text, "Recently published")
    assert recent.index("Newer piece") < recent.index("Older piece")
    assert "Trashed piece" not in recent


def test_the_header_counts_each_queue_and_links_to_it(editor_client, editor_user):
    submitted("One", 1)
    submitted("Two", 2)
    make_article("Later", published_at=timezone.now() + timedelta(days=1))
    make_article("Mine", status="draft", published_at=None, created_by=editor_user)
    make_article("Gone", status="review", published_at=None, trashed_at=timezone.now())
    page = editor_client.get("/admin/articles/photo/").text  # any admin page
    assert '<a href="/admin/articles/article/?workflow=review">Waiting for review: 2</a>' in page
    assert '<a href="/admin/articles/article/?workflow=scheduled">Scheduled: 1</a>' in page
    assert '<a href="/admin/articles/article/?workflow=mine">My drafts: 1</a>' in page
    mine = editor_client.get("/admin/articles/article/?workflow=mine").text
    assert ">Mine<" in mine and ">One<" not in mine


def test_the_dashboard_makes_a_fixed_number_of_queries(editor_client, django_assert_num_queries):
    for n in range(3):
        submitted(f"Piece {n}", n)
        make_article(published_at=timezone.now() + timedelta(days=n + 1), authors=[make_author()])
    editor_client.get("/admin/")
    # session; user; whether the user has a confirmed authenticator (the 2FA
    # check of every admin view); permissions; groups' permissions; the
    # header's counts; the panels: waiting for review, scheduled, their bylines
    # and authors, my drafts, recently published; the sidebar's recent actions.
    with django_assert_num_queries(13):
        editor_client.get("/admin/")
