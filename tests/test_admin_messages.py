"""The admin's messages count in the singular and the plural (ngettext)."""

import pytest

from publications.models import Topic
from tests.factories import make_article, make_author, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(make_staff("editor", "Editors"))
    return client


def act(client, url, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(url, data, follow=True).text


def test_article_actions_say_one_article_or_several(editor):
    one, two = make_article(authors=[make_author()]), make_article(authors=[make_author()])
    page = act(editor, "/admin/articles/article/", "add_topic", [one], term="Youth")
    assert "Added “Youth” to 1 article." in page
    page = act(editor, "/admin/articles/article/", "unpublish", [one])
    assert "Moved 1 article back to draft." in page
    page = act(editor, "/admin/articles/article/", "unpublish", [one, two])
    assert "Moved 2 articles back to draft." in page
    page = act(editor, "/admin/articles/article/", "publish", [one, two])
    assert "Published 2 articles." in page


def test_merge_says_one_term_or_several(editor):
    for name in ("Peace", "Peacebuilding", "Peacemaking"):
        Topic.objects.create(name=name, slug=name.lower())
    peace = Topic.objects.filter(slug__in=["peace", "peacebuilding", "peacemaking"])
    page = act(editor, "/admin/publications/topic/", "merge", peace[:2], into="Youth")
    assert "Merged 2 terms into “Youth”." in page
    page = act(editor, "/admin/publications/topic/", "merge", peace, into="Youth")
    assert "Merged 1 term into “Youth”." in page
