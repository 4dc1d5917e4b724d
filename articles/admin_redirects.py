"""Redirects in the admin: one by hand (RedirectAdminForm), or many from a CSV
of the previous site's addresses (articles.redirects.parse_csv)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import ngettext

from articles import redirects
from articles.forms import RedirectImportForm


class RedirectImportMixin:
    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        redirects.save(obj)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_redirect_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RedirectImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            rows, errors = redirects.parse_csv(form.cleaned_data["file"])
            if not errors:
                count = redirects.import_rows(rows, request.user)
                self.message_user(
                    request,
                    ngettext("Imported %(count)d redirect.", "Imported %(count)d redirects.", count)
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect("admin:articles_redirect_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import redirects from a CSV file",
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/articles/redirect/import.html", context)
