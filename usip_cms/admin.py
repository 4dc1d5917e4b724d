"""The admin site: sign-in in two steps, one text rule for every form, and a
Content Security Policy loosened for styles only.

Sign-in is the password (throttled by django-axes: too many failures get the
lockout page) and then, for staff with an authenticator app, its code
(usip_cms/signin.py). Every admin view sends a signed-in user who still
owes a code to the code step, and with REQUIRE_2FA_FOR_PUBLISHERS a
publisher without an app to the enrolment page.

Every text field of every admin form, inline and "+" popup refuses control
characters (usip_cms.text), and every autocomplete field takes a tampered
value as a form error: the site adds PlainTextMixin and
TolerantAutocompleteMixin to each admin it registers and to each of its
inlines, so neither an app's admin nor Django's own (users, groups) can leave
a field out.

The rich-text editor positions its menus with inline styles, which the public
site's policy (style-src 'self') blocks. Scripts stay as strict as on the
public pages.
"""

from functools import cache, update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django_prose_editor.fields import ProseEditorField

from usip_cms.text import refuse_control_characters


class PlainTextMixin:
    """Text fields refuse control characters, as a form error that keeps the text.

    Fields with choices are checked against them already. Rich text is left
    out: it is HTML, cleaned by articles.sanitize on save, and an editor could
    not find an invisible character in it to remove.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        typed = isinstance(db_field, models.CharField | models.TextField) and not (
            db_field.choices or isinstance(db_field, ProseEditorField)
        )
        if field is not None and typed:
            field.validators.append(refuse_control_characters)
        return field

    def get_inlines(self, request, obj):
        return [with_site_rules(inline) for inline in super().get_inlines(request, obj)]


class TolerantAutocompleteMixin:
    """An autocomplete field's widget shows the form again whatever was sent.

    Django's autocomplete widget looks up the sent value to show it, and a
    tampered or stale one that is no id ("x") raised a 500; the form field
    reports it as an error instead, with the rest of the form kept.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ValidValuesOnly:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if is_value_of(target, v)], attr)


def is_value_of(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class TolerantAutocompleteSelect(ValidValuesOnly, AutocompleteSelect):
    pass


class TolerantAutocompleteSelectMultiple(ValidValuesOnly, AutocompleteSelectMultiple):
    pass


SITE_RULES = (PlainTextMixin, TolerantAutocompleteMixin)


@cache
def with_site_rules(admin_class):
    """admin_class with the site's rules for every form first in line
    (PlainTextMixin, TolerantAutocompleteMixin), those it lacks."""
    missing = tuple(rule for rule in SITE_RULES if not issubclass(admin_class, rule))
    if not missing:
        return admin_class
    return type(
        admin_class.__name__, (*missing, admin_class), {"__module__": admin_class.__module__}
    )


class ExtraAutocompleteView(AutocompleteJsonView):
    """Autocomplete results with what the chosen model's admin adds to each
    (its autocomplete_extra(obj), e.g. a photo's thumbnail)."""

    def serialize_result(self, obj, to_field_name):
        extra = getattr(self.model_admin, "autocomplete_extra", None)
        result = super().serialize_result(obj, to_field_name)
        return {**(extra(obj) if extra else {}), **result}


class CMSAdminSite(admin.AdminSite):
    site_header = "USIP CMS"
    site_title = "USIP CMS"
    index_title = "Write, tag and publish"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = with_site_rules(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    # usip_cms.signin and articles.notifications are imported in the methods:
    # this module is loaded with the app registry, before models can be imported.

    def autocomplete_view(self, request):
        return ExtraAutocompleteView.as_view(admin_site=self)(request)

    def admin_view(self, view, cacheable=False):
        from usip_cms.signin import second_factor_redirect

        def inner(request, *args, **kwargs):
            return second_factor_redirect(request) or view(request, *args, **kwargs)

        return self.with_csp(super().admin_view(update_wrapper(inner, view), cacheable))

    def with_csp(self, view):
        policy = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
        return csp_override(policy)(view)

    def get_urls(self):
        from articles import notifications
        from usip_cms import signin

        return [
            path(
                "notifications/",
                self.admin_view(lambda request: notifications.settings_view(request, self)),
                name="notifications",
            ),
            path(
                "login/code/",
                self.with_csp(never_cache(lambda request: signin.code_step(request, self))),
                name="login-code",
            ),
            path(
                "two-factor/",
                self.admin_view(lambda request: signin.enrol(request, self)),
                name="two-factor",
            ),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Django's AdminSite.login with the two-step view (PasswordStep)."""
        from django.contrib.admin.forms import AdminAuthenticationForm

        from usip_cms.signin import PasswordStep

        redirect_url = PasswordStep().get_redirect_url(request) or reverse("admin:index")
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            "next": redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return PasswordStep.as_view(
            extra_context=context,
            authentication_form=AdminAuthenticationForm,
            template_name="admin/login.html",
        )(request)


class CMSAdminConfig(AdminConfig):
    default_site = "usip_cms.admin.CMSAdminSite"
