"""Tampered or malformed admin input is a form error that keeps the form, never a 500.

A stale page or a crafted POST can send anything: a picker's value that is
no id, an address no parser can read, a CSV broken mid-quote. The editor
gets the form back with what was wrong, and nothing is stored.
"""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from articles.models import Redirect
from publications.models import Region
from tests.factories import admin_form_data, make_article, make_author, make_superuser
from usip_cms.admin import TolerantAutocompleteSelect, TolerantAutocompleteSelectMultiple

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_superuser())
    return client


@pytest.mark.parametrize("field", ["lead_photo", "translation_of", "bylines-0-author"])
def test_a_picker_value_that_is_no_id_is_an_error_on_the_article_form(root, field):
    article = make_article("Kept Title", authors=[make_author()])
    url = f"/admin/articles/article/{article.pk}/change/"
    response = root.post(url, admin_form_data(root.get(url), **{field: "x"}, title="New Title"))
    assert response.status_code == 200
    assert "Please correct the error" in response.text
    assert response.context["adminform"].form["title"].value() == "New Title"
    article.refresh_from_db()
    assert article.title == "Kept Title"


def test_a_picker_value_that_is_no_id_is_an_error_on_the_redirect_and_region_forms(root):
    response = root.post(
        "/admin/articles/redirect/add/", {"old_path": "/node/1", "target_article": "x"}
    )
    assert response.status_code == 200 and "Please correct the error" in response.text
    assert not Redirect.objects.exists()

    mali = Region.objects.get(name="Mali")
    url = f"/admin/publications/region/{mali.pk}/change/"
    response = root.post(url, admin_form_data(root.get(url), parent="x"))
    assert response.status_code == 200 and "Please correct the error" in response.text


def test_every_autocomplete_field_of_every_admin_and_inline_tolerates_any_value():
    request = RequestFactory().get("/admin/")
    request.user = make_superuser()
    tolerant = (TolerantAutocompleteSelect, TolerantAutocompleteSelectMultiple)
    seen = []
    for model, model_admin in admin.site._registry.items():
        forms = [(model_admin, model_admin.get_form(request))]
        forms += [
            (inline, formset.form)
            for formset, inline in model_admin.get_formsets_with_inlines(request)
        ]
        for owner, form_class in forms:
            for name in owner.get_autocomplete_fields(request):
                widget = form_class.base_fields[name].widget
                widget = getattr(widget, "widget", widget)  # inside the "+" wrapper
                assert isinstance(widget, tolerant), f"{model.__name__}.{name}"
                seen.append(name)
    assert {"lead_photo", "translation_of", "author", "target_article", "parent"} <= set(seen)


@pytest.mark.parametrize(
    "old,new",
    [
        ("http://[::1/x", "/"),  # an unclosed IPv6 host: no parser reads it
        ("/node/1", "https://[::1"),
        ("/node/1\x00", "/"),
        ("/node 1", "/"),
    ],
)
def test_an_address_that_cannot_be_read_is_refused_on_the_redirect_form(root, old, new):
    response = root.post("/admin/articles/redirect/add/", {"old_path": old, "target_path": new})
    assert response.status_code == 200 and "Please correct the error" in response.text
    assert not Redirect.objects.exists()


def csv_file(data):
    return SimpleUploadedFile("redirects.csv", data, "text/csv")


@pytest.mark.parametrize(
    "data,message",
    [
        (b"http://[::1/x,/y\n", "Line 1: “http://[::1/x” is not a web address."),
        # A quote never closed swallows the next line into one address.
        (b'/a,"/b\n/c,/d\n', "Line 1: An address has no space, line break or control"),
        (b"/a\x00,/b\n", "Line 1: An address has no space, line break or control"),
        (b"/a," + b"b" * 200_000 + b"\n", "The file is not a CSV of addresses"),
    ],
    ids=["ipv6", "unclosed-quote", "nul", "huge-field"],
)
def test_a_broken_csv_names_what_is_wrong_and_imports_nothing(root, data, message):
    response = root.post("/admin/articles/redirect/import/", {"file": csv_file(data)})
    assert response.status_code == 200
    assert message in response.text
    assert not Redirect.objects.exists()
