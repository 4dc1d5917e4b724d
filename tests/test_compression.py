"""Public responses sent compressed (Brotli or gzip), never beside a secret;
uploaded files cached for a year under names that change with them."""

import gzip

import brotli
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import jpeg_bytes, make_article, make_photo

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/publications/", "/topics/youth/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"]


@pytest.fixture
def content():
    return make_article("Compressed", topics=["Youth"], lead_photo=make_photo())


@pytest.mark.parametrize("url", PUBLIC)
def test_public_responses_are_brotli_when_the_client_takes_it(client, content, url):
    plain = client.get(url)
    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 2
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.parametrize("url", PUBLIC)
def test_and_gzip_otherwise(client, content, url):
    plain = client.get(url)
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain.content


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client, content):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    refused = client.get("/", headers={"accept-encoding": "br;q=0, gzip;q=0"})
    assert not refused.has_header("Content-Encoding")


def test_pages_from_the_page_cache_are_compressed_and_answer_their_etag(
    client, content, settings, django_assert_num_queries
):
    settings.PAGE_CACHE = True
    headers = {"accept-encoding": "br"}
    client.get("/publications/", headers=headers)  # starts the cache's generation
    first = client.get("/publications/", headers=headers)  # made and stored
    with django_assert_num_queries(0):  # from the cache: no view runs
        hit = client.get("/publications/", headers=headers)
    assert hit["Content-Encoding"] == "br"
    assert brotli.decompress(hit.content) == brotli.decompress(first.content)
    assert first["ETag"].startswith('W/"')
    again = client.get("/publications/", headers={**headers, "if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_pages_with_a_secret_are_never_compressed(admin_client, client, content):
    # BREACH: the admin's forms carry CSRF tokens; a signed-in reader's pages a session.
    login = client.get("/admin/login/", headers={"accept-encoding": "br"})
    assert "csrfmiddlewaretoken" in login.text
    assert not login.has_header("Content-Encoding")
    for url in ("/admin/articles/article/", "/"):
        response = admin_client.get(url, headers={"accept-encoding": "br"})
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), url


def test_uploaded_files_are_cached_for_a_year_under_names_that_change(client):
    photo = make_photo()
    files = [r[key] for r in photo.renditions for key in ("avif", "webp", "jpeg")]
    urls = [photo.image.url, *[f"/media/{name}" for name in files]]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    photo.image = SimpleUploadedFile("new.jpg", jpeg_bytes(color=(1, 2, 3)), "image/jpeg")
    photo.save()
    assert photo.image.url not in urls
    assert not {f"/media/{r['jpeg']}" for r in photo.renditions} & set(urls)
    assert client.get("/media/photos/nothing-here.jpg").status_code == 404
