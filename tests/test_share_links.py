"""Share links: an editor lets an outside reviewer read an unpublished article;
random, hashed, private, counted, revocable, and ended by expiry or publication."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import sharing
from articles.models import ShareLink
from tests.factories import change_form, make_article, make_author
from usip_cms import caching

pytestmark = pytest.mark.django_db

TITLE = "Draft Findings on Sahel Mediation"


@pytest.fixture
def draft(editor_user):
    return make_article(
        TITLE, status="review", published_at=None, body="<p>Preliminary figures.</p>",
        authors=[make_author()],
    )  # fmt: skip


def make_link(editor_client, article, days=7):
    """Press “Make a link” on the article's form; the address the message shows once."""
    page = editor_client.post(
        f"/admin/articles/article/{article.pk}/share/", {"days": days}, follow=True
    ).text
    found = re.search(r"http://[^ ]+/shared/([A-Za-z0-9_.-]+)/", page)
    assert found, "no address in the message"
    return f"/shared/{found.group(1)}/"


def test_an_editor_makes_a_link_that_shows_the_saved_draft(editor_client, draft):
    address = make_link(editor_client, draft)
    response = Client().get(address)  # a fresh visitor, no account
    assert response.status_code == 200
    assert TITLE in response.text and "Preliminary figures." in response.text
    assert "Draft – not for publication" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_link_shows_the_article_as_it_is_saved_now(editor_client, draft):
    address = make_link(editor_client, draft)
    editor_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        change_form(draft, summary="Revised after the workshop."),
    )
    assert "Revised after the workshop." in Client().get(address).text


def test_tokens_are_random_long_and_stored_only_as_a_hash(editor_user, draft):
    link, address = sharing.make_link(draft, editor_user)
    selector, secret = address.split("/")[2].split(".")
    assert len(secret) >= 43  # 32 random bytes: 256 bits
    assert link.selector == selector
    assert link.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ShareLink.objects.values().get())
    other = sharing.make_link(draft, editor_user)[1]
    assert other != address


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(
            lambda s, k: f"{s}.{k[:-1]}A" if k[-1] != "A" else f"{s}.{k[:-1]}B", id="wrong"
        ),
        pytest.param(lambda s, k: f"{s}.", id="no secret"),
        pytest.param(lambda s, k: f"nope.{k}", id="unknown selector"),
        pytest.param(lambda s, k: s, id="selector alone"),
    ],
)
def test_a_wrong_or_partial_token_is_not_found(editor_user, draft, client, mangle):
    address = sharing.make_link(draft, editor_user)[1]
    selector, secret = address.split("/")[2].split(".")
    response = client.get(f"/shared/{mangle(selector, secret)}/")
    assert response.status_code == 404
    assert TITLE not in response.text
    assert ShareLink.objects.get().open_count == 0


def test_opening_is_counted_and_the_editor_sees_it(editor_client, draft):
    address = make_link(editor_client, draft)
    Client().get(address)
    Client().get(address)
    link = ShareLink.objects.get()
    assert link.open_count == 2 and link.last_opened_at is not None
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").text
    assert "Made by editor" in page and "opened 2 times" in page and "Revoke" in page


def test_an_expired_link_says_so_without_the_title(editor_client, draft, client):
    address = make_link(editor_client, draft, days=3)
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(address)
    assert response.status_code == 410
    assert "This review link expired on" in response.text
    assert "Sahel" not in response.text and "Preliminary" not in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_the_chosen_days_set_the_expiry(editor_client, draft):
    make_link(editor_client, draft, days=3)
    left = ShareLink.objects.get().expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < left <= timedelta(days=3)


def test_a_revoked_link_ends(editor_client, draft, client):
    address = make_link(editor_client, draft)
    link = ShareLink.objects.get()
    editor_client.post(f"/admin/articles/article/{draft.pk}/share/{link.pk}/revoke/")
    response = client.get(address)
    assert response.status_code == 410
    assert "This review link has been withdrawn." in response.text
    assert TITLE not in response.text
    link.refresh_from_db()
    assert link.revoked_by.username == "editor"


def test_publishing_ends_the_links(editor_client, draft, client):
    address = make_link(editor_client, draft)
    editor_client.post(
        f"/admin/articles/article/{draft.pk}/change/", change_form(draft, _workflow="publish")
    )
    assert client.get(address).status_code == 410
    assert ShareLink.objects.get().revoked_at is not None


def test_a_scheduled_articles_link_ends_when_it_goes_live(editor_user, client):
    article = make_article(published_at=timezone.now() + timedelta(hours=1))
    address = sharing.make_link(article, editor_user)[1]
    assert client.get(address).status_code == 200
    type(article).objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert client.get(address).status_code == 410


def test_no_link_for_a_published_article(editor_client):
    article = make_article(authors=[make_author()])
    page = editor_client.post(
        f"/admin/articles/article/{article.pk}/share/", {"days": 7}, follow=True
    )
    assert "share links are for unpublished articles" in page.text
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("days", ["0", "91", "many"])
def test_a_bad_number_of_days_makes_no_link(editor_client, draft, days):
    page = editor_client.post(
        f"/admin/articles/article/{draft.pk}/share/", {"days": days}, follow=True
    )
    assert "Choose between 1 and 90 days" in page.text
    assert not ShareLink.objects.exists()


def test_authors_cannot_make_or_revoke_links(author_client, author_user, editor_user):
    own = make_article(status="draft", published_at=None, created_by=author_user)
    assert (
        author_client.post(f"/admin/articles/article/{own.pk}/share/", {"days": 7}).status_code
        == 403
    )
    link, _ = sharing.make_link(own, editor_user)
    url = f"/admin/articles/article/{own.pk}/share/{link.pk}/revoke/"
    assert author_client.post(url).status_code == 403
    assert (
        "Share for review"
        not in author_client.get(f"/admin/articles/article/{own.pk}/change/").text
    )


def test_the_page_cache_never_stores_a_shared_page(settings, editor_user, draft, client, rf):
    settings.PAGE_CACHE = True
    address = sharing.make_link(draft, editor_user)[1]
    client.get(address)
    response = client.get(address)
    assert "Cache-Control" in response and response["Cache-Control"] == "private, no-store"
    request = rf.get(address)
    request.resolver_match = response.resolver_match
    assert not caching.can_store(request, response)
    # Revoked at once, although it was just opened twice.
    sharing.revoke(ShareLink.objects.get(), editor_user)
    assert client.get(address).status_code == 410
