"""PDF editions: what an upload must be, what is read from it, and how readers get it."""

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from articles.models import Article, Edition
from tests.factories import (
    HOSTILE_PDFS,
    UNPUBLISHED,
    change_form,
    edition_rows,
    encrypted_pdf,
    jpeg_bytes,
    make_article,
    make_author,
    make_edition,
    pdf_altered,
    pdf_bytes,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

SLUG = "chinas-global-security-initiative"


@pytest.fixture
def article():
    return make_article(
        "China’s Global Security Initiative", slug=SLUG, type_name="Special Report",
        authors=[make_author("Nadia Sorokina")],
    )  # fmt: skip


def upload(editor_client, article, data, name="Final report (v3).PDF", **row):
    """Post the article's change form with one new edition holding data."""
    form = change_form(article, **edition_rows([], new=1))
    form["editions-0-file"] = pdf_upload(data, name)
    form.update({f"editions-0-{k}": v for k, v in row.items()})
    return editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)


def edition_errors(response):
    """The error messages of the new edition's row in the admin form."""
    assert response.status_code == 200, "the form was accepted"
    [formset] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "editions"
    ]
    return [
        message
        for errors in formset.formset.errors
        for field in errors.values()
        for message in field
    ]


def stored_files():
    """Every file under editions/ and edition-covers/ in the media storage."""
    found = []
    for folder in ("editions", "edition-covers"):
        if not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{name}" for name in files]
        for sub in dirs:
            found += [
                f"{folder}/{sub}/{name}" for name in default_storage.listdir(f"{folder}/{sub}")[1]
            ]
    return sorted(found)


# --- Uploads ------------------------------------------------------------------


def test_an_uploaded_pdf_is_read_and_shown_on_the_page(editor_client, client, article):
    response = upload(editor_client, article, pdf_bytes(pages=3), language="FR", kind="full")
    assert response.status_code == 302, edition_errors(response)

    [edition] = article.editions.all()
    assert (edition.page_count, edition.size) == (3, len(pdf_bytes(pages=3)))
    assert edition.language == "fr"
    # The stored name keeps a slug of the upload's name, nothing else of it.
    assert edition.file.name.startswith("editions/")
    assert edition.file.name.endswith("/final-report-v3.pdf")
    page = client.get(f"/publications/{SLUG}/").text
    assert f'href="{edition.get_absolute_url()}"' in page
    assert "Full report" in page and "French" in page
    assert "PDF, " in page and "3 pages" in page
    # And in the feeds, as the item's enclosure.
    assert edition.get_absolute_url() in client.get("/feeds/rss/").text


def test_the_cover_is_made_on_upload_never_on_a_page_view(client, article, monkeypatch):
    edition = make_edition(article, pdf_bytes(pages=2))
    assert [c["width"] for c in edition.covers] == [120, 240, 480]
    for cover in edition.covers:
        assert default_storage.exists(cover["webp"]) and default_storage.exists(cover["jpeg"])

    import articles.pdfs

    def no_rendering(*args):
        raise AssertionError("a page view rendered a PDF")

    monkeypatch.setattr(articles.pdfs, "render_cover", no_rendering)
    page = client.get(f"/publications/{SLUG}/").text
    assert default_storage.url(edition.covers[0]["jpeg"]) in page


@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_a_pdf_that_could_act_by_itself_is_refused_with_the_reason(editor_client, article, name):
    change, reason = HOSTILE_PDFS[name]
    response = upload(editor_client, article, pdf_altered(change))

    [message] = edition_errors(response)
    assert message.startswith("This PDF cannot be published because it contains")
    assert reason in message
    assert not article.editions.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(jpeg_bytes(), "This is not a PDF file", id="a JPEG named .pdf"),
        pytest.param(b"<html><script>alert(1)</script></html>", "not a PDF", id="HTML"),
        pytest.param(encrypted_pdf(), "encrypted or password-protected", id="encrypted"),
        pytest.param(encrypted_pdf("secret"), "encrypted", id="with a password"),
        pytest.param(pdf_bytes()[: len(pdf_bytes()) // 2], "damaged or incomplete", id="cut off"),
        pytest.param(b"%PDF-1.7\n" + b"\x00garbage" * 200, "damaged", id="a header only"),
    ],
)
def test_a_file_that_is_not_a_sound_pdf_is_refused(editor_client, article, data, words):
    response = upload(editor_client, article, data)

    [message] = edition_errors(response)
    assert words in message
    assert stored_files() == []


def test_a_pdf_over_the_size_limit_is_refused(editor_client, article, settings):
    settings.PDF_MAX_BYTES = 1024 * 1024
    padded = pdf_altered(lambda writer: writer.add_metadata({"/Padding": "x" * 1_200_000}))
    [message] = edition_errors(upload(editor_client, article, padded))
    assert message == "The file is 1.2 MB; the limit is 1 MB."
    assert stored_files() == []


def test_a_pdf_over_the_page_limit_is_refused(editor_client, article, settings):
    settings.PDF_MAX_PAGES = 2
    [message] = edition_errors(upload(editor_client, article, pdf_bytes(pages=3)))
    assert message == "The PDF has 3 pages; the limit is 2."


def test_a_refusal_keeps_the_rest_of_the_form(editor_client, article):
    form = change_form(article, summary="A new summary.", **edition_rows([], new=1))
    form["editions-0-file"] = pdf_upload(pdf_altered(HOSTILE_PDFS["document JavaScript"][0]))
    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)

    assert response.status_code == 200
    assert "A new summary." in response.text
    assert Article.objects.get(pk=article.pk).summary != "A new summary."


def test_an_article_has_one_full_report(editor_client, article):
    make_edition(article, kind=Edition.Kind.FULL)
    [message] = edition_errors(upload(editor_client, article, pdf_bytes(), kind="full"))
    assert "An article has one full report" in message


def test_a_language_that_is_not_a_bcp47_tag_is_refused(editor_client, article):
    [message] = edition_errors(upload(editor_client, article, pdf_bytes(), language="English"))
    assert "BCP 47" in message


def test_an_author_can_attach_a_pdf_to_their_own_draft(author_client, author_user):
    draft = make_article(slug="my-draft", status=Article.Status.DRAFT, created_by=author_user)
    form = change_form(draft, status="draft", **edition_rows([], new=1))
    form["editions-0-file"] = pdf_upload()
    response = author_client.post(f"/admin/articles/article/{draft.pk}/change/", form)
    assert response.status_code == 302
    assert draft.editions.count() == 1


# --- Serving --------------------------------------------------------------------


def test_the_pdf_is_served_inline_as_a_pdf_with_a_long_life(client, article):
    data = pdf_bytes(pages=2)
    edition = make_edition(article, data, kind=Edition.Kind.SUMMARY)
    response = client.get(edition.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{SLUG}-summary.pdf"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    body = b"".join(response.streaming_content)
    assert body == data
    assert len(PdfReader(io.BytesIO(body)).pages) == 2


def test_a_replaced_file_gets_a_new_address_and_the_old_one_leads_to_it(
    editor_client, client, article, django_capture_on_commit_callbacks
):
    edition = make_edition(article, pdf_bytes(pages=1))
    old_url, old_name, old_covers = edition.get_absolute_url(), edition.file.name, edition.covers

    form = change_form(article)
    form["editions-0-file"] = pdf_upload(pdf_bytes(pages=4))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302

    edition.refresh_from_db()
    assert edition.page_count == 4
    new_url = edition.get_absolute_url()
    assert new_url != old_url
    assert client.get(old_url).status_code == 302
    assert client.get(old_url)["Location"] == new_url
    assert len(PdfReader(io.BytesIO(b"".join(client.get(new_url).streaming_content))).pages) == 4
    # The old file and covers are gone; the new covers have new names.
    assert not default_storage.exists(old_name)
    assert not any(default_storage.exists(c["jpeg"]) for c in old_covers)
    assert {c["jpeg"] for c in edition.covers}.isdisjoint(c["jpeg"] for c in old_covers)


def test_replacing_a_pdf_makes_cached_pages_that_link_it_stale(
    editor_client, client, article, settings
):
    settings.PAGE_CACHE = True
    edition = make_edition(article)
    page_url = f"/publications/{SLUG}/"
    client.get(page_url)  # makes the generation
    assert edition.get_absolute_url() in client.get(page_url).text  # stored
    assert edition.get_absolute_url() in client.get(page_url).text  # from the cache

    form = change_form(article)
    form["editions-0-file"] = pdf_upload(pdf_bytes(pages=3))
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", form)
    edition.refresh_from_db()

    assert edition.get_absolute_url() in client.get(page_url).text


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_an_unpublished_articles_pdf_is_not_served_to_readers(client, editor_client, state):
    article = make_article(slug="not-yet", type_name="Special Report", **state)
    edition = make_edition(article)

    assert client.get(edition.get_absolute_url()).status_code == 404
    # Staff may open it, as they preview the article, kept out of shared caches.
    preview = editor_client.get(edition.get_absolute_url())
    assert preview.status_code == 200
    assert preview["Cache-Control"] == "private, no-store"


def test_the_stored_file_is_never_served_from_media(client, article):
    edition = make_edition(article)
    assert client.get(f"/media/{edition.file.name}").status_code == 404


def test_an_unknown_edition_is_not_found(client, article):
    edition = make_edition(article)
    other = make_article(slug="other")
    assert (
        client.get(f"/publications/{SLUG}/pdf/{edition.pk + 1}/{edition.digest}.pdf").status_code
        == 404
    )
    assert (
        client.get(f"/publications/other/pdf/{edition.pk}/{edition.digest}.pdf").status_code == 404
    )
    assert other.editions.count() == 0


def test_an_article_without_pdfs_shows_no_download_box(client, article):
    page = client.get(f"/publications/{SLUG}/").text
    assert 'class="downloads"' not in page
    assert "citation_pdf_url" not in page


def test_deleting_an_edition_removes_its_files(article, django_capture_on_commit_callbacks):
    edition = make_edition(article)
    assert stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        edition.delete()
    assert stored_files() == []


def test_deleting_the_article_removes_its_pdfs(article, django_capture_on_commit_callbacks):
    make_edition(article)
    make_edition(article, kind=Edition.Kind.SUMMARY)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert stored_files() == []


def test_a_pdf_saved_outside_the_admin_is_checked_too(article):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="JavaScript"):
        make_edition(article, pdf_altered(HOSTILE_PDFS["document JavaScript"][0]))
    assert not article.editions.exists()
