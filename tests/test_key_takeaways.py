"""Key takeaways: typed one point a line, shown in a box, in the JSON-LD and the feeds."""

import json
import re

import pytest

from articles.models import Article
from tests.factories import (
    article_form,
    as_feed_reader_shows,
    change_form,
    make_article,
    make_author,
)

pytestmark = pytest.mark.django_db

POINTS = ["Coups follow failed services.", "Help should put people first."]


def test_takeaways_are_typed_one_a_line_and_shown_in_order(editor_client, client):
    form = article_form(
        key_takeaways="  Coups follow   failed services.\r\n\r\nHelp should put people first.\n"
    )
    assert editor_client.post("/admin/articles/article/add/", form).status_code == 302
    article = Article.objects.get(slug="a-new-brief")
    assert article.key_takeaways == POINTS
    # Opened again, the form shows them one a line.
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "Coups follow failed services.\nHelp should put people first.</textarea>" in page


def test_the_page_shows_a_key_takeaways_box(client):
    make_article("Sahel", slug="sahel", key_takeaways=[*POINTS, "Third <b>point</b>."])
    page = client.get("/publications/sahel/").text
    box = page.split('class="key-takeaways"')[1].split("</section>")[0]
    assert re.findall(r"<li>(.*?)</li>", box) == [*POINTS, "Third &lt;b&gt;point&lt;/b&gt;."]
    assert page.index('class="key-takeaways"') < page.index('class="body"')


def test_no_takeaways_no_box(client):
    make_article("Sahel", slug="sahel")
    page = client.get("/publications/sahel/").text
    assert 'class="key-takeaways"' not in page
    assert '"abstract"' not in page


def test_the_takeaways_are_the_json_ld_abstract(client):
    make_article("Sahel", slug="sahel", key_takeaways=POINTS)
    page = client.get("/publications/sahel/").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    # The article's block (the BreadcrumbList is another).
    [data] = [json.loads(b) for b in blocks if json.loads(b)["@type"] != "BreadcrumbList"]
    assert data["abstract"] == "\n".join(POINTS)


def test_the_takeaways_are_in_the_feeds(client):
    make_article("Sahel", slug="sahel", summary="A summary.", key_takeaways=[*POINTS, "<b>3</b>"])
    expected = (
        "A summary.\n\nKey takeaways:\n1. Coups follow failed services.\n"
        "2. Help should put people first.\n3. <b>3</b>"
    )
    rss = as_feed_reader_shows(client.get("/feeds/rss/").content)
    assert rss["description"][-1] == expected
    atom = as_feed_reader_shows(client.get("/feeds/atom/").content)
    assert atom["summary"] == [expected]
    assert rss["markup"] == atom["markup"] == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x" * 301, "Point 1 has 301 characters; keep each to 300."),
        ("\n".join(f"Point {n}." for n in range(9)), "Keep to 8 key takeaways; this has 9."),
        ("A point\x07 with a bell.", "Remove the invisible control character (U+0007)"),
    ],
)
def test_takeaways_that_break_the_rules_are_refused_and_kept(editor_client, typed, message):
    article = make_article("Sahel", slug="sahel", authors=[make_author()])
    form = change_form(article, key_takeaways=typed, status="published")
    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 200
    assert message in response.text
    assert Article.objects.get(pk=article.pk).key_takeaways == []
