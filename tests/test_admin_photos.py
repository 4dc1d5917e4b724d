"""Uploading photos in the admin: refused with a reason, or stored clean."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Photo
from tests.factories import jpeg_bytes, png_claiming

pytestmark = pytest.mark.django_db


def upload(client, content, name="photo.jpg", **fields):
    data = {
        "image": SimpleUploadedFile(name, content, "image/jpeg"),
        "alt_text": "A patrol on a ridge",
        "caption": "Troops on patrol.",
        "credit": "Jane Doe/Agency",
        **fields,
    }
    return client.post("/admin/articles/photo/add/", data)


def test_text_file_renamed_jpg_is_refused_with_a_reason(author_client):
    response = upload(author_client, b"just some text, not a picture")
    assert response.status_code == 200
    # Django's image field decodes first and words the refusal itself.
    assert "Upload a valid image" in response.text
    assert not Photo.objects.exists()


def test_gif_is_refused_with_a_reason(author_client):
    response = upload(author_client, jpeg_bytes(fmt="GIF"), name="photo.gif")
    assert response.status_code == 200
    assert "This is not a JPEG, PNG or WebP image." in response.text
    assert not Photo.objects.exists()


def test_refusal_names_only_the_formats_accepted(author_client):
    # Pillow reads TIFF, and Django used to answer with Pillow's whole list
    # of extensions (blp, bmp, dds, …) for a name it did not expect.
    response = upload(author_client, jpeg_bytes(fmt="TIFF"), name="scan.tif.txt")
    assert response.status_code == 200
    assert (
        "This is not a JPEG, PNG or WebP image. Upload a valid image in one of those formats."
        in response.text
    )
    assert "Allowed extensions" not in response.text
    assert "bmp" not in response.text
    assert not Photo.objects.exists()


def test_photo_with_an_unexpected_extension_is_accepted_for_what_it_is(author_client):
    response = upload(author_client, jpeg_bytes(), name="IMG_0042.jpg_large")
    assert response.status_code == 302
    assert Photo.objects.get().image.name.endswith(".jpg")


def test_decompression_bomb_gets_the_pixel_limit_message(author_client):
    response = upload(author_client, png_claiming(30000, 30000), name="bomb.png")
    assert response.status_code == 200
    assert "The image has far too many pixels; the limit is 40 megapixels." in response.text
    assert "Upload a valid image" not in response.text
    assert not Photo.objects.exists()


def test_missing_alt_text_is_a_form_error(author_client):
    response = upload(author_client, jpeg_bytes(), alt_text="")
    assert response.status_code == 200
    assert "Describe the photo for readers who cannot see it" in response.text
    assert not Photo.objects.exists()


def test_uploaded_photo_loses_its_gps_and_camera_metadata(author_client):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0110] = "CameraModel"
    exif[0x8825] = {1: "N", 2: (14.0, 30.0, 0.0), 3: "W", 4: (4.0, 12.0, 0.0)}
    response = upload(author_client, jpeg_bytes(exif=exif.tobytes()))
    assert response.status_code == 302
    photo = Photo.objects.get()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info
    with open(photo.image.path, "rb") as stored_bytes:
        assert b"CameraMaker" not in stored_bytes.read()
    assert (photo.width, photo.height) == (640, 400)
    assert photo.renditions and photo.renditions[0]["width"] == 480


def test_decorative_photo_needs_no_alt_text(author_client):
    response = upload(author_client, jpeg_bytes(), alt_text="", is_decorative="on")
    assert response.status_code == 302
    assert Photo.objects.get().is_decorative
