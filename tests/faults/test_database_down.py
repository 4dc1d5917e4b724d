"""PostgreSQL shut down under the running site: readers get a stored copy or a
clear 503, and an editor's save is kept to be sent again."""

import pytest

from tests.factories import form_fields
from tests.faults.conftest import EDITOR, EDITOR_PASSWORD
from tests.faults.services import Browser

pytestmark = pytest.mark.faults

SLUG = "china-and-ukraine-pulling-its-weight-russia-or-potemkin-peacemaker"
ARTICLE = f"/publications/{SLUG}/"


def test_readers_get_an_old_copy_or_a_503_while_postgresql_is_down(site, postgres_stopped):
    reader = Browser(site.base)
    reader.get(ARTICLE)
    assert reader.get(ARTICLE)[1]["Cache-Control"].startswith("public")
    site.shell("from usip_cms import caching; caching.bump()")  # the stored copy is old now

    with postgres_stopped():
        copy = reader.get(ARTICLE)
        never_stored = reader.get("/publications/?page=2")

    status, headers, page = copy
    assert status == 200
    assert headers["X-Cache"] == "STALE"
    assert headers["Cache-Control"] == "no-store"
    assert "Pulling Its Weight" in page
    status, headers, page = never_stored
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "The site is briefly unavailable" in page

    status, headers, _ = reader.get(ARTICLE)
    assert status == 200
    assert "X-Cache" not in headers


def signed_in_editor(site):
    editor = Browser(site.base)
    _, _, page = editor.get("/admin/login/")
    fields = dict(form_fields(page), username=EDITOR, password=EDITOR_PASSWORD, next="/admin/")
    status, _, _ = editor.post("/admin/login/", fields)
    assert status == 302
    return editor


def test_an_editor_saving_while_postgresql_is_down_keeps_the_text_and_saves_it_later(
    site, postgres_stopped
):
    editor = signed_in_editor(site)
    pk = site.shell(
        f"from articles.models import Article; print(Article.objects.get(slug={SLUG!r}).pk)"
    )
    change = f"/admin/articles/article/{pk.strip()}/change/"
    status, _, page = editor.get(change)
    assert status == 200
    fields = [
        (name, "China and Ukraine: A Potemkin Peacemaker?" if name == "title" else value)
        for name, value in form_fields(page)
    ] + [("_save", "Save")]

    with postgres_stopped():
        status, headers, page = editor.post(change, fields)
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Your changes were not saved" in page
        assert "China and Ukraine: A Potemkin Peacemaker?" in page

    status, _, _ = editor.post(change, form_fields(page))  # "Try saving again"
    assert status == 302
    status, _, article = Browser(site.base).get(ARTICLE)
    assert "China and Ukraine: A Potemkin Peacemaker?" in article
