"""The article form's workflow buttons: each role's steps, crafted POSTs refused,
every step recorded (who, when, from → to, note), review notes beside the form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ReviewNote, State, Transition
from tests.factories import (
    article_form,
    change_form,
    make_article,
    make_author,
    signed_in_client,
)

pytestmark = pytest.mark.django_db

DRAFT = {"status": "draft", "published_at": None}
SCHEDULE = {"publish_at_0": "2037-12-01", "publish_at_1": "15:00"}


def press(client, article, step, **fields):
    """Press a workflow button on the article's change form, following the redirect."""
    return client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, _workflow=step, **fields),
        follow=True,
    )


def draft_of(user, **fields):
    return make_article(
        "Ceasefire Monitoring in Sudan",
        status="draft",
        published_at=None,
        created_by=user,
        authors=[make_author()],
        **fields,
    )


def buttons(page):
    return [
        label
        for label in (
            "Save draft",
            "Save",
            "Submit for review",
            "Publish now",
            "Schedule",
            "Return to author",
            "Unpublish",
        )  # fmt: skip
        if f'value="{STEP_VALUES[label]}"' in page and f">{label}</button>" in page
    ]


STEP_VALUES = {
    "Save draft": "save",
    "Save": "save",
    "Submit for review": "submit",
    "Publish now": "publish",
    "Schedule": "schedule",
    "Return to author": "return",
    "Unpublish": "unpublish",
}


def test_an_author_sees_save_draft_and_submit_only(author_client, author_user):
    article = draft_of(author_user)
    page = author_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert buttons(page) == ["Save draft", "Submit for review"]
    assert "Status: <strong>Draft</strong>" in page
    # Status is no field any more: it is shown, not chosen.
    assert 'name="status"' not in page and 'name="published_at_0"' not in page


def test_an_editor_sees_the_steps_open_from_review(editor_client):
    article = make_article(status="review", published_at=None, authors=[make_author()])
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert buttons(page) == ["Save", "Publish now", "Schedule", "Return to author"]


def test_an_editor_sees_unpublish_on_a_live_article(editor_client):
    article = make_article(authors=[make_author()])
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert buttons(page) == ["Save", "Unpublish"]
    assert "Status: <strong>Published " in page


def test_an_author_saves_a_new_draft_and_stays_on_it(author_client, author_user):
    form = article_form(**{"bylines-0-author": make_author().pk})
    response = author_client.post("/admin/articles/article/add/", form)
    article = Article.objects.get(slug="a-new-brief")
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    page = author_client.get(response["Location"]).text
    assert "Added “A new brief” as a draft." in page
    assert article.state == State.DRAFT and not article.transitions.exists()


def test_an_author_submits_and_the_step_is_recorded(author_client, author_user):
    article = draft_of(author_user)
    page = press(author_client, article, "submit").text
    assert "Submitted “Ceasefire Monitoring in Sudan” for review" in page
    article.refresh_from_db()
    assert article.state == State.REVIEW
    step = article.transitions.get()
    assert (step.user, step.from_state, step.to_state) == (author_user, "draft", "review")
    assert timezone.now() - step.created_at < timedelta(minutes=1)


@pytest.mark.parametrize("step", ["publish", "schedule", "return", "unpublish", "bogus"])
def test_an_author_cannot_take_an_editors_step_by_a_crafted_post(author_client, author_user, step):
    article = draft_of(author_user, summary="Before.")
    response = press(author_client, article, step, summary="After.", **SCHEDULE)
    assert response.status_code == 200
    assert "That step is not open to you from “Draft”" in response.text
    assert "Nothing was saved." in response.text
    article.refresh_from_db()
    assert article.state == State.DRAFT and article.summary == "Before."
    assert not Transition.objects.exists()


def test_a_posted_status_field_is_ignored(author_client, author_user):
    article = draft_of(author_user)
    press(author_client, article, "save", status="published", published_at_0="2020-01-01")
    article.refresh_from_db()
    assert article.status == "draft" and article.published_at is None


def test_an_editor_publishes_now(editor_client, client):
    article = make_article(
        "Ready Piece", slug="ready-piece", status="review", published_at=None,
        authors=[make_author()],
    )  # fmt: skip
    page = press(editor_client, article, "publish").text
    assert "Published “Ready Piece”: it is live at /publications/ready-piece/" in page
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert timezone.now() - article.published_at < timedelta(minutes=1)
    assert client.get("/publications/ready-piece/").status_code == 200
    step = article.transitions.get()
    assert (step.from_state, step.to_state, step.publish_at) == (
        "review", "published", article.published_at,
    )  # fmt: skip


def test_scheduling_names_the_day_and_time_in_the_site_zone(editor_client):
    article = make_article(status="review", published_at=None, authors=[make_author()])
    page = press(editor_client, article, "schedule", **SCHEDULE).text
    assert f"Scheduled “{article}” for Tuesday, December 1, 2037, 3:00 p.m. EST." in page
    assert "Status: <strong>Scheduled for Tuesday, December 1, 2037, 3:00 p.m. EST</strong>" in page
    article.refresh_from_db()
    assert article.state == State.SCHEDULED
    assert article.transitions.get().to_state == "scheduled"


def test_scheduling_without_a_time_is_refused_and_keeps_the_text(editor_client):
    article = make_article(status="review", published_at=None, authors=[make_author()])
    response = press(editor_client, article, "schedule", title="A better title")
    assert "Choose the date and time it goes live." in response.text
    assert 'value="A better title"' in response.text
    article.refresh_from_db()
    assert article.state == State.REVIEW and article.title != "A better title"


def test_scheduling_needs_what_publishing_needs(editor_client):
    article = make_article(status="review", published_at=None, summary="", authors=[make_author()])
    response = press(editor_client, article, "schedule", **SCHEDULE)
    assert "A summary is needed to publish" in response.text
    article.refresh_from_db()
    assert article.state == State.REVIEW


def test_returning_needs_a_note_that_the_history_keeps(editor_client, author_user):
    article = make_article(
        status="review", published_at=None, created_by=author_user, authors=[make_author()]
    )
    refused = press(editor_client, article, "return")
    assert "Say what the author should change." in refused.text
    article.refresh_from_db()
    assert article.state == State.REVIEW

    note = "Please shorten the summary."
    page = press(editor_client, article, "return", step_note=note).text
    assert f"Returned “{article}” to its author with your note." in page
    article.refresh_from_db()
    assert article.state == State.DRAFT
    step = article.transitions.get()
    assert (step.from_state, step.to_state, step.note) == ("review", "draft", note)
    # Beside the form, for the author…
    author_page = press_get(author_user, article)
    assert "In review → Draft" in author_page and note in author_page
    # …and in the history.
    history = editor_client.get(f"/admin/articles/article/{article.pk}/revisions/").text
    assert "In review → Draft" in history and note in history and "editor" in history


def press_get(user, article):
    return signed_in_client(user).get(f"/admin/articles/article/{article.pk}/change/").text


def test_unpublishing_takes_the_article_off_the_site(editor_client, client):
    article = make_article(slug="going-away", authors=[make_author()])
    page = press(editor_client, article, "unpublish").text
    assert "Unpublished “" in page and "readers no longer see it" in page
    assert client.get("/publications/going-away/").status_code == 404
    assert article.transitions.get().to_state == "draft"


@pytest.mark.parametrize(
    "fields,step,state_label",
    [
        pytest.param({}, "submit", "Published", id="submit a live article"),
        pytest.param({}, "publish", "Published", id="publish a live article"),
        pytest.param(DRAFT, "return", "Draft", id="return a draft"),
        pytest.param(DRAFT, "unpublish", "Draft", id="unpublish a draft"),
    ],
)
def test_a_step_not_open_from_the_state_is_refused(editor_client, fields, step, state_label):
    article = make_article(authors=[make_author()], **fields)
    before = article.state
    response = press(editor_client, article, step, step_note="A note.")
    assert f"That step is not open to you from “{state_label}”" in response.text
    article.refresh_from_db()
    assert article.state == before and not article.transitions.exists()


def test_a_note_saved_without_a_step_is_a_dated_review_note(editor_client):
    article = make_article(status="review", published_at=None, authors=[make_author()])
    page = press(editor_client, article, "save", step_note="Check the figures in para 3.").text
    note = ReviewNote.objects.get()
    assert (note.article, note.user.username, note.text) == (
        article, "editor", "Check the figures in para 3.",
    )  # fmt: skip
    assert "Check the figures in para 3." in page
    assert not article.transitions.exists()
    # Dated in the site's zone, named.
    assert " EST · editor" in page


def test_every_bulk_publish_and_unpublish_is_a_recorded_step(editor_client):
    article = make_article(status="review", published_at=None, authors=[make_author()])
    data = {"action": "publish", "_selected_action": [article.pk]}
    editor_client.post("/admin/articles/article/", data)
    editor_client.post("/admin/articles/article/", {**data, "action": "unpublish"})
    steps = list(article.transitions.order_by("created_at", "pk"))
    assert [(s.from_state, s.to_state) for s in steps] == [
        ("review", "published"), ("published", "draft"),
    ]  # fmt: skip
    assert all(s.user.username == "editor" for s in steps)
