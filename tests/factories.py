"""Small helpers that make test data; each takes overrides as keywords."""

import io
import struct
import zipfile
import zlib
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
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
    return [name for entry in renditions for name in (entry["webp"], entry["jpeg"])]
