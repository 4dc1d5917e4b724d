"""Public addresses are read-only: GET and HEAD, and 405 with Allow for the rest.
Media addresses the filesystem cannot hold are 404, not 500."""

import pytest

pytestmark = pytest.mark.django_db

# One address of every kind of public page, feed, sitemap and file.
PUBLIC_URLS = [
    "/",
    "/publications/",
    "/publications/security-in-the-sahel/",
    "/topics/",
    "/topics/gender/",
    "/topics/gender/rss/",
    "/topics/gender/atom/",
    "/regions/",
    "/regions/mali/",
    "/regions/mali/rss/",
    "/regions/mali/atom/",
    "/types/analysis/",
    "/types/analysis/rss/",
    "/types/analysis/atom/",
    "/people/kadiatou-keita/",
    "/people/kadiatou-keita/rss/",
    "/people/kadiatou-keita/atom/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-pages.xml",
    "/robots.txt",
    "/media/photos/lead.jpg",
    "/static/css/site.css",
]
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "OPTIONS"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_address_answers_get_and_head(client, public_site, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("method", WRITE_METHODS)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_other_methods_on_public_addresses_are_405_with_allow(client, public_site, url, method):
    response = client.generic(method, url)
    assert response.status_code == 405
    assert response["Allow"].replace(" ", "") == "GET,HEAD"


def test_post_to_a_public_page_is_405_even_without_a_csrf_token(public_site):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/publications/", {"q": "x"})
    assert response.status_code == 405


def test_unknown_address_stays_404_whatever_the_method(client):
    assert client.generic("PROPFIND", "/no-such-page/").status_code == 404


def test_admin_still_takes_post(client):
    # The login form: a wrong password is a form error, not a 405.
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text


@pytest.mark.parametrize(
    "name",
    [
        "a" * 300 + ".jpg",  # one name over the filesystem's 255 bytes
        "é" * 130 + ".jpg",  # 260 bytes in UTF-8
        "photos/" + "b" * 256 + "/lead.jpg",
        "no-such-photo.jpg",
        "photos/lead.jpg/inside",  # a file where a folder should be
    ],
)
def test_media_address_for_no_such_file_is_404(client, public_site, name):
    client.raise_request_exception = False
    assert client.get(f"/media/{name}").status_code == 404
