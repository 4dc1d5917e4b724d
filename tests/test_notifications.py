"""Workflow emails: editors hear of submissions, authors of their items returned,
scheduled or published; sent after the commit, never failing a save; each can
be turned off."""

import logging

import pytest
from django.core import mail

from articles import notifications
from articles.models import NotificationSetting
from tests.factories import (
    change_form,
    make_article,
    make_author,
    make_staff,
    run_with_environment,
    signed_in_client,
)
from usip_cms.text import isolate

pytestmark = pytest.mark.django_db

TITLE = "Mediation Lessons from Mozambique"


@pytest.fixture
def desk(editor_user, author_user):
    """The editor and the author have addresses; a second editor too; a third has none."""
    editor_user.email = "editor@example.org"
    editor_user.save()
    author_user.email = "writer@example.org"
    author_user.save()
    second = make_staff("second", "Editors")
    second.email = "second@example.org"
    second.save()
    make_staff("no-address", "Editors")
    return {"editor": editor_user, "author": author_user, "second": second}


def article_of(author, **fields):
    fields.setdefault("status", "draft")
    fields.setdefault("published_at", None)
    return make_article(TITLE, created_by=author, authors=[make_author()], **fields)


def press(user, article, step, **fields):
    return signed_in_client(user).post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form(article, _workflow=step, **fields),
    )


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_submission_tells_the_editors(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"])
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["author"], article, "submit")
    assert sent_to() == ["editor@example.org", "second@example.org"]
    message = mail.outbox[0]
    assert message.subject == f"[USIP CMS] Waiting for review: {TITLE}"
    assert f"writer submitted “{TITLE}” for review on " in message.body
    assert f"http://testserver/admin/articles/article/{article.pk}/change/" in message.body or (
        f"/admin/articles/article/{article.pk}/change/" in message.body
    )
    assert "/admin/notifications/" in message.body


def test_a_title_that_turns_text_round_cannot_turn_the_email_round(
    desk, django_capture_on_commit_callbacks
):
    # A right-to-left override in the title, left open: isolated (FSI … PDI),
    # it cannot reverse the words after the title, as <bdi> does on the site.
    article = make_article(
        "Report \u202efdp.exe", created_by=desk["author"], authors=[make_author()],
        status="draft", published_at=None,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["author"], article, "submit")
    message = mail.outbox[0]
    assert message.subject == "[USIP CMS] Waiting for review: \u2068Report \u202efdp.exe\u2069"
    assert "submitted “\u2068Report \u202efdp.exe\u2069” for review on " in message.body


def test_a_title_cannot_close_its_isolate_early():
    # A stray PDI would close the isolate before the override; a paragraph
    # separator would end it; an isolate left open is closed.
    assert isolate("Report\u2069\u202efdp.exe") == "\u2068Report\u202efdp.exe\u2069"
    assert isolate("Report\u2029\u202efdp.exe") == "\u2068Report \u202efdp.exe\u2069"
    assert isolate("Report \u2067fdp.exe") == "\u2068Report \u2067fdp.exe\u2069\u2069"
    assert isolate("Report on Mali") == "Report on Mali"


def test_returning_tells_the_author_with_the_note(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["editor"], article, "return", step_note="Please shorten the summary.")
    assert sent_to() == ["writer@example.org"]
    assert mail.outbox[0].subject == f"[USIP CMS] Returned to you: {TITLE}"
    assert "Note from editor:\nPlease shorten the summary." in mail.outbox[0].body


def test_scheduling_tells_the_author_when(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["editor"], article, "schedule", publish_at_0="2037-12-01", publish_at_1="15:00")
    assert sent_to() == ["writer@example.org"]
    assert "it goes live on Tuesday, December 1, 2037, 3:00 p.m. EST." in mail.outbox[0].body


def test_publishing_tells_the_author_where(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"], status="review", slug="mediation-lessons")
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["editor"], article, "publish")
    assert sent_to() == ["writer@example.org"]
    assert mail.outbox[0].subject == f"[USIP CMS] Published: {TITLE}"
    assert "/publications/mediation-lessons/" in mail.outbox[0].body


def test_bulk_publishing_tells_the_author_too(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        signed_in_client(desk["editor"]).post(
            "/admin/articles/article/", {"action": "publish", "_selected_action": [article.pk]}
        )
    assert sent_to() == ["writer@example.org"]


def test_nobody_is_told_of_their_own_step_or_of_a_plain_save(
    desk, django_capture_on_commit_callbacks
):
    own = article_of(desk["editor"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["editor"], own, "publish")
        press(desk["editor"], own, "unpublish")
        press(desk["editor"], own, "save", title="Retitled")
    assert mail.outbox == []


def test_nothing_is_sent_before_the_change_commits(desk, django_capture_on_commit_callbacks):
    article = article_of(desk["author"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        press(desk["author"], article, "submit")
    queued = [c for c in callbacks if getattr(c, "func", None) is notifications.queue]
    assert mail.outbox == [] and len(queued) == 1
    queued[0]()
    assert len(mail.outbox) == 2


def test_a_mail_server_failure_is_logged_and_the_save_stands(
    settings, desk, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.factories.FailingEmailBackend"}}
    article = article_of(desk["author"])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = press(desk["author"], article, "submit")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "review"
    assert f"Workflow email about “{TITLE}”" in caplog.text and "could not be sent" in caplog.text


def test_a_queue_failure_is_logged_and_the_save_stands(
    monkeypatch, desk, django_capture_on_commit_callbacks, caplog
):
    class DownQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("the task queue is down")

    monkeypatch.setattr(notifications, "send_transition_emails", DownQueue())
    article = article_of(desk["author"])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = press(desk["author"], article, "submit")
    assert response.status_code == 302
    assert "could not be queued" in caplog.text
    article.refresh_from_db()
    assert article.status == "review"


def test_a_user_turns_the_emails_off_in_their_profile(desk, django_capture_on_commit_callbacks):
    second = signed_in_client(desk["second"])
    page = second.get("/admin/notifications/").text
    assert "Email me about the workflow" in page and "checked" in page
    response = second.post("/admin/notifications/", {}, follow=True)
    assert "Workflow emails are off." in response.text
    assert NotificationSetting.objects.get(user=desk["second"]).emails is False
    article = article_of(desk["author"])
    with django_capture_on_commit_callbacks(execute=True):
        press(desk["author"], article, "submit")
    assert sent_to() == ["editor@example.org"]


def test_the_profile_page_is_linked_from_every_admin_page(editor_client):
    assert 'href="/admin/notifications/"' in editor_client.get("/admin/").text


@pytest.mark.slow
def test_production_sends_by_smtp_as_the_environment_says():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "m = settings.MAILERS['default']; "
        "print(m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['port'], m['OPTIONS']['use_tls'])"
    )
    done = run_with_environment(
        code, DEBUG="0", SECRET_KEY="x" * 50, EMAIL_HOST="smtp.example.org", EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )  # fmt: skip
    assert done.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "587", "True",
    ], done.stderr  # fmt: skip
    development = run_with_environment(
        code.replace("m['OPTIONS']['host'], m['OPTIONS']['port'], m['OPTIONS']['use_tls']", "''"),
        DEBUG="1",
    )
    assert development.stdout.split() == ["django.core.mail.backends.console.EmailBackend"]
