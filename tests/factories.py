"""Small helpers that make test data; each takes overrides as keywords."""

import ast
import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import timedelta
from html.parser import HTMLParser
from itertools import count
from urllib.parse import parse_qsl, urlsplit

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


class _HTMLReading(HTMLParser):
    """A text read as HTML: the elements it makes and the text it shows."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements, self.shown = [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.shown.append(data)


def as_feed_reader_shows(content):
    """A feed (RSS or Atom bytes) as a feed reader shows it: {element name: [text…]}.

    The XML is parsed; elements that readers render as HTML (RSS description,
    Atom elements marked type="html") are then parsed as HTML, and the elements
    that HTML would make are listed under "markup" (it should stay empty for
    plain stored text). Atom categories show their term.
    """
    root = ET.fromstring(content)  # noqa: S314 - our own output
    shown = defaultdict(list)
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        text = element.text or ""
        if element.get("type") == "html" or (root.tag == "rss" and name == "description"):
            reading = _HTMLReading(text)
            shown["markup"] += reading.elements
            text = "".join(reading.shown)
        shown[name].append(element.get("term", text))
    return shown


def sitemap_locations(client):
    """Every location the sitemap lists, following its index (each file must be 200 and XML)."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = []
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    for section in ET.fromstring(index.content):  # noqa: S314 - our own output
        url = urlsplit(section.findtext(f"{ns}loc"))
        response = client.get(url.path, dict(parse_qsl(url.query)))
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # noqa: S314 - our own output
        locations += [urlsplit(entry.findtext(f"{ns}loc")).path for entry in root]
    return locations


def imported_modules(path, root):
    """The modules the Python file at path (under root) imports, at any depth
    (inside functions too), with import_module("…") calls.

    ``from a import b`` counts as a and as a.b, since b may be a module;
    relative imports are resolved against the file's package.
    """
    package = list(path.relative_to(root).with_suffix("").parts)[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found
