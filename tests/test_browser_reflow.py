"""Long words and turned-around names do not break the page, in a real browser.

Staff paste long addresses and words into titles and summaries, and a name
may carry a right-to-left override (U+202E). At every width from a 320 px
phone to a desktop, the page must not scroll sideways (WCAG 1.4.10), no card
may cut its text off, and an override must not turn the text after the name.
"""

import pytest

from articles import workflow
from articles.models import State
from tests.factories import (
    log_in,
    make_article,
    make_author,
    make_featured,
    make_photo,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_WORD = "peacebuilding" * 70  # 910 letters, no break: a summary holds 1,000
WIDTHS = [320, 375, 768, 1000, 1280]
PAGES = ["/", "/publications/", "/publications/long/", "/search/?q=peace"]


@pytest.fixture
def site(seeded_vocabularies):
    photo = make_photo()
    turned = make_author("Amara \u202eDiallo", slug="amara-diallo", role="a fellow")
    long = make_article(
        "Long",
        slug="long",
        summary=f"Before {LONG_WORD} after",
        authors=[turned, make_author("Joseph Sany")],
        topics=["Youth"],
        lead_photo=photo,
    )
    others = [
        # A title holds 200 characters at most: one long word is most of it.
        make_article(f"Peace {LONG_WORD[:180]} {i}", topics=["Youth"], lead_photo=photo)
        for i in range(3)
    ]
    make_featured(long, *others[:2])
    return long


def overflow(page):
    """What sticks out: the page's sideways scroll and every card body wider than its card."""
    return page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth - window.innerWidth,
            cards: [...document.querySelectorAll('.card')].filter(card =>
                card.querySelector('.card-body').scrollWidth > card.clientWidth + 1
            ).length,
        })"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_long_words_never_make_a_page_scroll_sideways_or_a_card_cut_text(
    page, live_server, site, width
):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        assert overflow(page) == {"page": 0, "cards": 0}, (path, width)


def test_a_name_with_a_direction_override_turns_only_itself(page, live_server, site):
    page.goto(live_server.url + "/publications/")
    authors = page.locator(".card-authors").first
    # The second name reads left to right, after the first.
    box = authors.get_by_text("Joseph Sany").bounding_box()
    first = authors.locator("bdi").first.bounding_box()
    assert box["x"] > first["x"]
    page.goto(live_server.url + "/publications/long/")
    # "… is a fellow": the role stays after the name, in reading order.
    name_end, role_start = page.evaluate(
        """() => {
            const links = [...document.querySelectorAll('a')];
            const link = links.find(a => a.textContent.includes('Amara'));
            const range = document.createRange();
            range.selectNodeContents(link.nextSibling);
            return [link.getBoundingClientRect().right, range.getBoundingClientRect().left];
        }"""
    )
    assert role_start >= name_end - 1


def test_a_long_word_in_a_workflow_note_does_not_widen_the_admins_pages(
    page, live_server, site, roles
):
    editor = make_staff("eduardo", "Editors")
    workflow.record(site, editor, State.DRAFT, note=f"Checked {LONG_WORD} twice")
    log_in(page, live_server, "eduardo")
    for path in [f"/admin/articles/article/{site.pk}/revisions/", "/admin/articles/article/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        assert overflow(page)["page"] == 0, path
