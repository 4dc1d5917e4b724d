"""A report in a real browser: the download box and “Cite this” are accessible,
the covers load, and the copy button copies (or selects) the citation."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.factories import (
    assert_no_serious_violations,
    make_article,
    make_author,
    make_edition,
    make_series,
    pdf_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "China’s Global Security Initiative Takes Shape in Southeast and Central Asia"


@pytest.fixture
def report(seeded_vocabularies):
    article = make_article(
        TITLE,
        slug="chinas-gsi",
        type_name="Special Report",
        authors=[make_author("Nadia Sorokina"), make_author("Arun Pillai")],
        series=make_series(),
        series_number=535,
        isbn="9781601275356",
        key_takeaways=["Slogans became institutions.", "Neighbors take practical help."],
        published_at=datetime(2024, 11, 21, 19, tzinfo=UTC),
    )
    make_edition(article, pdf_bytes(pages=3))
    make_edition(article, pdf_bytes(pages=1), kind="summary", position=1)
    return article


def open_report(page, live_server, report):
    response = page.goto(live_server.url + report.get_absolute_url())
    assert response.ok
    page.wait_for_load_state("load")


def test_the_download_box_and_cite_this_pass_axe(page, live_server, report):
    open_report(page, live_server, report)

    downloads = page.get_by_role("region", name="Download")
    expect(downloads.get_by_role("link")).to_have_count(2)
    expect(downloads.get_by_role("link").first).to_contain_text("Full report")
    expect(downloads.get_by_role("link").first).to_contain_text("3 pages")
    covers = downloads.locator("img")
    for i in range(covers.count()):
        width = covers.nth(i).evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
        assert width > 0, "a cover did not load"
    expect(page.get_by_role("region", name="Key Takeaways").locator("li")).to_have_count(2)
    cite = page.get_by_role("region", name="Cite this")
    expect(cite.get_by_role("button", name="Copy the APA 7 citation")).to_be_visible()

    assert_no_serious_violations(page)


def test_the_copy_button_copies_the_citation(page, live_server, report):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_report(page, live_server, report)
    cite = page.get_by_role("region", name="Cite this")

    cite.get_by_role("button", name="Copy the Chicago 17 (notes and bibliography) citation").click()

    expect(
        cite.get_by_role("button", name="Copy the Chicago 17 (notes and bibliography) citation")
    ).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Sorokina, Nadia, and Arun Pillai. China’s Global Security")
    expect(cite.locator(".copy-status")).to_have_text("Citation copied.")


def test_without_scripts_the_citation_is_plain_selectable_text(browser, live_server, report):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        open_report(page, live_server, report)
        cite = page.get_by_role("region", name="Cite this")
        expect(cite.get_by_role("button")).to_have_count(0)
        expect(cite.locator("#cite-apa")).to_contain_text("(Special Report No. 535)")
    finally:
        context.close()
