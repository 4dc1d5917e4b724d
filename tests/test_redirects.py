"""Old addresses answer 301: slug changes of published articles, redirects by
hand and from a CSV; chains collapse, loops and other hosts are refused, and a
redirect never hides a live page. 301s are cached like pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Redirect
from tests.factories import change_form, make_article, make_author

pytestmark = pytest.mark.django_db


def rename(client, article, slug):
    article.refresh_from_db()
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, slug=slug)
    )
    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()


def add_redirect(client, old, new="", article=None):
    data = {"old_path": old, "target_path": new, "target_article": article.pk if article else ""}
    return client.post("/admin/articles/redirect/add/", data)


def lands(client, path):
    response = client.get(path)
    return response.status_code, response.get("Location")


def test_a_published_articles_old_slug_answers_301(editor_client, client):
    article = make_article(slug="old-name", authors=[make_author()])
    rename(editor_client, article, "new-name")
    assert lands(client, "/publications/old-name/") == (301, "/publications/new-name/")
    assert client.get("/publications/new-name/").status_code == 200
    assert Redirect.objects.get().origin == Redirect.Origin.SLUG


def test_chains_collapse_to_one_hop(editor_client, client):
    article = make_article(slug="a-name", authors=[make_author()])
    rename(editor_client, article, "b-name")
    rename(editor_client, article, "c-name")
    assert lands(client, "/publications/a-name/") == (301, "/publications/c-name/")
    assert lands(client, "/publications/b-name/") == (301, "/publications/c-name/")


def test_going_back_to_an_old_slug_frees_it(editor_client, client):
    article = make_article(slug="first", authors=[make_author()])
    rename(editor_client, article, "second")
    rename(editor_client, article, "first")
    assert client.get("/publications/first/").status_code == 200
    assert lands(client, "/publications/second/") == (301, "/publications/first/")
    assert not Redirect.objects.filter(old_path="/publications/first/").exists()


def test_a_draft_that_was_never_public_leaves_no_redirect(editor_client):
    article = make_article(slug="draft-name", status="draft", published_at=None)
    rename(editor_client, article, "other-name")
    assert not Redirect.objects.exists()


def test_an_editor_adds_a_redirect_to_a_path_or_an_article(editor_client, client):
    article = make_article(slug="the-report", authors=[make_author()])
    assert add_redirect(editor_client, "/node/1234", "/topics/gender/").status_code == 302
    assert add_redirect(editor_client, "/node/99", article=article).status_code == 302
    assert lands(client, "/node/1234") == (301, "/topics/gender/")
    assert lands(client, "/node/99") == (301, "/publications/the-report/")


def test_a_previous_sites_full_url_is_cut_to_its_path(editor_client, client):
    add_redirect(editor_client, "https://old.usip.org/publications/2019/05/brief?id=7", "/")
    assert Redirect.objects.get().old_path == "/publications/2019/05/brief?id=7"
    assert lands(client, "/publications/2019/05/brief?id=7") == (301, "/")


@pytest.mark.parametrize(
    "old,new,message",
    [
        pytest.param("/x", "https://evil.example/", "is on another site", id="another host"),
        pytest.param("/x", "//evil.example/", "is on another site", id="scheme-relative"),
        pytest.param("/x", "javascript:alert(1)", "is not a web address", id="not a URL"),
        pytest.param("/x", "/x", "would redirect to itself", id="itself"),
        pytest.param("/publications/", "/", "A page of the site answers", id="a live list"),
        pytest.param(
            "/publications/live-one/", "/", "A page of the site answers", id="live article"
        ),
        pytest.param("/topics/gender/", "/", "A page of the site answers", id="a public topic"),
        pytest.param("/admin/", "/", "A page of the site answers", id="the admin"),
        pytest.param("no-slash", "/", "is not a path on this site", id="not a path"),
    ],
)
def test_a_redirect_breaking_a_rule_is_refused(editor_client, old, new, message):
    make_article(slug="live-one", topics=["Gender"])
    response = add_redirect(editor_client, old, new)
    assert response.status_code == 200
    assert message in response.text
    assert not Redirect.objects.exists()


def test_a_loop_is_refused(editor_client):
    add_redirect(editor_client, "/a", "/b")
    response = add_redirect(editor_client, "/b", "/a")
    assert "would redirect to itself" in response.text
    assert Redirect.objects.count() == 1


def test_redirects_by_hand_collapse_both_ways(editor_client, client):
    add_redirect(editor_client, "/a", "/b")
    add_redirect(editor_client, "/b", "/c")  # A → B → C becomes A → C
    assert lands(client, "/a") == (301, "/c")
    add_redirect(editor_client, "/z", "/a")  # Z → A, where A → C: stored as Z → C
    assert Redirect.objects.get(old_path="/z").target_path == "/c"


def test_a_redirect_never_hides_a_page_that_goes_live_later(editor_client, client):
    add_redirect(editor_client, "/publications/coming-soon/", "/")
    assert lands(client, "/publications/coming-soon/") == (301, "/")
    make_article("Coming Soon", slug="coming-soon")
    assert client.get("/publications/coming-soon/").status_code == 200


def test_a_trashed_articles_address_may_lead_to_its_replacement(editor_client, client):
    old = make_article(slug="withdrawn-piece")
    replacement = make_article(slug="corrected-piece")
    editor_client.post(f"/admin/articles/article/{old.pk}/delete/", {"post": "yes"})
    assert client.get("/publications/withdrawn-piece/").status_code == 410
    assert (
        add_redirect(
            editor_client, "/publications/withdrawn-piece/", article=replacement
        ).status_code
        == 302
    )
    assert lands(client, "/publications/withdrawn-piece/") == (
        301,
        "/publications/corrected-piece/",
    )


def csv_file(text):
    return SimpleUploadedFile("redirects.csv", text.encode(), "text/csv")


def test_a_csv_of_the_previous_sites_addresses_is_imported(editor_client, client):
    make_article(slug="kept-report")
    text = (
        "old,new\n"
        "https://www.usip.org/node/1,/publications/kept-report/\n"
        "/node/2,/topics/gender/\n"
        "/node/3,/node/2\n"  # collapses to /topics/gender/
    )
    response = editor_client.post(
        "/admin/articles/redirect/import/", {"file": csv_file(text)}, follow=True
    )
    assert "Imported 3 redirects." in response.text
    assert lands(client, "/node/1") == (301, "/publications/kept-report/")
    assert lands(client, "/node/3") == (301, "/topics/gender/")


def test_a_csv_with_bad_lines_names_them_and_imports_nothing(editor_client):
    make_article(slug="live-one")
    text = (
        "/node/1,/\n"
        "/node/2,https://elsewhere.example/page\n"
        "/publications/live-one/,/\n"
        "/node/4\n"
        "/node/5,/node/6\n"
        "/node/6,/node/5\n"
        "/node/1,/other\n"
    )
    response = editor_client.post("/admin/articles/redirect/import/", {"file": csv_file(text)})
    assert "Nothing was imported." in response.text
    for expected in (
        "Line 2: “https://elsewhere.example/page” is on another site",
        "Line 3: A page of the site answers at /publications/live-one/",
        "Line 4: two columns are needed",
        "Line 5: /node/5 leads back to itself",
        "Line 7: /node/1 is also on line 1.",
    ):
        assert expected in response.text
    assert not Redirect.objects.exists()


def test_a_file_that_is_not_text_is_refused(editor_client):
    upload = SimpleUploadedFile("r.csv", b"\xff\xfe\x00bad", "text/csv")
    response = editor_client.post("/admin/articles/redirect/import/", {"file": upload})
    assert "The file is not UTF-8 text" in response.text


def test_redirects_are_for_editors(author_client):
    assert author_client.get("/admin/articles/redirect/").status_code == 403
    assert author_client.get("/admin/articles/redirect/import/").status_code == 403
    assert add_redirect(author_client, "/x", "/").status_code == 403


def test_a_301_is_cached_like_a_page_and_dropped_when_the_redirect_changes(
    settings, editor_client, client, django_assert_num_queries
):
    settings.PAGE_CACHE = True
    add_redirect(editor_client, "/node/7", "/topics/gender/")
    client.get("/node/7")  # makes the generation
    client.get("/node/7")  # stored
    with django_assert_num_queries(0):
        assert lands(client, "/node/7") == (301, "/topics/gender/")
    redirect = Redirect.objects.get()
    editor_client.post(
        f"/admin/articles/redirect/{redirect.pk}/change/",
        {"old_path": "/node/7", "target_path": "/topics/youth/", "target_article": ""},
    )
    assert lands(client, "/node/7") == (301, "/topics/youth/")
