"""Searching in a real browser: the header box, highlighted results, a facet, paging.

The fixtures `browser` and `page` are in tests/conftest.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import assert_no_serious_violations, make_article

# The live server reads from another thread: committed data (transactional tests).
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def elections(seeded_vocabularies):
    for i in range(22):
        make_article(
            f"Elections in Mali, part {i}",
            slug=f"mali-elections-{i}",
            regions=["Mali"],
            body="<p>The election was postponed again.</p>",
        )
    make_article(
        "Elections in Niger",
        slug="niger-elections",
        regions=["Niger"],
        type_name="Report",
        body="<p>The electoral calendar slipped.</p>",
    )
    make_article("Floods in Chad", slug="chad-floods", regions=["Chad"])


def test_a_reader_searches_from_the_header_narrows_by_a_facet_and_pages(
    live_server, page, elections
):
    page.goto(live_server.url + "/publications/")
    page.get_by_role("searchbox", name="Search publications").first.fill("election")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=election")
    expect(page.get_by_role("status")).to_contain_text("Showing 1–20 of about 23")
    expect(page.locator(".snippet mark").first).to_have_text(re.compile("^election", re.I))
    expect(page.get_by_text("Floods in Chad")).to_have_count(0)
    assert_no_serious_violations(page)

    page.get_by_role("link", name="Niger", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Showing 1–1 of about 1")
    expect(page.get_by_role("heading", name="Elections in Niger")).to_be_visible()

    page.get_by_role("link", name="Niger", exact=True).click()  # chosen: the link widens again
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("status")).to_contain_text("Showing 21–23 of about 23")
