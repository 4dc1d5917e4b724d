"""The byline sits under the title, in order with positions kept 0, 1, 2…; the
lead-photo chooser shows thumbnails and finds photos by caption, credit or alt."""

import pytest

from articles.models import Article
from tests.factories import article_form, change_form, make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


def test_positions_are_kept_consecutive_in_the_order_given(editor_client):
    first, second, third = make_author("First"), make_author("Second"), make_author("Third")
    form = article_form(
        **{
            "bylines-TOTAL_FORMS": "3",
            "bylines-0-author": third.pk, "bylines-0-position": "9",
            "bylines-1-author": first.pk, "bylines-1-position": "2",
            "bylines-2-author": second.pk, "bylines-2-position": "5",
        }
    )  # fmt: skip
    editor_client.post("/admin/articles/article/add/", form)
    article = Article.objects.get(slug="a-new-brief")
    assert [(b.author.name, b.position) for b in article.bylines.order_by("position")] == [
        ("First", 0), ("Second", 1), ("Third", 2),
    ]  # fmt: skip


def test_removing_an_author_closes_the_gap(editor_client):
    authors = [make_author(f"Person {n}") for n in range(3)]
    article = make_article(authors=authors)
    data = change_form(article, **{"bylines-0-DELETE": "on"})
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert [b.position for b in article.bylines.order_by("position")] == [0, 1]


def test_the_byline_is_right_under_the_title(editor_client):
    page = editor_client.get("/admin/articles/article/add/").text
    assert page.index('id="id_title"') < page.index('id="bylines-group"')
    assert page.index('id="bylines-group"') < page.index('id="id_summary"')
    assert "articles/byline_order.js" in page


def test_the_photo_chooser_gets_thumbnails_and_searches_credit_and_alt(editor_client):
    make_photo(caption="Market in Gao", credit="Ana Lopez/Agency", alt_text="Stalls of fruit")
    url = "/admin/autocomplete/?app_label=articles&model_name=article&field_name=lead_photo"
    for term in ("gao", "lopez", "fruit"):
        [result] = editor_client.get(f"{url}&term={term}").json()["results"]
        assert result["text"] == "Market in Gao"
        assert result["credit"] == "Ana Lopez/Agency"
        assert result["thumbnail"].startswith("/media/renditions/")
    page = editor_client.get("/admin/articles/article/add/").text
    assert "articles/photo_chooser.js" in page
    # A new photo is uploaded without leaving the form, from the “+” beside the chooser.
    assert 'id="add_id_lead_photo"' in page


def test_an_empty_extra_row_numbered_by_the_order_buttons_is_no_author(editor_client):
    article = make_article(authors=[make_author()])
    data = change_form(
        article, **{"bylines-TOTAL_FORMS": "2", "bylines-1-author": "", "bylines-1-position": "1"}
    )
    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert article.bylines.count() == 1
