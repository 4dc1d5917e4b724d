"""With the database down, readers get a clear 503 and editors keep their text.

`database_down` (tests/conftest.py) makes every SQL statement fail as it does
while PostgreSQL is stopped. tests/faults/ does the same with a real
PostgreSQL server stopped under gunicorn.
"""

import socket
import time

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client

from articles.models import Article
from publications.models import PublicationType
from tests.factories import form_fields, make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    # Answers as a browser sees them, rather than re-raising the exception.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/publications/", "/publications/some-brief/", "/feeds/rss/"])
def test_pages_answer_503_with_retry_after_when_the_database_is_down(reader, database_down, url):
    make_article("Some Brief", slug="some-brief")
    with database_down():
        response = reader.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


def test_the_503_page_says_what_is_wrong_in_the_site_layout(reader, database_down):
    with database_down():
        response = reader.get("/publications/")
    assert "The site is briefly unavailable" in response.text
    assert "try again in a minute" in response.text
    assert 'class="site-header"' in response.text
    assert "noindex" in response.text


def test_a_database_error_that_is_a_bug_still_answers_500(reader):
    def broken(execute, sql, params, many, context):
        raise ProgrammingError('relation "articles_article" does not exist')

    with connection.execute_wrapper(broken):
        response = reader.get("/publications/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def add_form(client):
    """The admin's add form as the editor's browser would post it, filled in."""
    fields = dict(form_fields(client.get("/admin/articles/article/add/").text))
    fields.update(
        title="Ceasefire Talks Resume",
        slug="ceasefire-talks-resume",
        publication_type=str(PublicationType.objects.get(name="Analysis").pk),
        summary="Negotiators meet again in Jeddah.",
        body="<p>After three weeks the delegations\nreturn to the table.</p>",
    )
    fields["_workflow"] = "save"
    return fields


def test_an_editor_whose_save_fails_gets_the_text_back_and_saves_it_again(database_down):
    editor = Client(enforce_csrf_checks=True, raise_request_exception=False)
    editor.force_login(make_staff("editor", "Editors"))
    posted = add_form(editor)
    assert posted["csrfmiddlewaretoken"]

    with database_down():
        failed = editor.post("/admin/articles/article/add/", posted)

    assert failed.status_code == 503
    assert failed["Retry-After"] == "30"
    page = failed.text
    assert "Your changes were not saved" in page
    assert "Try saving again" in page
    # What the editor wrote is on the page, to read or copy...
    assert "Ceasefire Talks Resume" in page
    assert "Negotiators meet again in Jeddah." in page
    assert "&lt;p&gt;After three weeks the delegations\nreturn to the table.&lt;/p&gt;" in page
    # ...and in a form that sends back exactly what was posted, CSRF token included.
    kept = form_fields(page)
    assert sorted(kept) == sorted(posted.items())
    assert 'action="/admin/articles/article/add/"' in page

    retried = editor.post("/admin/articles/article/add/", dict(kept))
    assert retried.status_code == 302
    article = Article.objects.get(slug="ceasefire-talks-resume")
    assert article.summary == "Negotiators meet again in Jeddah."
    assert "delegations" in article.body


def test_a_failed_admin_login_does_not_show_the_password(database_down):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.post(
            "/admin/login/", {"username": "editor", "password": "correct horse battery"}
        )
    assert response.status_code == 503
    assert "correct horse battery" not in response.text


def test_a_database_that_never_answers_is_given_up_after_three_seconds(settings):
    # A server that takes the TCP connection and never says a word, as a
    # paused or hung PostgreSQL does: the worker must not wait for ever.
    if connection.vendor != "postgresql":
        pytest.skip("connect_timeout is a libpq option (PostgreSQL)")
    silent = socket.create_server(("127.0.0.1", 0))
    try:
        params = {**settings.DATABASES["default"], "HOST": "127.0.0.1"}
        params["PORT"] = silent.getsockname()[1]
        hung = DatabaseWrapper(params)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="timeout"):
            hung.ensure_connection()
        # DATABASE_CONNECT_TIMEOUT, 3 s by default (usip_cms/settings.py).
        assert 2.5 < time.monotonic() - started < 10
    finally:
        silent.close()
