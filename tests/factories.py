"""The plain helpers shared by the tests (the fixtures are in conftest.py).

Helpers that make test data take overrides as keywords. Here too: a signed-in
client, the article forms as the admin posts them, a cache that records its
writes, and the accessibility check of the browser tests.
"""

import ast
import io
import json
import os
import struct
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import defaultdict
from datetime import timedelta
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import redis
from django.contrib.auth.models import Group, User
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

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


def signed_in_client(user):
    """A client of its own signed in as user, beside a test's anonymous `client`."""
    client = Client()
    client.force_login(user)
    return client


def article_form(**overrides):
    """What the add form posts for a new draft, its one byline row left to fill in.

    The button pressed is `_workflow` (a step of articles.workflow): “save” when left out.
    """
    data = {
        "title": "A new brief",
        "slug": "a-new-brief",
        "publication_type": PublicationType.objects.get(name="Peace Brief").pk,
        "summary": "What the brief argues.",
        "body": "<h2>First</h2><ul><li>One</li></ul>",
        "lead_photo": "",
        "topics": [Topic.objects.get(name="Gender").pk, Topic.objects.get(name="Youth").pk],
        "regions": [Region.objects.get(name="Mali").pk],
        "key_takeaways": "",
        "series": "",
        "series_number": "",
        "isbn": "",
        "doi": "",
        "language": "en",
        "translation_of": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-position": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        **edition_rows([]),
    }
    data.update(overrides)
    return data


def change_form(article, **overrides):
    """What the change form posts for article, as the browser would send it."""
    bylines = list(article.bylines.order_by("position"))
    data = {
        "title": article.title,
        "slug": article.slug,
        "publication_type": article.publication_type_id,
        "summary": article.summary,
        "body": article.body,
        "lead_photo": article.lead_photo_id or "",
        "topics": [t.pk for t in article.topics.all()],
        "regions": [r.pk for r in article.regions.all()],
        "key_takeaways": "\n".join(article.key_takeaways),
        "series": article.series_id or "",
        "series_number": article.series_number or "",
        "isbn": article.isbn,
        "doi": article.doi,
        "language": article.language,
        "translation_of": article.translation_of_id or "",
        "loaded_version": article.version,
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    for i, byline in enumerate(bylines):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-author": byline.author_id,
                f"bylines-{i}-position": byline.position,
            }
        )
    data.update(edition_rows(list(article.editions.all())))
    data.update(overrides)
    return data


def edition_rows(editions, new=0):
    """The PDF editions inline as the form posts it: editions as they are, new empty rows."""
    data = {
        "editions-TOTAL_FORMS": str(len(editions) + new),
        "editions-INITIAL_FORMS": str(len(editions)),
        "editions-MIN_NUM_FORMS": "0",
        "editions-MAX_NUM_FORMS": "1000",
    }
    for i, edition in enumerate(editions):
        data.update(
            {
                f"editions-{i}-id": edition.pk,
                f"editions-{i}-article": edition.article_id,
                f"editions-{i}-kind": edition.kind,
                f"editions-{i}-language": edition.language,
                f"editions-{i}-title": edition.title,
                f"editions-{i}-position": edition.position,
            }
        )
    for i in range(len(editions), len(editions) + new):
        data.update({f"editions-{i}-kind": "full", f"editions-{i}-language": "en"})
        data[f"editions-{i}-position"] = "0"
    return data


class RecordingCache(LocMemCache):
    """A local cache that notes every key written to (BACKEND "tests.factories.RecordingCache")."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self.written = []

    def add(self, key, *args, **kwargs):
        self.written.append(key)
        return super().add(key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        self.written.append(key)
        return super().set(key, *args, **kwargs)

    def incr(self, key, *args, **kwargs):
        self.written.append(key)
        return super().incr(key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        self.written.append(key)
        return super().delete(key, *args, **kwargs)


# Axe impacts that fail a page; "minor" and "moderate" ones are only reported.
BLOCKING_IMPACTS = {"serious", "critical"}


def run_axe(page):
    """Run axe-core (bundled by axe-playwright-python, nothing is downloaded) on page."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def describe_violations(violations):
    """One paragraph per violation: id, impact, help and the selectors of its elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(page):
    """Fail, listing them, if axe finds serious or critical violations on the page."""
    violations = run_axe(page)
    if violations:
        # Shown with -s, and in pytest's captured output when a test fails.
        print(f"axe on {page.url}:\n{describe_violations(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"Serious or critical accessibility violations on {page.url} "
        f"(fix them in the templates or CSS):\n{describe_violations(blocking)}"
    )


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
    status, headers, body = fetch_bytes(url, headers)
    return status, headers, body.decode()


def fetch_bytes(url, headers=None):
    """(status, headers, body as sent: compressed if it was) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# --- Hostile and awkward image files, made in the test ----------------------


def png_claiming(width, height):
    """A tiny PNG whose header claims width × height pixels.

    It holds a few bytes of image data only: a decoder that trusted the header
    and allocated the image would need gigabytes.
    """

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def gps_exif():
    """EXIF naming a camera, its serial number and where the picture was taken."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5 SN-0042"  # Model
    exif[ExifTags.IFD.GPSInfo] = {
        1: "N",
        2: (38.0, 53.0, 42.0),
        3: "W",
        4: (77.0, 2.0, 11.0),
    }
    return exif


def noisy_jpeg(size=(400, 300)):
    """A photo-like JPEG whose scan data is large enough to cut in half."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def jpeg_with_location(width=640, height=480):
    """A JPEG carrying GPS EXIF and an IPTC block (APP13) naming the city."""
    data = jpeg_bytes(width, height, exif=gps_exif())
    iptc = b"\x1c\x02\x5a" + struct.pack(">H", 6) + b"Bamako"  # 2:90 City
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\x00" + resource
    app13 = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    return data[:2] + app13 + data[2:]


def animated_gif(frames=3, size=(64, 64)):
    images = [Image.new("P", size, color) for color in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot_jpeg():
    """A valid JPEG that is also HTML (in its comment) and a ZIP archive (appended)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", HTML_PAYLOAD)
    return jpeg_bytes(comment=HTML_PAYLOAD) + archive.getvalue()


def stored_bytes(name):
    """The bytes default storage holds under name."""
    with default_storage.open(name) as stored:
        return stored.read()


def post_author(client, portrait, name="portrait.jpg", **fields):
    """Add an author through the admin's form, with portrait (bytes) as the upload."""
    data = {
        "name": "Kadiatou Keita",
        "slug": "kadiatou-keita",
        "role": "a USIP security governance expert based in Mali",
        "bio": "",
        "portrait": SimpleUploadedFile(name, portrait, "image/jpeg"),
        **fields,
    }
    return client.post("/admin/articles/author/add/", data)


def rendition_files(renditions):
    """Every file name in a renditions list (Photo.renditions, Author.portrait_renditions)."""
    return [entry[key] for entry in renditions for key in ("avif", "webp", "jpeg") if key in entry]


# Variables a run of the settings must not inherit from the shell running the tests.
SETTINGS_VARIABLES = {"DEBUG", "SECRET_KEY", "SITE_URL", "HOST", "PORT", "REDIS_URL", "PAGE_CACHE"}


def run_with_environment(code, **env):
    """Run Python code in a fresh interpreter at the project root, with env.

    Settings are read from the environment once, at import, so a different
    environment needs a process of its own.
    """
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.update(env, DJANGO_SETTINGS_MODULE="usip_cms.settings")
    return subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
    )


def form_fields(html):
    """(name, value) of every input, textarea and selected option of the page's
    forms, as a browser would post them (buttons and file inputs left out)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.textarea, self.select = [], None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                    self.fields.append((attrs.get("name"), attrs.get("value", "")))
            elif tag == "textarea":
                self.textarea = [attrs.get("name"), ""]
            elif tag == "select":
                self.select = attrs.get("name")
            elif tag == "option" and self.select and "selected" in attrs:
                self.fields.append((self.select, attrs.get("value", "")))

        def handle_data(self, data):
            if self.textarea:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "textarea" and self.textarea:
                name, value = self.textarea
                # As browsers do: a newline right after <textarea> is not content.
                self.fields.append((name, value.removeprefix("\n")))
                self.textarea = None
            elif tag == "select":
                self.select = None

    parser = Fields()
    parser.feed(html)
    return [(name, value) for name, value in parser.fields if name]


def hangs(method):
    def call(self, *args, **kwargs):
        self.calls += 1
        if self.hung:
            raise redis.exceptions.TimeoutError("Timeout reading from socket")
        return method(self, *args, **kwargs)

    return call


class HangingCache(LocMemCache):
    """A local cache that can be made to fail as a hung Redis does: while
    `hung`, every call raises redis' TimeoutError. `calls` counts the calls.
    (BACKEND "tests.factories.HangingCache")"""

    def __init__(self, name, params):
        super().__init__(name, params)
        self.hung = False
        self.calls = 0

    get, set, add, incr = (
        hangs(getattr(LocMemCache, name)) for name in ("get", "set", "add", "incr")
    )


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


def two_desks():
    """Two desks' articles that share nothing, and five newer ones elsewhere.

    Mali's Transition (Global Policy, Mali, Kadiatou Keita, Analysis) and
    Colombia's Peace Accord (Reconciliation, Colombia, Diego Rivera, Report);
    the five newer articles (Economics, Haiti, Blog) fill the "Latest" cards of
    both pages, so neither article's page shows the other. Returns the two.
    """
    mali = make_article(
        "Mali's Transition", slug="malis-transition",
        authors=[make_author("Kadiatou Keita", slug="kadiatou-keita")],
        topics=["Global Policy"], regions=["Mali"],
        lead_photo=make_photo(caption="Troops on patrol near Ménaka."),
        published_at=timezone.now() - timedelta(days=10),
    )  # fmt: skip
    colombia = make_article(
        "Colombia's Peace Accord", slug="colombias-peace-accord", type_name="Report",
        authors=[make_author("Diego Rivera", slug="diego-rivera")],
        topics=["Reconciliation"], regions=["Colombia"],
        published_at=timezone.now() - timedelta(days=9),
    )  # fmt: skip
    for day in range(1, 6):
        make_article(
            f"Haiti Notes {day}", type_name="Blog", topics=["Economics"], regions=["Haiti"],
            published_at=timezone.now() - timedelta(days=day),
        )  # fmt: skip
    return mali, colombia


def get_page(client, url):
    """A page that must be there (200)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def served_from_cache(client, url):
    """Whether the page cache answered (X-Cache: HIT), the page must be there."""
    return get_page(client, url).get("X-Cache") == "HIT"


def totp_code(device, at=None):
    """The 6-digit code an authenticator app shows for a TOTPDevice now (or at
    the Unix time `at`), computed here from its key as RFC 6238 says, not by
    the library under test."""
    import hashlib
    import hmac
    import struct
    import time

    counter = int((time.time() if at is None else at) - device.t0) // device.step
    digest = hmac.new(bytes.fromhex(device.key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**device.digits:0{device.digits}d}"


def make_authenticator(user):
    """A confirmed TOTP device (an enrolled authenticator app) for the user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


# --- Reports: series and PDFs, sound and hostile ------------------------------


def make_series(name="Special Reports", prefix="SR", type_name="Special Report", **fields):
    from publications.models import Series

    fields.setdefault("slug", name.lower().replace(" ", "-"))
    publication_type = PublicationType.objects.get(name=type_name)
    return Series.objects.create(
        name=name, prefix=prefix, publication_type=publication_type, **fields
    )


def pdf_bytes(pages=2, text="Special Report"):
    """A plain PDF (drawn with Pillow) of pages US Letter pages, each saying its number."""
    from PIL import ImageDraw

    images = []
    for number in range(1, pages + 1):
        image = Image.new("L", (425, 550), 255)
        ImageDraw.Draw(image).text((40, 40), f"{text}, page {number}", fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=50)
    return buffer.getvalue()


def pdf_altered(change, pages=2):
    """pdf_bytes() rewritten by pypdf after change(writer) has added something to it."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(pages)))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pdf_dict(**entries):
    """A pypdf dictionary from keyword entries: S="/JavaScript" → /S /JavaScript."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def value(v):
        if isinstance(v, str):
            return NameObject(v) if v.startswith("/") else TextStringObject(v)
        return v

    return DictionaryObject({NameObject(f"/{k}"): value(v) for k, v in entries.items()})


def _annotate(writer, annotation):
    from pypdf.generic import ArrayObject, NameObject

    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _js(writer):
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert('hello');"))


def _open_js(writer):
    from pypdf.generic import NameObject

    action = _pdf_dict(S="/JavaScript", JS="app.alert('hello');")
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _open_uri(writer):
    from pypdf.generic import NameObject

    writer.root_object[NameObject("/OpenAction")] = _pdf_dict(S="/URI", URI="https://e.test/")


def _page_open_action(writer):
    from pypdf.generic import NameObject

    action = _pdf_dict(S="/JavaScript", JS="app.alert('page');")
    writer.pages[0][NameObject("/AA")] = _pdf_dict(O=action)


def _launch(writer):
    from pypdf.generic import ArrayObject, FloatObject

    rect = ArrayObject([FloatObject(n) for n in (10, 10, 100, 40)])
    launch = _pdf_dict(S="/Launch", F="calc.exe")
    _annotate(writer, _pdf_dict(Type="/Annot", Subtype="/Link", Rect=rect, A=launch))


def _outline_js(writer):
    # Hidden where no page shows it: a bookmark that runs a script.
    from pypdf.generic import NameObject

    item = writer.add_outline_item(title="Chapter 1", page_number=0)
    item.get_object()[NameObject("/A")] = _pdf_dict(S="/JavaScript", JS="app.alert(1);")


def _attachment(writer):
    writer.add_attachment("notes.txt", b"hidden notes")


def _form(writer):
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    rect = ArrayObject([FloatObject(n) for n in (10, 10, 200, 40)])
    field = writer._add_object(
        _pdf_dict(Type="/Annot", Subtype="/Widget", FT="/Tx", T="name", Rect=rect)
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([field])
    writer.root_object[NameObject("/AcroForm")] = _pdf_dict(Fields=ArrayObject([field]))


# name: (what is added, the words the refusal must say)
HOSTILE_PDFS = {
    "document JavaScript": (_js, "JavaScript"),
    "JavaScript on opening": (_open_js, "actions that run by themselves when it is opened"),
    "a link on opening": (_open_uri, "actions that run by themselves when it is opened"),
    "JavaScript when a page opens": (_page_open_action, "actions that run by themselves"),
    "a launch action": (_launch, "actions that launch a program or open another file"),
    "JavaScript in a bookmark": (_outline_js, "JavaScript"),
    "an embedded file": (_attachment, "embedded files"),
    "a form": (_form, "form fields"),
}


def encrypted_pdf(user_password=""):
    """pdf_bytes() encrypted (RC4, which pypdf writes without extra packages)."""
    return pdf_altered(
        lambda writer: writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    )


def pdf_upload(data=None, name="Final report (v3).PDF"):
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, "application/pdf")


def make_edition(article, data=None, **fields):
    """A PDF edition of article (pdf_bytes() unless data is given), checked and saved."""
    from django.core.files.base import ContentFile

    from articles.models import Edition

    data = pdf_bytes() if data is None else data
    return Edition.objects.create(
        article=article, file=ContentFile(data, name="report.pdf"), **fields
    )


class FailingEmailBackend:
    """An email backend whose server refuses every message
    (settings.MAILERS BACKEND "tests.factories.FailingEmailBackend")."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


# --- The admin in a real browser (Playwright) ---------------------------------


class ConsoleLog:
    """Console errors and uncaught exceptions of the pages of a context.

    A Content Security Policy that blocks a script, or a widget that throws,
    shows up here rather than as a clear failure of the step that needs it.
    """

    def __init__(self, context):
        self.messages = []
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))

    def on_console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.messages.append(f"{message.type}: {message.text} ({where})")

    def errors(self):
        # The site has no favicon; the browser asks for one anyway.
        return [m for m in self.messages if "favicon.ico" not in m]


def open_page(page, live_server, path, status=200):
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == status, (
        f"{path} answered {response and response.status}, expected {status}"
    )
    page.wait_for_load_state("networkidle")
    return response


def log_in(page, live_server, username):
    from playwright.sync_api import expect

    open_page(page, live_server, "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Write, tag and publish")).to_be_visible()


def press_button(page, name, success_message):
    """Press the form's button called name; the page that follows must say success_message."""
    from playwright.sync_api import expect

    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("button", name=name, exact=True).click()
    # Each error with the class of its form row, which names the field.
    errors = page.locator(".errornote, .errorlist").evaluate_all(
        "nodes => nodes.map(n => (n.closest('[class*=field-]') || n).className"
        " + ': ' + n.innerText)"
    )
    assert not errors, f"the form was refused: {errors}"
    expect(page.locator(".messagelist .success")).to_contain_text(success_message)


def choose_in_autocomplete(page, row, typed, option, exact=True):
    """Open the select2 widget in the form row, type, and pick the offered option
    (exact=False: the option whose name contains option)."""
    from playwright.sync_api import expect

    row.locator(".select2-selection").click()
    # The search box sits in the dropdown (a single choice, appended to the
    # body) or inline in the widget (several choices); either way it has focus.
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    search.press_sequentially(typed)
    results = page.locator(".select2-container--open .select2-results")
    choice = results.get_by_role("option", name=option, exact=exact)
    expect(choice).to_be_visible()
    choice.click()
    expect(page.locator(".select2-container--open")).to_have_count(0)


def assert_no_violations(page):
    """Fail, listing them, if axe finds any violation at all on the page, whatever its impact."""
    violations = run_axe(page)
    assert not violations, (
        f"Accessibility violations on {page.url}:\n{describe_violations(violations)}"
    )


class PageHead(HTMLParser):
    """What a page tells browsers, search engines and sharing cards.

    title (text), meta ({name or property: [content…]}), links ({rel: [href…]}),
    json_ld (every JSON-LD block, parsed), and the elements of the body as
    (tag, attributes) in document order (elements).
    """

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.title, self.meta, self.links, self.json_ld, self.elements = "", {}, {}, [], []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in, self._text = tag, ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._in == "title":
            self.title = self._text
        elif tag == self._in == "script":
            self.json_ld.append(json.loads(self._text))
        if tag == self._in:
            self._in = None

    def of_type(self, schema_type):
        """The JSON-LD blocks whose @type is schema_type."""
        return [data for data in self.json_ld if data.get("@type") == schema_type]


def make_featured(*articles):
    """Feature articles on the home page in the order given."""
    from publications.models import Featured

    return [Featured.objects.create(article=a, position=i) for i, a in enumerate(articles)]


def grid_gaps(page):
    """For each .cards grid on a browser page: how many slots of its last row are empty.

    A row is the cards sharing a top edge; a slot is empty when the row's
    cards end short of the grid's right edge.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll('.cards')].map(grid => {
            const cards = [...grid.children].filter(c => c.classList.contains('card'));
            if (!cards.length) return 0;
            const right = grid.getBoundingClientRect().right;
            const rows = {};
            for (const card of cards) {
                const box = card.getBoundingClientRect();
                const top = Math.round(box.top);
                rows[top] = Math.max(rows[top] || 0, box.right);
            }
            return Object.values(rows).filter(end => right - end > 2).length;
        })"""
    )
