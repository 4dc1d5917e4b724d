"""The Arabic translation in a real browser: right to left, accessible, and
linked to its original both ways. The fixtures `browser` and `page` are in
tests/conftest.py."""

import pytest
from playwright.sync_api import expect

from tests.factories import assert_no_serious_violations, make_article, make_author

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sahel_group(seeded_vocabularies):
    author = make_author("Kadiatou Keita", role="a USIP security governance expert based in Mali")
    original = make_article(
        "Democracy in the Sahel Depends on Human Security", slug="sahel", authors=[author],
        topics=["Global Policy"], regions=["Mali"],
        body="<p>Mali has had two coups since 2020.</p><ul><li>Protect villages.</li></ul>",
    )  # fmt: skip
    make_article(
        "الديمقراطية في الساحل تتوقف على الأمن الإنساني", slug="sahel-ar", language="ar",
        translation_of=original, authors=[author], topics=["Global Policy"], regions=["Mali"],
        summary="على الشركاء توجيه المساعدات نحو أمن السكان.",
        body="<p>شهدت مالي انقلابين منذ عام 2020.</p><ul><li>حماية القرى.</li></ul>",
    )  # fmt: skip


def test_the_arabic_page_reads_right_to_left_and_links_both_ways(page, live_server, sahel_group):
    page.goto(f"{live_server.url}/publications/sahel-ar/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.querySelector('.body')).direction") == "rtl"
    # Mirrored: lists are indented from the right.
    indent = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.body ul'));"
        " return [s.paddingLeft, s.paddingRight]; })()"
    )
    assert indent[0] == "0px" and indent[1] != "0px", indent
    assert_no_serious_violations(page)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/publications/sahel/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.get_by_role("link", name="العربيّة").click()
    expect(page).to_have_url(f"{live_server.url}/publications/sahel-ar/")
