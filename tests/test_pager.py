"""The pager of lists and landing pages: numbered pages, and two navs with two names."""

import re

import pytest

from tests.factories import PageHead, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages_of_items():
    # 12 pages of 20.
    for _ in range(12 * 20):
        make_article(topics=["Youth"])


def pager(html):
    [nav] = re.findall(r'<nav class="pagination".*?</nav>', html, re.DOTALL)[:1]
    items = re.findall(r"<li>(.*?)</li>", nav, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


@pytest.mark.parametrize("url", ["/publications/", "/topics/youth/"])
def test_the_pager_offers_first_last_and_the_pages_around_this_one(client, pages_of_items, url):
    assert pager(client.get(url + "?page=6").text) == [
        "← Newer", "Page 1", "…", "Page 4", "Page 5", "Page 6", "Page 7", "Page 8", "…",
        "Page 12", "Older →",
    ]  # fmt: skip
    assert pager(client.get(url).text) == [
        "Page 1", "Page 2", "Page 3", "…", "Page 12", "Older →",
    ]  # fmt: skip


def test_the_current_page_is_marked_and_the_others_are_links(client, pages_of_items):
    html = client.get("/publications/?topic=youth&page=6").text
    nav = html.split('<nav class="pagination"')[1].split("</nav>")[0]
    assert re.search(
        r'<span aria-current="page">\s*<span class="visually-hidden">Page </span>6', nav
    )
    assert 'href="?topic=youth&amp;page=7"' in nav
    assert 'href="?topic=youth&amp;page=12"' in nav


@pytest.mark.parametrize("url", ["/publications/", "/topics/youth/"])
def test_the_two_pagers_of_a_page_have_different_names(client, pages_of_items, url):
    navs = [a for tag, a in PageHead(client.get(url).text).elements if tag == "nav"]
    labels = [nav["aria-label"] for nav in navs if "pagination" in nav.get("class", "")]
    assert len(labels) == 2 and len(set(labels)) == 2, labels
