"""A report's ISBN and DOI: checked when typed, stored in one form, shown as readers expect."""

import pytest

from articles.identifiers import language_name, normalize_language
from articles.models import Article
from tests.factories import article_form, make_article

pytestmark = pytest.mark.django_db


def add(editor_client, **fields):
    return editor_client.post("/admin/articles/article/add/", article_form(**fields))


@pytest.mark.parametrize(
    ("field", "typed", "stored", "shown"),
    [
        *[
            ("isbn", typed, "9781601275356", "<dd>978-1-60127-535-6</dd>")
            for typed in ["978-1-60127-535-6", "ISBN 978 1 60127 535 6", "1-60127-535-8"]
        ],
        *[
            (
                "doi",
                typed,
                "10.1234/sr.535",
                '<a href="https://doi.org/10.1234/sr.535">https://doi.org/10.1234/sr.535</a>',
            )
            for typed in ["10.1234/sr.535", "doi:10.1234/sr.535", "https://doi.org/10.1234/sr.535"]
        ],
    ],
)
def test_an_identifier_is_stored_in_one_form_and_shown_as_readers_expect(
    editor_client, client, field, typed, stored, shown
):
    assert add(editor_client, **{field: typed}).status_code == 302
    article = Article.objects.get(slug="a-new-brief")
    assert getattr(article, field) == stored
    article.status, article.published_at = "published", article.created_at
    article.save()
    assert shown in client.get("/publications/a-new-brief/").text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("978-1-60127-535-7", "The check digit of this ISBN is wrong"),
        ("978-1-6012", "An ISBN has 10 or 13 digits"),
        ("not an isbn", "An ISBN has 10 or 13 digits"),
    ],
)
def test_a_wrong_isbn_is_refused_and_the_text_kept(editor_client, typed, message):
    response = add(editor_client, isbn=typed)
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{typed}"' in response.text


@pytest.mark.parametrize("typed", ["11.1234/x", "10.12/x", "10.1234", "10.1234/with space"])
def test_a_doi_with_the_wrong_syntax_is_refused(editor_client, typed):
    response = add(editor_client, doi=typed)
    assert response.status_code == 200
    assert "A DOI starts with 10., a registrant number and a slash" in response.text


def test_a_doi_link_is_percent_encoded(client):
    make_article("Odd", slug="odd", doi='10.1002/(SICI)"<x>')
    page = client.get("/publications/odd/").text
    assert 'href="https://doi.org/10.1002/(SICI)%22%3Cx%3E"' in page


def test_an_article_without_identifiers_shows_none(client):
    make_article("Plain", slug="plain")
    assert 'class="identifiers"' not in client.get("/publications/plain/").text


@pytest.mark.parametrize(
    ("typed", "tag", "name"),
    [
        ("en", "en", "English"),
        ("PT-br", "pt-BR", "Brazilian Portuguese"),
        ("zh-hant-tw", "zh-Hant-TW", "Traditional Chinese"),
        ("es-419", "es-419", "Spanish"),
        ("tlh", "tlh", "tlh"),
    ],
)
def test_language_tags_are_written_in_their_usual_case(typed, tag, name):
    assert normalize_language(typed) == tag
    assert language_name(tag) == name
