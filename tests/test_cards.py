"""Publication cards: the lead photo's thumbnail in AVIF, WebP and JPEG, or a plain panel."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.images import write_renditions
from articles.models import Photo
from tests.factories import PageHead, jpeg_bytes, make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


def cards(html):
    return re.findall(r'<article class="card">.*?</article>', html, re.DOTALL)


def wide_photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return make_photo(image=SimpleUploadedFile("wide.jpg", jpeg_bytes(1300, 650), "image/jpeg"))


def test_a_card_shows_the_lead_photo_as_a_picture_in_three_formats(client):
    photo = wide_photo()
    make_article("Pictured", lead_photo=photo)

    [card] = cards(client.get("/publications/").text)

    assert "<picture>" in card
    sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)" sizes="([^"]+)">', card)
    assert [kind for kind, _, _ in sources] == ["image/avif", "image/webp"]
    avif = sources[0][1]
    assert avif == ", ".join(f"/media/{r['avif']} {r['width']}w" for r in photo.renditions)
    # The img: the narrowest JPEG, every JPEG as srcset, the same sizes, its own size.
    [img] = [attrs for tag, attrs in PageHead(card).elements if tag == "img"]
    narrowest = photo.renditions[0]
    assert img["src"] == f"/media/{narrowest['jpeg']}"
    assert img["srcset"].startswith(f"/media/{narrowest['jpeg']} 480w, ")
    assert img["sizes"] == sources[0][2]
    assert (img["width"], img["height"]) == ("480", "240")
    # Decorative: the title beside it is the link and says it all.
    assert img["alt"] == ""


def test_every_rendition_is_really_in_its_format(client):
    photo = wide_photo()
    for entry in photo.renditions:
        for key, fmt in (("avif", "AVIF"), ("webp", "WEBP"), ("jpeg", "JPEG")):
            with default_storage.open(entry[key]) as stored:
                image = Image.open(io.BytesIO(stored.read()))
                assert (image.format, image.width) == (fmt, entry["width"])


def test_the_first_card_of_a_list_loads_at_once_and_the_others_lazily(client):
    photo = make_photo()
    for _ in range(4):
        make_article(lead_photo=photo)

    for url in ("/publications/", "/types/analysis/"):
        imgs = [
            attrs
            for card in cards(client.get(url).text)
            for tag, attrs in PageHead(card).elements
            if tag == "img"
        ]
        assert [img.get("loading") for img in imgs] == [None, "lazy", "lazy", "lazy"], url


def test_cards_below_the_article_and_on_the_home_page_are_lazy(client):
    photo = make_photo()
    articles = [make_article(lead_photo=photo, topics=["Youth"]) for _ in range(8)]

    for url in ("/", articles[0].get_absolute_url()):
        html = client.get(url).text
        imgs = [a for c in cards(html) for t, a in PageHead(c).elements if t == "img"]
        assert imgs and all(img.get("loading") == "lazy" for img in imgs), url


def test_a_card_without_a_photo_has_a_plain_panel_and_no_image(client):
    make_article("Text only")

    [card] = cards(client.get("/publications/").text)

    assert '<div class="card-media card-media-none"></div>' in card
    assert "<img" not in card and "<picture" not in card


def test_the_article_page_offers_its_lead_photo_in_avif_too(client):
    article = make_article(lead_photo=wide_photo())
    html = client.get(article.get_absolute_url()).text
    figure = html.split('<figure class="lead-photo">')[1].split("</figure>")[0]
    kinds = re.findall(r'<source type="([^"]+)"', figure)
    assert kinds == ["image/avif", "image/webp", "image/jpeg"]


def test_older_renditions_without_avif_are_made_again_by_the_command(client):
    photo = wide_photo()
    make_article(lead_photo=photo)
    # As photos were stored before AVIF: WebP and JPEG only.
    old = [
        {k: v for k, v in entry.items() if k != "avif"}
        for entry in write_renditions(photo.image, f"renditions/{photo.pk}")
    ]
    Photo.objects.filter(pk=photo.pk).update(renditions=old)
    page = client.get("/publications/").text
    assert "image/avif" not in page and "image/webp" in page  # still a sound picture

    out = io.StringIO()
    call_command("renditions", stdout=out)
    assert "Renditions made for 1 image." in out.getvalue()

    photo.refresh_from_db()
    assert all("avif" in entry for entry in photo.renditions)
    assert not any(default_storage.exists(entry["jpeg"]) for entry in old)
    assert "image/avif" in client.get("/publications/").text
    out = io.StringIO()
    call_command("renditions", stdout=out)
    assert "Renditions made for 0 images." in out.getvalue()


def test_an_evening_publication_has_the_same_day_on_its_card_and_its_page(client):
    # 02:30 in London is still the evening before in the site's time zone
    # (America/New_York): every date a reader sees says the same day.
    published = datetime(2024, 11, 23, 2, 30, tzinfo=UTC)
    article = make_article("Late", authors=[make_author("Kadiatou Keita")], published_at=published)

    [card] = cards(client.get("/publications/").text)
    page = client.get(article.get_absolute_url()).text

    assert '<time datetime="2024-11-22T21:30:00-05:00">Friday, November 22, 2024</time>' in card
    meta = page.split('<p class="meta">')[1].split("</p>")[0]
    assert '<time datetime="2024-11-22T21:30:00-05:00">Friday, November 22, 2024</time>' in meta
    assert "November 23" not in page
