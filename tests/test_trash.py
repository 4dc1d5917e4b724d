"""Deleting an article moves it to the trash: readers get 410 and it leaves every
public surface at once; editors restore it within TRASH_DAYS with everything
it had, or delete it for good by an explicit, logged action."""

import logging
from datetime import timedelta

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Revision, State
from tests.factories import make_article, make_author, sitemap_locations

pytestmark = pytest.mark.django_db

TITLE = "Withdrawn Analysis of the Darfur Talks"
SLUG = "withdrawn-analysis"
# Every public surface that lists articles, each naming the trashed one until it is trashed.
SURFACES = [
    "/",
    "/publications/",
    "/publications/?q=Darfur",
    "/topics/conflict-analysis-prevention/",
    "/regions/sudan/",
    "/types/analysis/",
    "/people/trashed-writer/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/topics/conflict-analysis-prevention/rss/",
    "/regions/sudan/atom/",
    "/people/trashed-writer/rss/",
    "/publications/kept-neighbour/",  # related and latest cards of another article
]


@pytest.fixture
def withdrawn():
    """A published article, and a neighbour sharing its topic and region (so it is related)."""
    writer = make_author("Trashed Writer", slug="trashed-writer")
    common = {"topics": ["Conflict Analysis & Prevention"], "regions": ["Sudan"]}
    make_article("Kept Neighbour", slug="kept-neighbour", authors=[make_author()], **common)
    article = make_article(TITLE, slug=SLUG, authors=[writer], **common)
    article.revisions.create(data={"title": TITLE}, changed=[])
    return article


def trash_through_the_admin(editor_client, article):
    return editor_client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}, follow=True
    )


def test_deleting_in_the_admin_moves_the_article_to_the_trash(editor_client, withdrawn):
    confirm = editor_client.get(f"/admin/articles/article/{withdrawn.pk}/delete/").text
    assert "Move the article “Withdrawn Analysis of the Darfur Talks” to the trash?" in confirm
    page = trash_through_the_admin(editor_client, withdrawn).text
    assert f"Moved “{TITLE}” to the trash" in page
    withdrawn.refresh_from_db()
    assert withdrawn.state == State.TRASH and withdrawn.trashed_by.username == "editor"
    assert not Article.objects.published().filter(pk=withdrawn.pk).exists()
    step = withdrawn.transitions.get()
    assert (step.from_state, step.to_state) == ("published", "trash")


def test_a_trashed_article_answers_410_without_its_title(client, editor_client, withdrawn):
    trash_through_the_admin(editor_client, withdrawn)
    for who in (client, editor_client):
        response = who.get(f"/publications/{SLUG}/")
        assert response.status_code == 410
        assert "withdrawn" in response.text.lower()
        assert "Darfur" not in response.text


def test_a_trashed_draft_is_simply_not_found(client, editor_client):
    draft = make_article(slug="never-public", status="draft", published_at=None)
    trash_through_the_admin(editor_client, draft)
    assert client.get("/publications/never-public/").status_code == 404


@pytest.mark.parametrize("url", SURFACES)
def test_a_trashed_article_leaves_every_public_surface(client, editor_client, withdrawn, url):
    assert TITLE in client.get(url).content.decode(), "the surface listed it before"
    trash_through_the_admin(editor_client, withdrawn)
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert TITLE not in response.content.decode()


def test_a_trashed_article_leaves_the_sitemap_and_takes_its_only_author_with_it(
    client, editor_client, withdrawn
):
    assert f"/publications/{SLUG}/" in sitemap_locations(client)
    trash_through_the_admin(editor_client, withdrawn)
    locations = sitemap_locations(client)
    assert f"/publications/{SLUG}/" not in locations
    # Public once they have a published item: not any more.
    assert "/people/trashed-writer/" not in locations
    assert client.get("/people/trashed-writer/").status_code == 404


def test_the_page_cache_drops_it_at_once(settings, client, editor_client, withdrawn):
    settings.PAGE_CACHE = True
    client.get("/publications/")  # makes the generation
    assert TITLE in client.get("/publications/").text  # stored
    trash_through_the_admin(editor_client, withdrawn)
    assert TITLE not in client.get("/publications/").text


def test_the_list_hides_the_trash_except_under_its_filter(editor_client, withdrawn):
    trash_through_the_admin(editor_client, withdrawn)
    assert TITLE not in editor_client.get("/admin/articles/article/").text
    trash = editor_client.get("/admin/articles/article/?workflow=trash").text
    assert TITLE in trash and "Kept Neighbour" not in trash
    assert 'value="restore_from_trash"' in trash and 'value="empty_trash"' in trash
    assert 'value="publish"' not in trash


def test_bulk_delete_goes_to_the_trash_too(editor_client):
    one, two = make_article("One"), make_article("Two")
    listing = editor_client.get("/admin/articles/article/").text
    assert 'value="delete_selected"' not in listing
    data = {"action": "move_to_trash", "_selected_action": [one.pk, two.pk]}
    page = editor_client.post("/admin/articles/article/", data, follow=True).text
    assert "Moved 2 articles to the trash." in page
    assert Article.objects.in_trash().count() == 2
    # Django's own bulk delete, crafted, deletes nothing for good.
    three = make_article("Three")
    data = {"action": "delete_selected", "_selected_action": [three.pk], "post": "yes"}
    editor_client.post("/admin/articles/article/", data)
    assert Article.objects.filter(pk=three.pk).exists()


def test_restore_brings_back_byline_tags_and_revisions(client, editor_client, withdrawn):
    trash_through_the_admin(editor_client, withdrawn)
    page = editor_client.get(f"/admin/articles/article/{withdrawn.pk}/change/").text
    assert "In the trash since" in page and "Restore from the trash" in page
    assert 'name="_workflow"' not in page  # read only while in the trash
    page = editor_client.post(
        f"/admin/articles/article/{withdrawn.pk}/restore-from-trash/", follow=True
    ).text
    assert f"Restored “{TITLE}” from the trash." in page
    withdrawn.refresh_from_db()
    assert withdrawn.state == State.PUBLISHED
    assert [a.name for a in withdrawn.ordered_authors] == ["Trashed Writer"]
    assert sorted(t.name for t in withdrawn.topics.all()) == ["Conflict Analysis & Prevention"]
    assert withdrawn.revisions.filter(data__title=TITLE).exists()
    assert client.get(f"/publications/{SLUG}/").status_code == 200


def test_restore_from_the_list(editor_client, withdrawn):
    trash_through_the_admin(editor_client, withdrawn)
    data = {"action": "restore_from_trash", "_selected_action": [withdrawn.pk]}
    page = editor_client.post("/admin/articles/article/?workflow=trash", data, follow=True).text
    assert "Restored 1 article." in page
    assert Article.objects.published().filter(pk=withdrawn.pk).exists()


def test_after_the_trash_days_an_article_cannot_be_restored(settings, editor_client, withdrawn):
    settings.TRASH_DAYS = 30
    trash_through_the_admin(editor_client, withdrawn)
    Article.objects.filter(pk=withdrawn.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    page = editor_client.post(
        f"/admin/articles/article/{withdrawn.pk}/restore-from-trash/", follow=True
    ).text
    assert "longer than 30 days: it can only be deleted for good" in page
    data = {"action": "restore_from_trash", "_selected_action": [withdrawn.pk]}
    page = editor_client.post("/admin/articles/article/?workflow=trash", data, follow=True).text
    assert "Restored 0 articles." in page and "longer than 30 days" in page
    assert Article.objects.in_trash().filter(pk=withdrawn.pk).exists()


def test_emptying_deletes_for_good_and_is_logged(editor_client, withdrawn, caplog):
    kept = make_article("Still live")
    trash_through_the_admin(editor_client, withdrawn)
    data = {"action": "empty_trash", "_selected_action": [withdrawn.pk, kept.pk]}
    with caplog.at_level(logging.WARNING, logger="articles.trash"):
        page = editor_client.post("/admin/articles/article/?workflow=trash", data, follow=True).text
    assert "Deleted 1 article for good." in page
    assert not Article.objects.filter(pk=withdrawn.pk).exists()
    assert Article.objects.filter(pk=kept.pk).exists()  # not in the trash: untouched
    assert not ArticleAuthor.objects.filter(article_id=withdrawn.pk).exists()
    assert not Revision.objects.filter(article_id=withdrawn.pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.object_repr == TITLE and entry.user.username == "editor"
    assert f"“{TITLE}”" in caplog.text and "deleted for good by editor" in caplog.text


def test_authors_cannot_trash_restore_or_empty(author_client, author_user):
    own = make_article("Own", status="draft", published_at=None, created_by=author_user)
    assert (
        author_client.post(f"/admin/articles/article/{own.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    data = {"action": "move_to_trash", "_selected_action": [own.pk]}
    author_client.post("/admin/articles/article/", data)
    assert not Article.objects.in_trash().exists()
    Article.objects.filter(pk=own.pk).update(trashed_at=timezone.now())
    assert (
        author_client.post(f"/admin/articles/article/{own.pk}/restore-from-trash/").status_code
        == 403
    )
    data = {"action": "empty_trash", "_selected_action": [own.pk]}
    author_client.post("/admin/articles/article/?workflow=trash", data)
    assert Article.objects.in_trash().filter(pk=own.pk).exists()
