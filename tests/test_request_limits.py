"""Size limits: an article body over its limit is a form error that keeps the
text; a request over the site's hard limits is a 413 page that says them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Photo
from tests.factories import article_form, jpeg_bytes, run_with_environment

pytestmark = pytest.mark.django_db

SENTENCE = "Peace talks resumed in Bamako. "


def test_a_body_over_two_megabytes_is_a_form_error_that_keeps_the_text(editor_client):
    repeats = 3 * 1024 * 1024 // len(SENTENCE)  # a 3 MB paste
    body = f"<p>{SENTENCE * repeats}</p>"
    response = editor_client.post("/admin/articles/article/add/", article_form(body=body))
    assert response.status_code == 200
    assert "The body is 3.0\xa0MB of HTML; the most an article takes is 2.0\xa0MB." in response.text
    assert "your text is still here" in response.text
    assert response.text.count(SENTENCE.strip()) == repeats
    assert not Article.objects.exists()


def test_a_body_under_the_limit_saves(editor_client):
    body = f"<p>{SENTENCE * (1024 * 1024 // len(SENTENCE))}</p>"  # 1 MB
    response = editor_client.post("/admin/articles/article/add/", article_form(body=body))
    assert response.status_code == 302
    assert Article.objects.get().body == body


def test_a_form_over_ten_megabytes_is_a_413_page_that_says_the_limit(editor_client):
    body = "x" * (11 * 1024 * 1024)
    response = editor_client.post("/admin/articles/article/add/", article_form(body=body))
    assert response.status_code == 413
    assert "The text of this form is over 10.0\xa0MB" in response.text
    assert "Nothing was saved." in response.text
    assert not Article.objects.exists()


def test_a_form_over_the_limit_sent_as_multipart_is_a_413_too(editor_client):
    # The photo form is multipart: the fields other than the file still count.
    data = {"image": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")}
    data["caption"] = "x" * (11 * 1024 * 1024)
    response = editor_client.post("/admin/articles/photo/add/", data)
    assert response.status_code == 413
    assert "The text of this form is over 10.0\xa0MB" in response.text


def test_a_request_over_the_hard_limit_is_a_413_before_it_is_read(editor_client, settings):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (2 * 1024 * 1024), "image/jpeg")
    response = editor_client.post("/admin/articles/photo/add/", {"image": upload, "alt_text": "x"})
    assert response.status_code == 413
    assert "This request is 2.0\xa0MB; the site takes up to 1.0\xa0MB at once" in response.text
    assert not Photo.objects.exists()


def test_a_photo_over_its_own_limit_is_still_refused_by_the_form(editor_client, settings):
    # Under the request's hard limit the photo form answers, saying why.
    settings.PHOTO_MAX_BYTES = 100_000
    upload = SimpleUploadedFile("big.jpg", jpeg_bytes(3000, 3000, quality=100), "image/jpeg")
    assert upload.size > settings.PHOTO_MAX_BYTES
    response = editor_client.post("/admin/articles/photo/add/", {"image": upload, "alt_text": "x"})
    assert response.status_code == 200
    assert "The file is 0.2 MB; the limit is" in response.text
    assert not Photo.objects.exists()


def test_the_site_refuses_to_start_with_a_request_limit_below_an_upload_limit():
    message = (
        "REQUEST_MAX_BYTES is smaller than PHOTO_MAX_BYTES or PDF_MAX_BYTES plus FORM_MAX_BYTES"
    )
    result = run_with_environment("import usip_cms.settings", REQUEST_MAX_BYTES="20000000")
    assert result.returncode != 0
    assert message in result.stderr
    # 60 MB holds a photo but not a 100 MB PDF; with PDFs of up to 40 MB it is enough.
    result = run_with_environment("import usip_cms.settings", REQUEST_MAX_BYTES="60000000")
    assert result.returncode != 0 and message in result.stderr
    result = run_with_environment(
        "import usip_cms.settings", REQUEST_MAX_BYTES="60000000", PDF_MAX_BYTES="40000000"
    )
    assert result.returncode == 0, result.stderr
