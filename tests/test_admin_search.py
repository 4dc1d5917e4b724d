"""The admin's article search: the same index as readers', drafts included; an author filter."""

import pytest

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def listed(response):
    html = response.content.decode()
    return sorted(t for t in ("Body piece", "Draft by Keita", "Other") if f">{t}<" in html)


@pytest.fixture
def articles():
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita")
    make_article("Body piece", body="<p>Pastoralists move south.</p>", slug="body-piece")
    make_article("Draft by Keita", authors=[keita], status="draft", published_at=None)
    make_article("Other", authors=[make_author("Someone Else")])
    return keita


def test_the_admin_search_covers_the_body_and_author_names(editor_client, articles):
    assert listed(editor_client.get("/admin/articles/article/?q=pastoralist")) == ["Body piece"]
    assert listed(editor_client.get("/admin/articles/article/?q=kadiatou")) == ["Draft by Keita"]
    assert listed(editor_client.get("/admin/articles/article/?q=body-piece")) == ["Body piece"]


def test_the_admin_list_filters_by_author(editor_client, articles):
    response = editor_client.get(f"/admin/articles/article/?authors__id__exact={articles.pk}")
    assert listed(response) == ["Draft by Keita"]
    assert "By authors" in response.content.decode()
