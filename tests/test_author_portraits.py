"""Author portraits: the same checks, re-encoding and renditions as photos.

The lowest staff role may add authors, and the portrait is shown on the
public author page, so hostile files are tried through the admin's author add
form as that role.
"""

import importlib
import io
import re
import zipfile

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Author
from tests.factories import (
    HTML_PAYLOAD,
    animated_gif,
    jpeg_bytes,
    jpeg_with_location,
    make_article,
    make_author,
    make_staff,
    noisy_jpeg,
    png_claiming,
    polyglot_jpeg,
    post_author,
    rendition_files,
    stored_bytes,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
NOT_OURS = "This is not a JPEG, PNG or WebP image. Upload a valid image in one of those formats."
STORED_NAME = r"portraits/\d{4}/[0-9a-f]{32}\.jpg"


REFUSED = {
    "tiff": ("scan.tif", lambda: jpeg_bytes(fmt="TIFF"), NOT_OURS),
    "animated gif": ("hello.gif", animated_gif, NOT_OURS),
    "truncated jpeg": (
        "cut.jpg",
        lambda: noisy_jpeg()[:9000],
        "The image file is damaged or incomplete. Please export it again and re-upload it.",
    ),
    "25 MB file": (
        "huge.jpg",
        lambda: jpeg_bytes() + bytes(25 * MB - len(jpeg_bytes())),
        "The file is 25 MB; the limit is 15 MB.",
    ),
    "decompression bomb": (
        "bomb.png",
        lambda: png_claiming(30000, 30000),
        "The image has far too many pixels; the limit is 40 megapixels.",
    ),
}


@pytest.mark.parametrize("name, make, message", REFUSED.values(), ids=REFUSED.keys())
def test_unacceptable_portrait_is_refused_with_a_reason(
    writer_client, settings, name, make, message
):
    response = post_author(writer_client, make(), name=name)

    assert response.status_code == 200
    assert message in response.text
    assert not Author.objects.exists()
    # What was typed stays in the form; nothing was stored.
    assert 'value="Kadiatou Keita"' in response.text
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_portrait_loses_gps_camera_and_iptc_location(writer_client):
    upload = jpeg_with_location()
    assert b"Bamako" in upload and b"Canon" in upload  # the test file carries them

    response = post_author(writer_client, upload)

    assert response.status_code == 302
    author = Author.objects.get()
    for name in [author.portrait.name, *rendition_files(author.portrait_renditions)]:
        data = stored_bytes(name)
        for needle in (b"Exif", b"Canon", b"SN-0042", b"Photoshop", b"8BIM", b"Bamako"):
            assert needle not in data, (name, needle)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(lambda: jpeg_bytes() + HTML_PAYLOAD, id="html appended"),
        pytest.param(polyglot_jpeg, id="jpeg, html and zip polyglot"),
    ],
)
def test_portrait_carrying_html_or_an_archive_is_stored_as_a_plain_jpeg(writer_client, payload):
    data = payload()
    assert b"<script>" in data

    response = post_author(writer_client, data)

    assert response.status_code == 302
    author = Author.objects.get()
    for name in [author.portrait.name, *rendition_files(author.portrait_renditions)]:
        stored = stored_bytes(name)
        assert b"<script" not in stored and b"<html" not in stored
        assert not zipfile.is_zipfile(io.BytesIO(stored))
    assert Image.open(io.BytesIO(stored_bytes(author.portrait.name))).format == "JPEG"


def test_portrait_is_stored_under_a_random_name(writer_client):
    post_author(writer_client, jpeg_bytes(800, 800), name="keita-at-home-in-bamako.jpg")
    author = Author.objects.get()
    assert re.fullmatch(STORED_NAME, author.portrait.name)
    for name in [author.portrait.name, *rendition_files(author.portrait_renditions)]:
        assert "keita" not in name and "bamako" not in name


def test_author_page_shows_the_portrait_from_its_renditions(writer_client, client):
    post_author(writer_client, jpeg_bytes(1000, 1000))
    author = Author.objects.get()
    make_article(authors=[author])
    client.logout()

    page = client.get("/people/kadiatou-keita/").text

    small, medium, large = author.portrait_renditions
    assert [(r["width"], r["height"]) for r in (small, medium, large)] == [
        (160, 160), (320, 320), (480, 480),
    ]  # fmt: skip
    assert (
        f'<source type="image/webp" srcset="/media/{small["webp"]} 160w, '
        f'/media/{medium["webp"]} 320w, /media/{large["webp"]} 480w" sizes="160px">'
    ) in page
    assert f'src="/media/{small["jpeg"]}" srcset="/media/{small["jpeg"]} 160w, ' in page
    assert 'alt="Portrait of Kadiatou Keita" width="160" height="160"' in page
    # The stored copy itself is not what readers download.
    assert author.portrait.url not in page


def test_replacing_the_portrait_changes_every_rendition_url_and_clearing_removes_them(client):
    client.force_login(make_staff("editor", "Editors"))
    post_author(client, jpeg_bytes(600, 600))
    author = Author.objects.get()
    first = rendition_files(author.portrait_renditions)
    change = f"/admin/articles/author/{author.pk}/change/"
    fields = {"name": author.name, "slug": author.slug, "role": author.role, "bio": ""}

    replacement = SimpleUploadedFile("new.jpg", jpeg_bytes(600, 600, color=(9, 9, 9)))
    response = client.post(change, {**fields, "portrait": replacement})
    assert response.status_code == 302
    author.refresh_from_db()
    second = rendition_files(author.portrait_renditions)
    assert len(second) == len(first) == 9  # 3 widths in AVIF, WebP and JPEG
    assert not set(first) & set(second)
    assert not any(default_storage.exists(name) for name in first)

    response = client.post(change, {**fields, "portrait-clear": "on"})
    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.portrait and author.portrait_renditions == []
    assert not any(default_storage.exists(name) for name in second)


def test_migration_cleans_portraits_stored_before(django_capture_on_commit_callbacks):
    # As the old code stored them: the uploader's file, byte for byte, under its own name.
    kept, refused = make_author(), make_author()
    kept_name = default_storage.save(
        "portraits/2024/kadiatou-keita.jpg", ContentFile(jpeg_with_location(900, 600))
    )
    tiff = ContentFile(jpeg_bytes(fmt="TIFF"))
    refused_name = default_storage.save("portraits/2024/scan.tif", tiff)
    Author.objects.filter(pk=kept.pk).update(portrait=kept_name)
    Author.objects.filter(pk=refused.pk).update(portrait=refused_name)
    migration = importlib.import_module("articles.migrations.0006_random_image_names")

    with django_capture_on_commit_callbacks(execute=True):
        migration.reencode_stored_images(django_apps, None)

    kept.refresh_from_db()
    refused.refresh_from_db()
    assert re.fullmatch(STORED_NAME, kept.portrait.name)
    assert (kept.portrait_width, kept.portrait_height) == (900, 600)
    assert b"Bamako" not in stored_bytes(kept.portrait.name)
    assert [r["width"] for r in kept.portrait_renditions] == [160, 320, 480]
    assert all(default_storage.exists(name) for name in rendition_files(kept.portrait_renditions))
    # A file that is not a sound image is never served again.
    assert not refused.portrait and refused.portrait_renditions == []
    assert not default_storage.exists(kept_name) and not default_storage.exists(refused_name)
