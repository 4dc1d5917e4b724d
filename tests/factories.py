"""Small helpers that make test data; each takes overrides as keywords."""

import io
from datetime import timedelta
from html.parser import HTMLParser
from itertools import count

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Author, Photo
from publications.models import PublicationType, Region, Topic

_serial = count(1)

# make_article() overrides for each way an article is not public yet.
UNPUBLISHED = [
    pytest.param({"status": Article.Status.DRAFT}, id="draft"),
    pytest.param({"status": Article.Status.REVIEW}, id="review"),
    pytest.param({"published_at": timezone.now() + timedelta(hours=2)}, id="scheduled"),
]


def jpeg_bytes(width=640, height=400, color=(40, 90, 140), fmt="JPEG", **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


STAFF_PASSWORD = "pw-for-tests-1"


def make_staff(username, group):
    """A staff user in the Authors or Editors group (made by a migration)."""
    user = User.objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_author(name=None, **fields):
    n = next(_serial)
    name = name or f"Author {n}"
    fields.setdefault("slug", f"author-{n}")
    fields.setdefault("role", "a senior expert on peace processes")
    return Author.objects.create(name=name, **fields)


def make_photo(**fields):
    n = next(_serial)
    fields.setdefault("image", SimpleUploadedFile(f"photo-{n}.jpg", jpeg_bytes(), "image/jpeg"))
    fields.setdefault("alt_text", "Soldiers walk along a dirt road")
    fields.setdefault("caption", "Troops on patrol near Ménaka.")
    fields.setdefault("credit", "Jane Doe/Agency")
    return Photo.objects.create(**fields)


def make_article(title=None, *, authors=(), topics=(), regions=(), type_name="Analysis", **fields):
    """A published article from an hour ago unless told otherwise."""
    n = next(_serial)
    title = title or f"Article {n}"
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("body", "<p>Body text.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    fields.setdefault("publication_type", PublicationType.objects.get(name=type_name))
    article = Article.objects.create(title=title, **fields)
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    if topics:
        article.topics.add(*[Topic.objects.get(name=name) for name in topics])
    if regions:
        article.regions.add(*[Region.objects.get(name=name) for name in regions])
    return article


def make_superuser(username="root"):
    return User.objects.create_superuser(username, password=STAFF_PASSWORD)


class _AdminFormFields(HTMLParser):
    """Collects the fields of the admin's main form the way a browser sends them."""

    SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = {}
        self.in_form = False
        self.select = None  # (name, multiple, first option value)
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self.in_form = True
        name = attrs.get("name") or ""
        if not self.in_form or "__prefix__" in name:  # skip the inlines' "add another" template
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            ticked = kind in {"checkbox", "radio"}
            if kind in self.SKIPPED_INPUTS or (ticked and "checked" not in attrs):
                return
            value = attrs.get("value")
            self.data.setdefault(name, []).append(
                ("on" if ticked else "") if value is None else value
            )
        elif tag == "select" and name:
            self.select = [name, "multiple" in attrs, None]
            self.data[name] = []
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[2] = value if self.select[2] is None else self.select[2]
            if "selected" in attrs:
                self.data[self.select[0]].append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            name, multiple, first = self.select
            if not multiple and not self.data[name] and first is not None:
                self.data[name] = [first]  # a browser sends the first option
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea>.
            self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None


def admin_form_data(response, **changes):
    """What the admin page in response posts when saved unchanged, with changes applied.

    Read from the page's HTML, as a browser would: taken from a superuser's
    page and posted by someone else, it is the crafted POST of a user who
    sees no form (or fewer fields).
    """
    parser = _AdminFormFields()
    parser.feed(response.content.decode())
    data = {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
    data.update(changes)
    return data
