"""Control characters typed or pasted into any admin text field are a form error.

The text stays in the form for the editor to fix; nothing is saved. The rule
is the admin site's (usip_cms.admin), so every admin, inline and "+" popup
has it, Django's users and groups included.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test import RequestFactory
from django_prose_editor.fields import ProseEditorField

from articles.models import ArticleAuthor, Author, Edition, Photo, Redirect
from publications.models import PublicationType, Region, Topic
from tests.factories import (
    admin_form_data,
    make_article,
    make_author,
    make_photo,
    make_series,
    make_staff,
    make_superuser,
)
from usip_cms.text import refuse_control_characters

pytestmark = pytest.mark.django_db

REFUSAL = "Remove the invisible control character (U+%04X) from this text"

# Every plain-text field of every admin form, with the page that edits it.
# The rich-text body is HTML, cleaned on save (articles.sanitize), not refused.
TEXT_FIELDS = [
    ("/admin/articles/article/{pk}/change/", "title"),
    ("/admin/articles/article/{pk}/change/", "slug"),
    ("/admin/articles/article/{pk}/change/", "summary"),
    ("/admin/articles/article/{pk}/change/", "isbn"),
    ("/admin/articles/article/{pk}/change/", "doi"),
    ("/admin/articles/article/{pk}/change/", "language"),
    ("/admin/articles/author/{pk}/change/", "name"),
    ("/admin/articles/author/{pk}/change/", "family_name"),
    ("/admin/articles/author/{pk}/change/", "slug"),
    ("/admin/articles/author/{pk}/change/", "role"),
    ("/admin/articles/author/{pk}/change/", "bio"),
    ("/admin/articles/photo/{pk}/change/", "alt_text"),
    ("/admin/articles/photo/{pk}/change/", "caption"),
    ("/admin/articles/photo/{pk}/change/", "credit"),
    ("/admin/publications/topic/{pk}/change/", "name"),
    ("/admin/publications/topic/{pk}/change/", "slug"),
    ("/admin/publications/topic/{pk}/change/", "description"),
    ("/admin/publications/region/{pk}/change/", "name"),
    ("/admin/publications/region/{pk}/change/", "slug"),
    ("/admin/publications/region/{pk}/change/", "iso_code"),
    ("/admin/publications/region/{pk}/change/", "description"),
    ("/admin/publications/publicationtype/{pk}/change/", "name"),
    ("/admin/publications/publicationtype/{pk}/change/", "slug"),
    ("/admin/publications/publicationtype/{pk}/change/", "plural"),
    ("/admin/publications/publicationtype/{pk}/change/", "description"),
    ("/admin/publications/series/{pk}/change/", "name"),
    ("/admin/publications/series/{pk}/change/", "slug"),
    ("/admin/publications/series/{pk}/change/", "prefix"),
    ("/admin/publications/series/{pk}/change/", "description"),
    ("/admin/auth/user/{pk}/change/", "username"),
    ("/admin/auth/user/{pk}/change/", "first_name"),
    ("/admin/auth/user/{pk}/change/", "last_name"),
    ("/admin/auth/user/{pk}/change/", "email"),
    ("/admin/auth/group/{pk}/change/", "name"),
    ("/admin/articles/redirect/{pk}/change/", "old_path"),
    ("/admin/articles/redirect/{pk}/change/", "target_path"),
]
# The two-factor devices' admins (django-otp's, for superusers): checked for
# the rule below, not posted to.
DEVICE_TEXT_FIELDS = [
    ("/admin/otp_totp/totpdevice/{pk}/change/", "name"),
    ("/admin/otp_totp/totpdevice/{pk}/change/", "key"),
    ("/admin/otp_static/staticdevice/{pk}/change/", "name"),
]

# One of each, to open its change page.
SAMPLES = {
    "article": lambda: make_article(authors=[make_author()]),
    "author": make_author,
    "photo": make_photo,
    "topic": lambda: Topic.objects.get(name="Gender"),
    "region": lambda: Region.objects.get(name="Mali"),
    "publicationtype": lambda: PublicationType.objects.get(name="Analysis"),
    "series": make_series,
    "user": lambda: make_staff("someone", "Authors"),
    "group": lambda: Group.objects.get(name="Authors"),
    "redirect": lambda: Redirect.objects.create(old_path="/node/1", target_path="/"),
}


@pytest.fixture
def root(client):
    client.force_login(make_superuser())
    return client


def edit_page(url_pattern):
    model = url_pattern.split("/")[3]
    return url_pattern.format(pk=SAMPLES[model]().pk)


@pytest.mark.parametrize("url_pattern,field", TEXT_FIELDS)
def test_a_control_character_in_a_text_field_is_an_error_that_keeps_the_text(
    root, url_pattern, field
):
    url = edit_page(url_pattern)
    # A vertical tab, as Word pastes a line break; at the end of a two-letter
    # code it would be stripped as whitespace, so that one gets a U+0001.
    character = "\x01" if field == "iso_code" else "\x0b"
    typed = f"M{character}" if field == "iso_code" else f"Pasted{character}text"
    response = root.post(url, admin_form_data(root.get(url), **{field: typed}))
    assert response.status_code == 200, f"{url} {field} was saved"
    assert REFUSAL % ord(character) in response.text
    assert response.context["adminform"].form[field].value() == typed


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x9f", "\ufffe"])
def test_each_kind_of_control_character_is_refused(root, character):
    article = make_article(authors=[make_author()])
    url = f"/admin/articles/article/{article.pk}/change/"
    response = root.post(url, admin_form_data(root.get(url), title=f"Mali{character}news"))
    assert response.status_code == 200
    assert REFUSAL % ord(character) in response.text
    article.refresh_from_db()
    assert character not in article.title


def test_tabs_and_line_breaks_are_text(root):
    author = make_author()
    url = f"/admin/articles/author/{author.pk}/change/"
    bio = "First paragraph.\r\n\r\n\tSecond paragraph."
    assert root.post(url, admin_form_data(root.get(url), bio=bio)).status_code == 302
    author.refresh_from_db()
    assert author.bio == bio


def test_the_add_author_popup_refuses_a_control_character(root):
    url = "/admin/articles/author/add/?_to_field=id&_popup=1"
    data = admin_form_data(root.get(url), name="Kadiatou\x0cKeita", slug="kadiatou-keita")
    response = root.post(url, data)
    assert response.status_code == 200
    assert REFUSAL % 0x0C in response.text
    assert not Author.objects.filter(slug="kadiatou-keita").exists()


def test_an_author_adding_a_photo_gets_the_same_refusal(client):
    client.force_login(make_staff("writer", "Authors"))
    url = "/admin/articles/photo/add/"
    response = client.post(url, {"alt_text": "A road", "caption": "Troops\x1fon patrol"})
    assert REFUSAL % 0x1F in response.text
    assert not Photo.objects.exists()


def typed_text_fields(form_class):
    """Names of the form's fields where staff type plain text into a model field."""
    model_fields = {f.name: f for f in form_class._meta.model._meta.get_fields()}
    return {
        name
        for name, field in form_class.base_fields.items()
        if isinstance(model_fields.get(name), models.CharField | models.TextField)
        and not isinstance(model_fields[name], ProseEditorField)
        and not model_fields[name].choices
        and not field.disabled
    }


def test_every_admin_form_and_inline_refuses_control_characters_in_every_text_field():
    """The list above is complete, and no admin or inline lacks the rule."""
    request = RequestFactory().get("/admin/")
    request.user = make_superuser()
    found, inline_models = set(), set()
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{{pk}}/change/"
        obj = model.objects.first()
        forms = [model_admin.get_form(request, obj, change=obj is not None)]
        for formset, _ in model_admin.get_formsets_with_inlines(request, obj):
            forms.append(formset.form)
            inline_models.add(formset.model)
        for form_class in forms:
            for name in typed_text_fields(form_class):
                field = form_class.base_fields[name]
                assert refuse_control_characters in field.validators, f"{url} {name}"
                if form_class._meta.model is model:
                    found.add((url, name))
    assert found == {*TEXT_FIELDS, *DEVICE_TEXT_FIELDS}
    assert ArticleAuthor in inline_models
    assert Edition in inline_models
