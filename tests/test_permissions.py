"""The permission matrix: anonymous, author, editor against each admin action.

Each row names an action and what each role gets: "ok" when the action goes
through, "denied" when it is refused (403, a login redirect, or the change not
being made).
"""

import pytest
from django.test import Client

from articles.models import Article
from publications.models import Topic
from tests.factories import (
    article_form,
    change_form,
    make_article,
    make_author,
    signed_in_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(author_user, editor_user):
    """An author with an own draft and an own published piece, and an editor."""
    byline = [make_author()]
    return {
        "writer": author_user,
        "editor": editor_user,
        "own_draft": make_article(status="draft", created_by=author_user, authors=byline),
        "own_published": make_article(created_by=author_user, authors=byline),
        "others_draft": make_article(status="draft", authors=byline),
    }


def client_for(role, people):
    return Client() if role == "anonymous" else signed_in_client(people[role])


def edit(client, article, **changes):
    client.post(f"/admin/articles/article/{article.pk}/change/", change_form(article, **changes))
    article.refresh_from_db()
    return all(getattr(article, name) == value for name, value in changes.items())


def step(client, article, name, state):
    """Press a workflow button on the article's form: whether it reached state."""
    client.post(
        f"/admin/articles/article/{article.pk}/change/", change_form(article, _workflow=name)
    )
    article.refresh_from_db()
    return article.state == state


def create(client, people, step="save", status="draft"):
    form = article_form(**{"bylines-0-author": people["own_draft"].ordered_authors[0].pk})
    form["_workflow"] = step
    client.post("/admin/articles/article/add/", form)
    return Article.objects.filter(slug="a-new-brief", status=status).exists()


ACTIONS = {
    "create a draft": lambda c, p: create(c, p),
    "create and publish": lambda c, p: create(c, p, "publish", "published"),
    "edit own draft": lambda c, p: edit(c, p["own_draft"], title="Edited"),
    "submit own draft for review": lambda c, p: step(c, p["own_draft"], "submit", "review"),
    "edit someone else's draft": lambda c, p: edit(c, p["others_draft"], title="Edited"),
    "edit own published article": lambda c, p: edit(c, p["own_published"], title="Edited"),
    "publish a draft": lambda c, p: step(c, p["others_draft"], "publish", "published"),
    "unpublish": lambda c, p: step(c, p["own_published"], "unpublish", "draft"),
    "trash a published article": lambda c, p: (
        c.post(f"/admin/articles/article/{p['own_published'].pk}/delete/", {"post": "yes"})
        and Article.objects.in_trash().filter(pk=p["own_published"].pk).exists()
    ),
    "bulk publish": lambda c, p: (
        c.post(
            "/admin/articles/article/",
            {"action": "publish", "_selected_action": [p["others_draft"].pk]},
        )
        and Article.objects.get(pk=p["others_draft"].pk).status == "published"
    ),
    "create a topic": lambda c, p: (
        c.post("/admin/publications/topic/add/", {"name": "Technology", "slug": "technology"})
        and Topic.objects.filter(slug="technology").exists()
    ),
    "merge topics": lambda c, p: (
        c.post(
            "/admin/publications/topic/",
            {
                "action": "merge",
                "_selected_action": [Topic.objects.get(name="Youth").pk],
                "into": "Gender",
            },
        )
        and not Topic.objects.filter(name="Youth").exists()
    ),
    "open the review queue": lambda c, p: (
        c.get("/admin/articles/article/?workflow=review").status_code == 200
    ),
    "preview someone else's draft": lambda c, p: (
        c.get(f"/publications/{p['others_draft'].slug}/").status_code == 200
    ),
}

# role: actions that role may do; everything else must be refused.
ALLOWED = {
    "anonymous": set(),
    "writer": {
        "create a draft",
        "edit own draft",
        "submit own draft for review",
        "open the review queue",
        "preview someone else's draft",
    },
    "editor": set(ACTIONS),
}


@pytest.mark.parametrize("role", ["anonymous", "writer", "editor"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(people, role, action):
    done = bool(ACTIONS[action](client_for(role, people), people))
    assert done == (action in ALLOWED[role]), f"{role} / {action}"
