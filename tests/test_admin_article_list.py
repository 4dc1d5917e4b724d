"""The admin's article list: what each row says, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_article, make_author, make_photo, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(make_staff("editor", "Editors"))
    return client


TITLES = ["Later piece", "Live piece", "Draft piece"]


def test_status_column_tells_scheduled_from_published(editor):
    make_article("Later piece", published_at=timezone.now() + timedelta(days=2))
    make_article("Live piece")
    make_article("Draft piece", status="draft", published_at=None)
    page = editor.get("/admin/articles/article/").text
    rows = {title: row for row in page.split("<tr") for title in TITLES if f">{title}<" in row}
    assert '<td class="field-status_label">Scheduled</td>' in rows["Later piece"]
    assert '<td class="field-status_label">Published</td>' in rows["Live piece"]
    assert '<td class="field-status_label">Draft</td>' in rows["Draft piece"]


def add_articles(n):
    authors = [make_author() for _ in range(2)]
    for i in range(n):
        make_article(
            authors=authors[: 1 + i % 2],
            topics=["Gender"],
            lead_photo=make_photo() if i % 3 == 0 else None,
            published_at=timezone.now() + timedelta(days=1 - i % 2 * 2),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# session; user; whether the user has a confirmed authenticator (the 2FA check
# of every admin view); the user's permissions, then their groups' (has_perm, once per
# request); the filters' choices: publication types, topics, regions, the
# authors with an article; the
# filtered count; the total count; the page of articles (with type, photo and
# whether scheduled); their bylines with authors; the date hierarchy: first
# and last date, then the months between; the workflow counts in the header.
ARTICLE_LIST_QUERIES = 16


def test_article_list_makes_a_fixed_number_of_queries(editor):
    add_articles(3)
    small = count_queries(editor, "/admin/articles/article/")
    add_articles(12)
    large = count_queries(editor, "/admin/articles/article/")
    assert small == large == ARTICLE_LIST_QUERIES, [small, large]
