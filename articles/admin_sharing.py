"""Share links on the article form: editors make them for outside reviewers,
see who made each, when and how often it was opened, and revoke them."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from articles import sharing
from articles.admin_roles import is_editor
from articles.times import long_time
from usip_cms.site import absolute_url


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=sharing.MAX_DAYS,
        initial=sharing.DEFAULT_DAYS,
    )


class ShareLinksAdminMixin:
    def get_urls(self):
        return [
            path(
                "<path:object_id>/share/",
                self.admin_site.admin_view(self.share_view),
                name="articles_article_share",
            ),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                self.admin_site.admin_view(self.revoke_share_view),
                name="articles_article_share_revoke",
            ),
            *super().get_urls(),
        ]

    def shared_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not is_editor(request):
            raise PermissionDenied
        return article

    @method_decorator(require_POST)
    def share_view(self, request, object_id):
        article = self.shared_article(request, object_id)
        form = ShareLinkForm(request.POST)
        if article.state not in sharing.SHAREABLE:
            self.message_user(
                request,
                f"“{article}” is {article.state.label.lower()}: share links are for "
                "unpublished articles.",
                messages.ERROR,
            )
        elif not form.is_valid():
            self.message_user(
                request,
                f"Choose between 1 and {sharing.MAX_DAYS} days for the link.",
                messages.ERROR,
            )
        else:
            link, address = sharing.make_link(article, request.user, form.cleaned_data["days"])
            self.message_user(
                request,
                f"Share this address with the reviewer: {absolute_url(address)} — it works "
                f"until {long_time(link.expires_at)}. It is shown only now: copy it.",
                messages.SUCCESS,
            )
        return redirect("admin:articles_article_change", article.pk)

    @method_decorator(require_POST)
    def revoke_share_view(self, request, object_id, link_id):
        article = self.shared_article(request, object_id)
        link = get_object_or_404(article.share_links, pk=link_id)
        sharing.revoke(link, request.user)
        self.message_user(request, "The share link is revoked: it shows nothing now.")
        return redirect("admin:articles_article_change", article.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and is_editor(request):
            context["share_links"] = list(obj.share_links.select_related("created_by"))
            context["now"] = timezone.now()
            context["share_form"] = (
                ShareLinkForm(auto_id="id_share_%s") if obj.state in sharing.SHAREABLE else None
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
