"""A photo's focal point: set by a click in the admin, kept in view by the social
card cut from the photo and by the article page's crop of a portrait photo."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import crop_box
from tests.factories import admin_form_data, make_article, make_photo

pytestmark = pytest.mark.django_db


def two_halves(width=1200, height=400):
    """A JPEG whose left half is red and right half blue."""
    image = Image.new("RGB", (width, height), (200, 0, 0))
    image.paste((0, 0, 200), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("halves.jpg", buffer.getvalue(), "image/jpeg")


def middle_colour(photo):
    with default_storage.open(photo.social_image["name"]) as stored:
        social = Image.open(stored).convert("RGB")
        return social.getpixel((social.width // 2, social.height // 2))


@pytest.mark.parametrize(
    "size,focal,box",
    [
        pytest.param((1000, 1000), (0.5, 0.5), (0, 238, 1000, 763), id="square, centred"),
        pytest.param((1000, 1000), (0.5, 0.0), (0, 0, 1000, 525), id="square, top"),
        pytest.param((3000, 1000), (0.9, 0.5), (1095, 0, 3000, 1000), id="wide, right edge"),
        pytest.param((3000, 1000), (0.1, 0.5), (0, 0, 1905, 1000), id="wide, left edge"),
    ],
)
def test_the_crop_keeps_the_focal_point_in_view_within_the_picture(size, focal, box):
    assert crop_box(*size, *focal, 1200 / 630) == box


@pytest.mark.parametrize("focal_x,colour", [(0.05, "red"), (0.95, "blue")])
def test_the_social_card_is_cut_around_the_focal_point(focal_x, colour):
    photo = make_photo(image=two_halves(), focal_x=focal_x)
    assert (photo.social_image["width"], photo.social_image["height"]) == (762, 400)
    red, _, blue = middle_colour(photo)
    assert (red > blue) == (colour == "red")


def test_moving_the_focal_point_in_the_admin_recuts_the_card(editor_client):
    photo = make_photo(image=two_halves(), focal_x=0.05)
    old = photo.social_image["name"]
    url = f"/admin/articles/photo/{photo.pk}/change/"
    page = editor_client.get(url)
    assert "articles/photo_focal.js" in page.text and 'name="focal_x"' in page.text
    response = editor_client.post(url, admin_form_data(page, focal_x="0.95", focal_y="0.5"))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_x == 0.95 and photo.social_image["name"] != old
    assert not default_storage.exists(old)
    red, _, blue = middle_colour(photo)
    assert blue > red


def test_a_focal_point_outside_the_picture_is_refused(editor_client):
    photo = make_photo()
    url = f"/admin/articles/photo/{photo.pk}/change/"
    response = editor_client.post(url, admin_form_data(editor_client.get(url), focal_x="1.5"))
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 1" in response.text


def test_a_portrait_lead_photo_is_cropped_around_its_focal_point_on_the_page(client):
    upright = SimpleUploadedFile("tall.jpg", _jpeg(600, 900), "image/jpeg")
    make_article(slug="tall", lead_photo=make_photo(image=upright, focal_x=0.3, focal_y=0.2))
    make_article(slug="wide", lead_photo=make_photo())
    assert 'class="is-portrait fx-3 fy-2"' in client.get("/publications/tall/").text
    assert "is-portrait" not in client.get("/publications/wide/").text


def _jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()
