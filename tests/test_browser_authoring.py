"""What an author and an editor do in the admin, in a real browser, up to the
article a reader sees: upload a photo, write and tag an article in the
rich-text editor and the autocomplete widgets, send it for review, publish it.

The fixtures `browser`, `page` and `seeded_vocabularies` are in tests/conftest.py.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    ConsoleLog,
    choose_in_autocomplete,
    jpeg_bytes,
    log_in,
    make_author,
    make_staff,
    open_page,
    press_button,
)

# The live server reads the database from another thread, so the data must be
# committed: transactional tests (each ends by emptying the tables).
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "Elections Postponed Again Across the Sahel"
SLUG = "elections-postponed-again-across-the-sahel"
SUMMARY = "Transitional governments keep delaying the vote; what mediators can still do."
INTRO = "Three juntas have pushed back the return to civilian rule."
HEADING = "What the delays mean"
ITEMS = ["Parties remain suspended.", "Regional mediation has lost leverage."]
OUTRO = "The next deadline falls in 2026."
CAPTION = "Voters queue outside a polling station in Bamako."
CREDIT = "Jane Doe/Agency"
ALT = "A long line of voters in front of a school"
TIMEOUT = 10_000


@pytest.fixture(autouse=True)
def patient_expect():
    """Admin pages load many scripts: wait up to TIMEOUT for what a step shows."""
    expect.set_options(timeout=TIMEOUT)
    yield
    expect.set_options(timeout=None)  # back to Playwright's default


@pytest.fixture
def newsroom(seeded_vocabularies, roles):
    """An author and an editor who can log in, and two people to put in a byline.

    Made before the browser opens any page: the live server sees committed rows only.
    """
    return {
        "author": make_staff("amina", "Authors"),
        "editor": make_staff("eduardo", "Editors"),
        "first": make_author("First Writer", slug="first-writer"),
        "second": make_author("Second Writer", slug="second-writer"),
    }


def test_author_writes_editor_publishes_reader_reads(
    browser, page, live_server, newsroom, tmp_path
):
    author_log = ConsoleLog(page.context)

    # 1. The author logs in.
    log_in(page, live_server, "amina")

    # 2. Uploads the lead photo.
    photo_file = tmp_path / "polling-station.jpg"
    photo_file.write_bytes(jpeg_bytes(1200, 800, color=(180, 120, 60)))
    open_page(page, live_server, "/admin/articles/photo/add/")
    page.get_by_role("group", name="Image").locator("input[type=file]").set_input_files(photo_file)
    page.get_by_label("Alt text").fill(ALT)
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Credit").fill(CREDIT)
    press_button(page, "Save", "was added successfully")

    # 3. Writes the article.
    open_page(page, live_server, "/admin/articles/article/add/")
    page.get_by_label("Title:", exact=True).press_sequentially(TITLE)
    expect(page.get_by_label("Slug")).to_have_value(SLUG)
    page.get_by_label("Publication type").select_option(label="Analysis")
    page.get_by_label("Summary").fill(SUMMARY)

    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    menubar = page.locator(".field-body .prose-menubar")
    editor.click()
    page.keyboard.type(INTRO)
    page.keyboard.press("Enter")
    # The block type menu shows the current type ("paragraph"); a click on it
    # opens a picker of headings and paragraph.
    menubar.locator(
        ".prose-menubar__selected", has=page.get_by_role("button", name="paragraph", exact=True)
    ).click()
    menubar.get_by_role("button", name="Heading 2").click()
    page.keyboard.type(HEADING)
    page.keyboard.press("Enter")
    menubar.get_by_role("button", name="unordered list").click()
    page.keyboard.type(ITEMS[0])
    page.keyboard.press("Enter")
    page.keyboard.type(ITEMS[1])
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type(OUTRO)
    expect(editor.locator("h2")).to_have_text(HEADING)
    expect(editor.locator("ul > li")).to_have_text(ITEMS)
    expect(editor.locator(":scope > p")).to_have_text([INTRO, OUTRO])

    # Once its renditions are made, the photo is offered with its thumbnail
    # and credit beside the caption (articles/photo_chooser.js).
    choose_in_autocomplete(page, page.locator(".field-lead_photo"), "polling", CAPTION, exact=False)

    # The byline: Second Writer in the first row, then moved after First Writer.
    choose_in_autocomplete(page, page.locator("#bylines-0"), "Second", "Second Writer")
    page.get_by_role("button", name="Add another Author").click()
    choose_in_autocomplete(page, page.locator("#bylines-1"), "First", "First Writer")
    page.get_by_role("button", name="Move First Writer up in the byline").click()
    expect(page.locator("#id_bylines-1-position")).to_have_value("0")
    expect(page.locator("#id_bylines-0-position")).to_have_value("1")

    topics = page.locator(".field-topics")
    choose_in_autocomplete(page, topics, "Glob", "Global Policy")
    choose_in_autocomplete(page, topics, "Gend", "Gender")
    expect(topics.locator(".select2-selection__choice")).to_have_text(
        [re.compile("Global Policy"), re.compile("Gender")]
    )
    choose_in_autocomplete(page, page.locator(".field-regions"), "Sah", "Sahel")

    # Authors send their work for review; only editors publish.
    steps = page.locator(".workflow-steps button")
    expect(steps).to_have_text(["Save draft", "Submit for review"])
    press_button(page, "Submit for review", f"Submitted “{TITLE}” for review")
    assert author_log.errors() == [], "\n".join(author_log.errors())

    from articles.models import Article

    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.REVIEW
    assert article.published_at is None

    # 4. Not public yet.
    reader = browser.new_context(locale="en-US")
    try:
        anonymous = reader.new_page()
        open_page(anonymous, live_server, f"/publications/{SLUG}/", status=404)
        open_page(anonymous, live_server, "/publications/")
        expect(anonymous.get_by_role("link", name=TITLE)).to_have_count(0)
    finally:
        reader.close()

    # 5. An editor finds it in the review queue and publishes it.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        desk.set_default_timeout(15_000)
        editor_log = ConsoleLog(desk)
        editing = desk.new_page()
        log_in(editing, live_server, "eduardo")
        open_page(editing, live_server, "/admin/articles/article/?workflow=review")
        with editing.expect_navigation(wait_until="networkidle"):
            editing.locator("#result_list").get_by_role("link", name=TITLE).click()
        expect(editing.get_by_label("Title:", exact=True)).to_have_value(TITLE)
        press_button(editing, "Publish now", f"Published “{TITLE}”")
        assert editor_log.errors() == [], "\n".join(editor_log.errors())
    finally:
        desk.close()

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    assert timezone.now() - article.published_at < timedelta(minutes=5)

    # 6. The reader sees what was written.
    reader = browser.new_context(locale="en-US")
    try:
        anonymous = reader.new_page()
        open_page(anonymous, live_server, f"/publications/{SLUG}/")
        expect(anonymous.locator("h1")).to_have_text(TITLE)
        body = anonymous.locator(".publication .body")
        expect(body.locator("h2")).to_have_text(HEADING)
        expect(body.locator("ul li")).to_have_text(ITEMS)
        expect(body.locator(":scope > p")).to_have_text([INTRO, OUTRO])

        figure = anonymous.locator("figure.lead-photo")
        expect(figure.locator("figcaption")).to_have_text(f"{CAPTION} ({CREDIT})")
        image = figure.locator("img")
        expect(image).to_have_attribute("alt", ALT)
        natural_width = image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
        assert natural_width > 0, f"lead image did not load: {image.get_attribute('src')}"

        header = anonymous.locator(".publication-header")
        expect(header.locator(".byline a")).to_have_text(["First Writer", "Second Writer"])
        terms = anonymous.locator(".terms")
        expect(terms.get_by_role("link", name="Gender")).to_have_attribute(
            "href", "/topics/gender/"
        )
        expect(terms.get_by_role("link", name="Global Policy")).to_have_attribute(
            "href", "/topics/global-policy/"
        )
        expect(terms.get_by_role("link", name="Sahel")).to_have_attribute("href", "/regions/sahel/")

        open_page(anonymous, live_server, "/")
        # The only publication with a photo: it leads the home page (nothing is featured).
        lead = anonymous.get_by_role("region", name="Featured")
        expect(lead.get_by_role("link", name=TITLE)).to_have_attribute(
            "href", f"/publications/{SLUG}/"
        )
    finally:
        reader.close()


def test_markdown_shortcuts_and_preview(page, live_server, newsroom):
    """Typed shortcuts make headings and lists; Preview shows the unsaved form."""
    log = ConsoleLog(page.context)
    log_in(page, live_server, "amina")
    open_page(page, live_server, "/admin/articles/article/add/")
    page.get_by_label("Title:", exact=True).press_sequentially(TITLE)
    page.get_by_label("Publication type").select_option(label="Analysis")

    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type(f"## {HEADING}")
    page.keyboard.press("Enter")
    page.keyboard.type(f"- {ITEMS[0]}")
    page.keyboard.press("Enter")
    page.keyboard.type(ITEMS[1])
    expect(editor.locator("h2")).to_have_text(HEADING)
    expect(editor.locator("ul > li")).to_have_text(ITEMS)

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state("networkidle")
    expect(preview.get_by_role("status")).to_contain_text("this draft article is not public")
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.locator(".publication .body h2")).to_have_text(HEADING)
    expect(preview.locator(".publication .body ul li")).to_have_text(ITEMS)
    assert log.errors() == [], "\n".join(log.errors())

    from articles.models import Article

    assert not Article.objects.exists(), "the preview saved the article"
