"""Every model's view, add, change and delete, per role, through the admin's own URLs.

Each row GETs or POSTs what a browser would (the form as a superuser's page
holds it, so for a role that sees less it is a crafted POST) and reports
whether the thing was done. Authors change and delete only what they made
(articles, photos, author records), until a published or scheduled article
uses it; editors change everything in the two apps; users and groups are the
superuser's.
"""

from functools import cached_property

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles import revisions
from articles.models import Article, ArticleAuthor, Author, Photo
from publications.models import PublicationType, Region, Topic
from tests.factories import (
    admin_form_data,
    jpeg_bytes,
    make_article,
    make_author,
    make_photo,
    make_staff,
    make_superuser,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "editor", "superuser"]
STAFF = {"author", "editor", "superuser"}
EDITORS = {"editor", "superuser"}
SUPERUSER = {"superuser"}


def small_photo(**fields):
    image = SimpleUploadedFile("small.jpg", jpeg_bytes(64, 40), "image/jpeg")
    return make_photo(image=image, **fields)


class World:
    """Everyone, and one of each thing whose permissions differ by who made it.

    Things are made when a row first uses them (photos are slow to make).
    """

    def __init__(self):
        self.writer, self.other = make_staff("writer", "Authors"), make_staff("other", "Authors")
        self.users = {
            "author": self.writer,
            "editor": make_staff("editor", "Editors"),
            "superuser": make_superuser(),
        }
        self.root = Client()
        self.root.force_login(self.users["superuser"])

    @cached_property
    def someone(self):
        return make_staff("someone", "Authors")

    @cached_property
    def byline(self):
        return [make_author("Byline Person")]

    @cached_property
    def own_new_author(self):
        return make_author("Fresh Contributor", created_by=self.writer)

    @cached_property
    def others_author(self):
        return make_author("Others Contributor", created_by=self.other)

    @cached_property
    def unused_author(self):
        return make_author("Nobody Yet", created_by=self.writer)

    @cached_property
    def own_photo(self):
        return small_photo(uploaded_by=self.writer, caption="Own photo")

    @cached_property
    def others_photo(self):
        return small_photo(uploaded_by=self.other, caption="Others photo")

    @cached_property
    def spare_topic(self):
        return Topic.objects.create(name="Spare topic", slug="spare-topic")

    @cached_property
    def spare_region(self):
        return Region.objects.create(name="Atlantis", slug="atlantis")

    @cached_property
    def spare_type(self):
        return PublicationType.objects.create(name="Spare type", slug="spare-type")

    @cached_property
    def spare_group(self):
        return Group.objects.create(name="Spare group")

    @cached_property
    def own_draft(self):
        return self.draft("Own draft", self.writer)

    @cached_property
    def others_draft(self):
        return self.draft("Others draft", self.other)

    def draft(self, title, maker):
        """A draft with a revision from before it was retitled (so a restore shows)."""
        article = make_article(title, status="draft", created_by=maker, authors=self.byline)
        revisions.record(article, maker)
        Article.objects.filter(pk=article.pk).update(title="Retitled since")
        article.refresh_from_db()
        return article

    @cached_property
    def own_published(self):
        """Published, with an author record and a lead photo the writer made."""
        return make_article(
            "Own published",
            created_by=self.writer,
            authors=[make_author("Live Contributor", created_by=self.writer), *self.byline],
            lead_photo=small_photo(uploaded_by=self.writer, caption="Own live photo"),
        )

    @cached_property
    def own_live_author(self):
        return self.own_published.ordered_authors[0]

    @cached_property
    def own_live_photo(self):
        return self.own_published.lead_photo


@pytest.fixture
def w():
    return World()


def form(w, url, **changes):
    """The form at url as the superuser's page holds it, with changes."""
    return admin_form_data(w.root.get(url), **changes)


# Each row maker takes the page's address ({pk} for the thing's id) and the
# name of the thing in World, and gives what the row does: (client, world) →
# whether it was done.


def listed(url, thing, attr):
    """GET the list: it opens and shows the thing."""

    def do(c, w):
        text = getattr(getattr(w, thing), attr)  # made before the page is read
        response = c.get(url)
        return response.status_code == 200 and text in response.text

    return do


def viewed(url, thing, text):
    """GET the thing's change page: it opens and shows text."""

    def do(c, w):
        response = c.get(url.format(pk=getattr(w, thing).pk))
        return response.status_code == 200 and text in response.text

    return do


def added(url, model, **fields):
    """POST the add form: whether a record with the first field's value exists.

    A callable field value is called with the world.
    """

    def do(c, w):
        made = {name: value(w) for name, value in fields.items() if callable(value)}
        c.post(url, form(w, url, **{**fields, **made}))
        return model.objects.filter(**dict([next(iter(fields.items()))])).exists()

    return do


def changed(url, thing, field, value):
    """GET the change page, then POST a change: whether it was saved."""

    def do(c, w):
        obj = getattr(w, thing)
        page_url = url.format(pk=obj.pk)
        assert c.get(page_url).status_code in (200, 302, 403), page_url
        c.post(page_url, form(w, page_url, **{field: value}))
        obj.refresh_from_db()
        return getattr(obj, field) == value

    return do


def deleted(url, thing):
    """POST the delete confirmation."""

    def do(c, w):
        obj = getattr(w, thing)
        c.post(url.format(pk=obj.pk), {"post": "yes"})
        return not type(obj).objects.filter(pk=obj.pk).exists()

    return do


def trashed(thing):
    """POST the article's delete confirmation: whether it went to the trash."""

    def do(c, w):
        article = getattr(w, thing)
        c.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
        return Article.objects.in_trash().filter(pk=article.pk).exists()

    return do


def bulk_deleted(url, thing):
    """POST the list's delete action, confirmed."""

    def do(c, w):
        obj = getattr(w, thing)
        c.post(url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        return not type(obj).objects.filter(pk=obj.pk).exists()

    return do


def restored(thing):
    """POST a restore of the article's revision from before it was retitled."""

    def do(c, w):
        article = getattr(w, thing)
        revision = article.revisions.first()
        c.post(f"/admin/articles/article/{article.pk}/revisions/{revision.pk}/restore/")
        article.refresh_from_db()
        return article.title == revision.data["title"]

    return do


def bylined(thing, author):
    """Add an author at the end of the article's byline, through the inline."""

    def do(c, w):
        article = getattr(w, thing)
        url = f"/admin/articles/article/{article.pk}/change/"
        data = form(w, url)
        n = int(data["bylines-TOTAL_FORMS"])
        data["bylines-TOTAL_FORMS"] = n + 1
        data.update({f"bylines-{n}-author": getattr(w, author).pk, f"bylines-{n}-position": 9})
        c.post(url, data)
        return article.bylines.filter(author=getattr(w, author)).exists()

    return do


def unbylined(thing, author):
    """Remove an author from the article's byline, through the inline."""

    def do(c, w):
        article, pk = getattr(w, thing), str(getattr(w, author).pk)
        url = f"/admin/articles/article/{article.pk}/change/"
        data = form(w, url)
        row = next(k for k, v in data.items() if k.endswith("-author") and v == pk)
        data[row.replace("-author", "-DELETE")] = "on"
        c.post(url, data)
        return not article.bylines.filter(author_id=pk).exists()

    return do


def byline_taken_over(c, w):
    """A crafted POST: another article's byline row sent as the own draft's own."""
    theirs = w.others_draft.bylines.get()
    url = f"/admin/articles/article/{w.own_draft.pk}/change/"
    c.post(url, form(w, url, **{"bylines-0-id": theirs.pk, "bylines-0-author": w.others_author.pk}))
    theirs_now = ArticleAuthor.objects.get(pk=theirs.pk)
    return (theirs_now.article_id, theirs_now.author_id) != (theirs.article_id, theirs.author_id)


def file_replaced(thing):
    """POST the photo's change form with a new image file."""

    def do(c, w):
        photo = getattr(w, thing)
        url, before = f"/admin/articles/photo/{photo.pk}/change/", photo.image.name
        c.post(url, form(w, url, image=upload()))
        photo.refresh_from_db()
        return photo.image.name != before

    return do


def upload():
    return SimpleUploadedFile("upload.jpg", jpeg_bytes(64, 40), "image/jpeg")


def made_superuser(c, w):
    """A crafted POST: the writer ticks “superuser” on their own user."""
    url = f"/admin/auth/user/{w.writer.pk}/change/"
    c.post(url, form(w, url, is_superuser="on"))
    return User.objects.get(pk=w.writer.pk).is_superuser


ARTICLE = "/admin/articles/article/{pk}/change/"
AUTHOR = "/admin/articles/author/{pk}/change/"
PHOTO = "/admin/articles/photo/{pk}/change/"
PUBLICATION_TYPE = "/admin/publications/publicationtype/{pk}/change/"
PASSWORD = "x-long-pass-9"
ADD_ARTICLE, ADD_PHOTO, ADD_USER = (
    "/admin/articles/article/add/",
    "/admin/articles/photo/add/",
    "/admin/auth/user/add/",
)

ACTIONS = {
    # Articles
    "article: open the list": (listed("/admin/articles/article/", "own_draft", "title"), STAFF),
    "article: view someone else's draft": (viewed(ARTICLE, "others_draft", "Retitled"), STAFF),
    "article: add a draft": (
        added(
            ADD_ARTICLE, Article, title="A", slug="a", publication_type=lambda w: w.spare_type.pk
        ),
        STAFF,
    ),
    "article: change own draft": (changed(ARTICLE, "own_draft", "title", "New"), STAFF),
    "article: change someone else's draft": (
        changed(ARTICLE, "others_draft", "title", "New"), EDITORS,
    ),
    "article: change own published article": (
        changed(ARTICLE, "own_published", "title", "New"), EDITORS,
    ),
    "article: move own draft to the trash": (trashed("own_draft"), EDITORS),
    # Bylines (ArticleAuthor), through the article's inline
    "byline: add an author to own draft": (bylined("own_draft", "others_author"), STAFF),
    "byline: add an author to someone else's draft": (
        bylined("others_draft", "others_author"), EDITORS,
    ),
    "byline: remove an author from own published article": (
        unbylined("own_published", "own_live_author"), EDITORS,
    ),
    "byline: take over another article's byline row (crafted)": (byline_taken_over, set()),
    # Author records
    "author: open the list": (listed("/admin/articles/author/", "own_new_author", "name"), STAFF),
    "author: add": (
        added("/admin/articles/author/add/", Author, name="New Person", slug="new-person"), STAFF,
    ),
    "author: change one you added, on no published article": (
        changed(AUTHOR, "own_new_author", "role", "a new role"), STAFF,
    ),
    "author: change one you added, on a published article": (
        changed(AUTHOR, "own_live_author", "role", "a new role"), EDITORS,
    ),
    "author: change one someone else added": (
        changed(AUTHOR, "others_author", "bio", "Rewritten."), EDITORS,
    ),
    "author: delete one you added": (
        deleted("/admin/articles/author/{pk}/delete/", "unused_author"), EDITORS,
    ),
    # Photos
    "photo: open the list": (listed("/admin/articles/photo/", "own_photo", "caption"), STAFF),
    "photo: view someone else's": (viewed(PHOTO, "others_photo", "Others photo"), STAFF),
    "photo: add": (
        added(ADD_PHOTO, Photo, caption="Uploaded", alt_text="A road", image=lambda w: upload()),
        STAFF,
    ),
    "photo: change own upload": (changed(PHOTO, "own_photo", "credit", "New Credit"), STAFF),
    "photo: change own upload, the lead photo of a published article": (
        changed(PHOTO, "own_live_photo", "caption", "Rewritten caption"), EDITORS,
    ),
    "photo: change the alt text of someone else's upload": (
        changed(PHOTO, "others_photo", "alt_text", "Something else"), EDITORS,
    ),
    "photo: replace the file of own upload": (file_replaced("own_photo"), STAFF),
    "photo: replace the file of a published article's lead photo": (
        file_replaced("own_live_photo"), EDITORS,
    ),
    "photo: delete own upload": (deleted("/admin/articles/photo/{pk}/delete/", "own_photo"), STAFF),
    "photo: delete own upload, the lead photo of a published article": (
        deleted("/admin/articles/photo/{pk}/delete/", "own_live_photo"), EDITORS,
    ),
    "photo: delete someone else's upload": (
        deleted("/admin/articles/photo/{pk}/delete/", "others_photo"), EDITORS,
    ),
    "photo: bulk delete someone else's upload (crafted)": (
        bulk_deleted("/admin/articles/photo/", "others_photo"), EDITORS,
    ),
    # Vocabularies
    "topic: open the list": (listed("/admin/publications/topic/", "spare_topic", "name"), STAFF),
    "topic: add": (
        added("/admin/publications/topic/add/", Topic, name="Tech", slug="tech"),
        EDITORS,
    ),
    "topic: change": (
        changed("/admin/publications/topic/{pk}/change/", "spare_topic", "name", "Renamed"),
        EDITORS,
    ),
    "topic: delete": (deleted("/admin/publications/topic/{pk}/delete/", "spare_topic"), EDITORS),
    "region: open the list": (
        listed("/admin/publications/region/", "spare_region", "name"), STAFF,
    ),
    "region: add": (
        added("/admin/publications/region/add/", Region, name="Mu", slug="mu"),
        EDITORS,
    ),
    "region: change": (
        changed("/admin/publications/region/{pk}/change/", "spare_region", "description", "Sunk."),
        EDITORS,
    ),
    "region: delete": (
        deleted("/admin/publications/region/{pk}/delete/", "spare_region"), EDITORS,
    ),
    "publication type: open the list": (
        listed("/admin/publications/publicationtype/", "spare_type", "name"), STAFF,
    ),
    "publication type: add": (
        added("/admin/publications/publicationtype/add/", PublicationType, name="M", slug="m"),
        EDITORS,
    ),
    "publication type: change": (
        changed(PUBLICATION_TYPE, "spare_type", "plural", "Spares"),
        EDITORS,
    ),
    "publication type: delete": (
        deleted("/admin/publications/publicationtype/{pk}/delete/", "spare_type"), EDITORS,
    ),
    # Revisions: through the article's history, never an admin of their own
    "revision: view someone else's history": (
        viewed("/admin/articles/article/{pk}/revisions/", "others_draft", "Revisions of"), STAFF,
    ),
    "revision: restore on own draft": (restored("own_draft"), STAFF),
    "revision: restore on someone else's draft": (restored("others_draft"), EDITORS),
    "revision: edit revisions directly": (
        lambda c, w: c.get("/admin/articles/revision/").status_code == 200, set(),
    ),
    # Users and groups
    "user: open the list": (listed("/admin/auth/user/", "someone", "username"), SUPERUSER),
    "user: add": (
        added(ADD_USER, User, username="newcomer", password1=PASSWORD, password2=PASSWORD),
        SUPERUSER,
    ),
    "user: change": (
        changed("/admin/auth/user/{pk}/change/", "someone", "first_name", "Renamed"), SUPERUSER,
    ),
    "user: make oneself a superuser (crafted)": (made_superuser, SUPERUSER),
    "user: delete": (deleted("/admin/auth/user/{pk}/delete/", "someone"), SUPERUSER),
    "group: open the list": (listed("/admin/auth/group/", "spare_group", "name"), SUPERUSER),
    "group: add": (
        added("/admin/auth/group/add/", Group, name="Guests"), SUPERUSER,
    ),
    "group: change": (
        changed("/admin/auth/group/{pk}/change/", "spare_group", "name", "Other"), SUPERUSER,
    ),
    "group: delete": (deleted("/admin/auth/group/{pk}/delete/", "spare_group"), SUPERUSER),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_may_do_only_what_the_matrix_allows(w, role, action):
    do, allowed = ACTIONS[action]
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    assert bool(do(client, w)) == (role in allowed), f"{role} / {action}"


def test_a_photo_records_its_uploader_whatever_the_post_claims(w):
    client = Client()
    client.force_login(w.writer)
    upload = SimpleUploadedFile("up.jpg", jpeg_bytes(64, 40), "image/jpeg")
    data = {"image": upload, "alt_text": "A road", "caption": "Mine", "uploaded_by": w.other.pk}
    assert client.post("/admin/articles/photo/add/", data).status_code == 302
    assert Photo.objects.get(caption="Mine").uploaded_by == w.writer


def test_an_author_sees_someone_elses_photo_without_a_save_button(w):
    client = Client()
    client.force_login(w.writer)
    page = client.get(f"/admin/articles/photo/{w.others_photo.pk}/change/").text
    assert "Others photo" in page
    assert 'name="_save"' not in page
    own = client.get(f"/admin/articles/photo/{w.own_photo.pk}/change/").text
    assert 'name="_save"' in own


def test_an_author_added_from_the_byline_popup_can_be_fixed_by_whoever_added_it(w):
    client = Client()
    client.force_login(w.writer)
    url = "/admin/articles/author/add/?_to_field=id&_popup=1"
    client.post(url, {"name": "Kadiatou Kieta", "slug": "kadiatou-keita", "_popup": "1"})
    added = Author.objects.get(slug="kadiatou-keita")
    assert added.created_by == w.writer
    fixed = {"name": "Kadiatou Keita", "slug": "kadiatou-keita", "role": "", "bio": ""}
    assert client.post(f"/admin/articles/author/{added.pk}/change/", fixed).status_code == 302
    added.refresh_from_db()
    assert added.name == "Kadiatou Keita"
