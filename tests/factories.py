"""Small helpers that make test data; each takes overrides as keywords."""

import io
import urllib.error
import urllib.request
from datetime import timedelta
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


def fetch(url, headers=None):
    """(status, headers, text) of a GET from a real server, errors included."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
