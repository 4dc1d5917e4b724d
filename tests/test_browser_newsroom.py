"""The newsroom's whole flow in a real browser, with the workflow buttons: an
author submits, an editor returns it with a note, the author fixes it and
submits again, the editor shares it with an outside reviewer and schedules
it; it goes live on time and its old slug redirects. axe-core finds nothing
at all on the article form, the dashboard and the article list.

The fixtures `browser`, `page`, `roles` and `seeded_vocabularies` are in tests/conftest.py.
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    ConsoleLog,
    assert_no_violations,
    choose_in_autocomplete,
    log_in,
    make_author,
    make_staff,
    open_page,
    press_button,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "Mediators Return to Juba as the Ceasefire Frays"
SLUG = "mediators-return-to-juba-as-the-ceasefire-frays"
NEW_SLUG = "mediators-return-to-juba"
NOTE = "Please shorten the summary: one sentence."
TIMEOUT = 10_000
# How far ahead the editor schedules: enough for the steps in between.
LEAD_SECONDS = 40


@pytest.fixture(autouse=True)
def patient_expect():
    """Admin pages load many scripts: wait up to TIMEOUT for what a step shows."""
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def desk(seeded_vocabularies, roles):
    """An author and an editor who can log in, and two people for the byline."""
    make_author("Akol Deng", slug="akol-deng")
    make_author("Grace Lado", slug="grace-lado")
    return {"author": make_staff("amina", "Authors"), "editor": make_staff("eduardo", "Editors")}


def staff_page(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, username)
    return page, ConsoleLog(context)


def test_submit_return_resubmit_share_schedule_go_live_redirect(browser, page, live_server, desk):
    from articles.models import Article

    # The author writes and submits.
    author_log = ConsoleLog(page.context)
    log_in(page, live_server, "amina")
    open_page(page, live_server, "/admin/articles/article/add/")
    page.get_by_label("Title").press_sequentially(TITLE)
    expect(page.get_by_label("Slug")).to_have_value(SLUG)
    choose_in_autocomplete(page, page.locator("#bylines-0"), "Grace", "Grace Lado")
    page.get_by_role("button", name="Add another Author").click()
    choose_in_autocomplete(page, page.locator("#bylines-1"), "Akol", "Akol Deng")
    page.get_by_role("button", name="Move Akol Deng up in the byline").click()
    page.get_by_label("Publication type").select_option(label="Analysis")
    page.get_by_label("Summary").fill(
        "Talks resume in Juba. The ceasefire is fraying in three states. Mediators disagree."
    )
    page.locator(".field-body .ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Mediators from three countries arrived in Juba on Monday.")
    expect(page.locator(".workflow-steps button")).to_have_text(["Save draft", "Submit for review"])
    press_button(page, "Submit for review", f"Submitted “{TITLE}” for review")
    expect(page.locator("#workflow-status")).to_contain_text("In review")
    article = Article.objects.get(slug=SLUG)
    assert [a.name for a in article.ordered_authors] == ["Akol Deng", "Grace Lado"]

    # The editor finds it on the dashboard and returns it with a note.
    desk_page, editor_log = staff_page(browser, live_server, "eduardo")
    waiting = desk_page.get_by_role("region", name="Waiting for review")
    expect(desk_page.locator(".workflow-counts")).to_contain_text("Waiting for review: 1")
    assert_no_violations(desk_page)  # the dashboard
    with desk_page.expect_navigation(wait_until="networkidle"):
        waiting.get_by_role("link", name=TITLE).click()
    assert_no_violations(desk_page)  # the article form, as an editor
    expect(desk_page.locator(".workflow-steps button")).to_have_text(
        ["Save", "Publish now", "Schedule", "Return to author"]
    )
    desk_page.get_by_role("textbox", name="Note").fill(NOTE)
    press_button(desk_page, "Return to author", f"Returned “{TITLE}” to its author")

    # The author reads the note beside the form, fixes the summary, resubmits.
    page.reload(wait_until="networkidle")
    notes = page.get_by_role("region", name="Steps and notes")
    expect(notes).to_contain_text("In review → Draft")
    expect(notes).to_contain_text(NOTE)
    assert_no_violations(page)  # the article form, as an author
    page.get_by_label("Summary").fill("Talks resume in Juba as the ceasefire frays.")
    press_button(page, "Submit for review", "Submitted")

    # The editor makes a share link; a reviewer without an account opens it.
    desk_page.reload(wait_until="networkidle")
    press_button(desk_page, "Make a link", "Share this address with the reviewer")
    message = desk_page.locator(".messagelist .success").inner_text()
    # The message names the public address (SITE_URL); the test serves elsewhere.
    address = live_server.url + re.search(r"http://\S+?(/shared/\S+/)", message).group(1)
    reviewer = browser.new_context(locale="en-US")
    try:
        shared = reviewer.new_page()
        response = shared.goto(address)
        assert response.status == 200
        assert response.headers["cache-control"] == "private, no-store"
        expect(shared.get_by_role("status")).to_contain_text("Draft – not for publication")
        expect(shared.locator("h1")).to_have_text(TITLE)
        expect(shared.locator(".lede")).to_have_text("Talks resume in Juba as the ceasefire frays.")
    finally:
        reviewer.close()

    # The editor schedules it a little ahead.
    desk_page.reload(wait_until="networkidle")
    when = timezone.localtime() + timedelta(seconds=LEAD_SECONDS)
    desk_page.locator("#id_publish_at_0").fill(when.strftime("%Y-%m-%d"))
    desk_page.locator("#id_publish_at_1").fill(when.strftime("%H:%M:%S"))
    press_button(desk_page, "Schedule", f"Scheduled “{TITLE}” for ")
    expect(desk_page.locator("#workflow-status")).to_contain_text("Scheduled for")
    expect(desk_page.locator("#workflow-status")).to_contain_text(when.strftime("%Z"))

    # Readers: nothing yet, then the article, on time and with no save.
    reader = browser.new_context(locale="en-US")
    try:
        reading = reader.new_page()
        assert reading.goto(f"{live_server.url}/publications/{SLUG}/").status == 404
        deadline = time.monotonic() + LEAD_SECONDS + 30
        while reading.goto(f"{live_server.url}/publications/{SLUG}/").status != 200:
            assert time.monotonic() < deadline, "the scheduled article did not go live"
            time.sleep(1)
        assert timezone.now() >= when - timedelta(seconds=1), "it went live early"
        expect(reading.locator("h1")).to_have_text(TITLE)
        # The reviewer's link has ended now the article is public.
        assert reading.goto(address).status == 410

        # The editor changes the slug; the old address still leads to it.
        desk_page.reload(wait_until="networkidle")
        desk_page.get_by_label("Slug").fill(NEW_SLUG)
        press_button(desk_page, "Save", "Saved")
        response = reading.goto(f"{live_server.url}/publications/{SLUG}/")
        assert response.status == 200 and reading.url.endswith(f"/publications/{NEW_SLUG}/")
        assert response.request.redirected_from.response().status == 301
        expect(reading.locator("h1")).to_have_text(TITLE)
    finally:
        reader.close()

    # The list, with the article on it.
    open_page(desk_page, live_server, "/admin/articles/article/")
    expect(desk_page.locator("#result_list")).to_contain_text(TITLE)
    assert_no_violations(desk_page)
    assert author_log.errors() == [], "\n".join(author_log.errors())
    assert editor_log.errors() == [], "\n".join(editor_log.errors())
    desk_page.context.close()
