"""The reader's pages in a real browser at a desktop and a phone width: no
accessibility violation of any impact (axe-core), no empty slot in a grid of
cards, and the printed article's foot.

The fixtures `browser` and `page` are in tests/conftest.py.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import (
    STAFF_PASSWORD,
    assert_no_violations,
    grid_gaps,
    make_article,
    make_author,
    make_featured,
    make_photo,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1366, "phone": 375}
PAGES = [
    "/",
    "/publications/sahel-analysis/",
    "/publications/",
    "/publications/?page=2",
    "/topics/youth/",
    "/regions/sahel/",
    "/people/kadiatou-keita/",
]


@pytest.fixture
def site(seeded_vocabularies):
    """A small archive: 23 items (two list pages), some with photos, featured ones."""
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita", role="a USIP expert in Mali")
    sany = make_author("Joseph Sany", role="the vice president of USIP's Africa Center")
    photo = make_photo()
    start = datetime(2024, 11, 22, 15, tzinfo=UTC)
    main = make_article(
        "Amid a Wave of Coups, Democracy in the Sahel Depends on Human Security",
        slug="sahel-analysis",
        authors=[keita],
        topics=["Youth", "Democracy & Governance"],
        regions=["Mali", "Sahel"],
        lead_photo=photo,
        published_at=start,
    )
    others = [
        make_article(
            f"Elections and Youth in the Region, Part {i}",
            authors=[keita, sany][: 1 + i % 2],
            topics=["Youth"],
            regions=[["Niger", "Mali", "Burkina Faso"][i % 3]],
            lead_photo=photo if i % 3 else None,
            type_name=["Analysis", "Special Report", "Peace Brief"][i % 3],
            published_at=start - timedelta(days=i + 1),
        )
        for i in range(22)
    ]
    make_featured(main, others[1], others[2])
    return main


def open_page(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_reader_pages_have_no_accessibility_violation_of_any_impact(page, live_server, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        open_page(page, live_server, path)
        assert_no_violations(page)


@pytest.mark.parametrize("width", [375, 700, 1100, 1366])
def test_no_grid_of_cards_leaves_an_empty_slot(page, live_server, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/", "/publications/", "/publications/?page=2", "/publications/sahel-analysis/"]:
        open_page(page, live_server, path)
        assert grid_gaps(page) == [0] * len(grid_gaps(page)), (path, width, grid_gaps(page))
        # Cards in a row are as tall as each other.
        heights = page.evaluate(
            """() => [...document.querySelectorAll('.cards')].map(grid => {
                const rows = {};
                for (const card of grid.querySelectorAll(':scope > .card')) {
                    const box = card.getBoundingClientRect();
                    (rows[Math.round(box.top)] ||= []).push(Math.round(box.height));
                }
                return Object.values(rows).every(row => new Set(row).size === 1);
            })"""
        )
        assert all(heights), (path, width)


def test_home_page_leads_with_the_featured_story_and_its_picture(page, live_server, site):
    open_page(page, live_server, "/")
    lead = page.locator(".lead-story")
    expect(lead.get_by_role("heading")).to_have_text(site.title)
    image = lead.locator("img")
    natural = image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert natural > 0
    # The browser chose the AVIF rendition.
    assert image.evaluate("img => img.currentSrc").endswith(".avif")
    # Two chosen, the third place taken by the newest item with a photo.
    expect(page.locator(".picks .pick")).to_have_count(3)
    subscribe = page.locator("main .subscribe")
    expect(subscribe).to_have_text(re.compile(r"^\s*Subscribe[^:]*:\s*RSS\s*·\s*Atom\s*$"))
    expect(subscribe.get_by_role("link", name="RSS")).to_be_visible()


def test_a_printed_article_names_the_institute_its_address_and_date(page, live_server, site):
    open_page(page, live_server, site.get_absolute_url())
    citation = page.locator(".print-citation")
    expect(citation).to_be_hidden()

    page.emulate_media(media="print")

    expect(page.locator(".print-publisher")).to_have_text("United States Institute of Peace")
    expect(citation).to_be_visible()
    expect(citation).to_contain_text("Friday, November 22, 2024")
    expect(citation).to_contain_text(settings.SITE_URL + "/publications/sahel-analysis/")
    expect(page.locator(".subscribe").first).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_admins_article_form_has_no_accessibility_violation(
    page, live_server, site, roles, width
):
    make_staff("eduardo", "Editors")
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, live_server, "/admin/login/")
    page.get_by_label("Username").fill("eduardo")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    open_page(page, live_server, f"/admin/articles/article/{site.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(site.title)
    page.wait_for_load_state("networkidle")
    assert_no_violations(page)
