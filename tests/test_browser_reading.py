"""What a reader sees in a real browser: the article page, filters, landing pages,
accessibility (axe-core), the print stylesheet and keyboard access.

The fixtures `browser` and `page` are in tests/conftest.py.
"""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.factories import assert_no_serious_violations, make_article, make_author, make_photo

# The live server reads the database from another thread, so the data must be
# committed: transactional tests (each ends by emptying the tables; the data
# fixture seeds the vocabularies again, see tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "Mali's Junta Tightens Its Grip as the Sahel Crisis Deepens"
OTHER_TITLE = "Colombia's Vaccination Drive Reaches Remote Villages"
BODY = """
<p>Three years after the coup, the transition has stalled.</p>
<h2>What changed in 2024</h2>
<ul><li>Elections were postponed.</li><li>Political parties were suspended.</li></ul>
<blockquote><p>We are not consulted on anything.</p></blockquote>
<p>Regional mediation has little leverage left.</p>
"""


@pytest.fixture
def mali_article(seeded_vocabularies):
    authors = [
        make_author("Kadiatou Keita", role="a USIP security governance expert based in Mali"),
        make_author("Joseph Sany", role="the vice president of USIP's Africa Center"),
    ]
    photo = make_photo(
        alt_text="Soldiers walk along a dirt road",
        caption="Troops on patrol near Ménaka.",
        credit="Jane Doe/Agency",
    )
    article = make_article(
        TITLE,
        slug="mali-junta-tightens-its-grip",
        authors=authors,
        topics=["Global Policy", "Democracy & Governance"],
        regions=["Mali"],
        lead_photo=photo,
        body=BODY,
        published_at=datetime(2024, 11, 22, 15, 0, tzinfo=UTC),
    )
    # Unrelated: no shared topic or region, so no filter may let it through.
    make_article(
        OTHER_TITLE,
        slug="colombia-vaccination-drive",
        topics=["Global Health"],
        regions=["Colombia"],
        published_at=datetime(2024, 11, 20, 15, 0, tzinfo=UTC),
    )
    return article


def open_page(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    return response


def card_titles(page):
    return page.locator(".cards .card-title").all_inner_texts()


def test_article_page_shows_the_article(page, live_server, mali_article):
    open_page(page, live_server, mali_article.get_absolute_url())

    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page).to_have_title(re.compile(re.escape(TITLE)))
    header = page.locator(".publication-header")
    expect(header.locator(".kicker")).to_have_text("Analysis")
    expect(header.locator("time")).to_have_text("Friday, November 22, 2024")
    expect(header.locator(".byline a")).to_have_text(["Kadiatou Keita", "Joseph Sany"])

    figure = page.locator("figure.lead-photo")
    expect(figure.locator("img")).to_have_attribute("alt", "Soldiers walk along a dirt road")
    expect(figure.locator("figcaption")).to_have_text(
        "Troops on patrol near Ménaka. (Jane Doe/Agency)"
    )
    # The image was served and decoded, not a broken icon.
    natural_width = figure.locator("img").evaluate(
        "img => img.decode().then(() => img.naturalWidth, () => 0)"
    )
    assert natural_width > 0, (
        f"lead image did not load: {figure.locator('img').get_attribute('src')}"
    )

    body = page.locator(".publication .body")
    expect(body.locator("h2")).to_have_text("What changed in 2024")
    expect(body.locator("ul li")).to_have_count(2)
    expect(body.locator("blockquote")).to_contain_text("We are not consulted on anything.")

    expect(page.locator(".author-lines p")).to_have_text(
        [
            "Kadiatou Keita is a USIP security governance expert based in Mali.",
            "Joseph Sany is the vice president of USIP's Africa Center.",
        ]
    )
    terms = page.locator(".terms")
    expect(terms.get_by_role("link", name="Global Policy")).to_have_attribute(
        "href", "/topics/global-policy/"
    )
    expect(terms.get_by_role("link", name="Democracy & Governance")).to_be_visible()
    expect(terms.get_by_role("link", name="Mali")).to_have_attribute("href", "/regions/mali/")


@pytest.mark.parametrize(
    "query",
    ["topic=global-policy", "region=africa", "region=sahel", "topic=global-policy&year=2024"],
)
def test_filtered_list_shows_only_matching_articles(page, live_server, mali_article, query):
    open_page(page, live_server, f"/publications/?{query}")

    expect(page.locator("h1")).to_have_text("All Publications")
    assert card_titles(page) == [TITLE]


def test_unfiltered_list_shows_both_articles(page, live_server, mali_article):
    open_page(page, live_server, "/publications/")

    assert card_titles(page) == [TITLE, OTHER_TITLE]


def test_filter_form_leads_to_a_shareable_address(page, live_server, mali_article):
    open_page(page, live_server, "/publications/")
    filters = page.get_by_role("form", name="Filter publications")

    filters.get_by_label("Topic").select_option(label="Global Policy")
    filters.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"[?&]topic=global-policy(&|$)"))
    assert card_titles(page) == [TITLE]
    expect(filters.get_by_label("Topic")).to_have_value("global-policy")
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()

    # The address alone, opened afresh, gives the same list.
    shared = page.url
    other = page.context.new_page()
    open_page(other, live_server, shared.removeprefix(live_server.url))
    assert card_titles(other) == [TITLE]

    # By keyboard: choose a region and submit with Enter from the words field.
    filters.get_by_label("Topic").select_option("")
    filters.get_by_label("Region").focus()
    filters.get_by_label("Region").select_option(label="Americas")
    filters.get_by_label("Words").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]region=americas(&|$)"))
    assert card_titles(page) == [OTHER_TITLE]


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/topics/global-policy/", "Global Policy"), ("/regions/sahel/", "Sahel")],
)
def test_landing_page_shows_its_cards(page, live_server, mali_article, path, heading):
    open_page(page, live_server, path)

    expect(page.locator("h1")).to_have_text(heading)
    card = page.locator(".cards .card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", mali_article.get_absolute_url()
    )
    expect(card.locator(".card-date")).to_have_text("Friday, November 22, 2024")
    expect(card.locator(".card-authors")).to_have_text("By: Kadiatou Keita; Joseph Sany")


@pytest.mark.parametrize(
    "path",
    [
        "/publications/mali-junta-tightens-its-grip/",
        "/publications/?topic=global-policy",
        "/topics/global-policy/",
        "/regions/sahel/",
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, live_server, mali_article, path):
    open_page(page, live_server, path)
    page.wait_for_load_state("load")

    assert_no_serious_violations(page)


def test_print_stylesheet_hides_site_chrome(page, live_server, mali_article):
    open_page(page, live_server, mali_article.get_absolute_url())
    expect(page.locator(".site-nav")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".site-search")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".publication .body")).to_be_visible()
    expect(page.locator(".publication .body blockquote")).to_be_visible()
    expect(page.locator("figure.lead-photo figcaption")).to_be_visible()


def test_first_tab_focuses_the_skip_link(page, live_server, mali_article):
    open_page(page, live_server, mali_article.get_absolute_url())

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown once focused, not only to screen readers
    expect(skip).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_in_viewport()
