"""The article admin's own pages: revisions (history, compare, restore) and preview."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from articles import revisions, workflow
from articles.times import short_time
from articles.views import ArticleDetailView


class RevisionsAdminMixin:
    """Every admin save is a new version and a revision; the history compares and restores them."""

    def save_model(self, request, obj, form, change):
        if change:
            # The version the form was opened at is checked against this (ArticleAdminForm).
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After tags and bylines are saved, so the revision holds all of it.
        revisions.record(form.instance, request.user)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request, object_id):
        """The history: every revision, and two of them compared side by side."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        history = list(article.revisions.select_related("user"))
        compared = None
        chosen = request.GET.get("a"), request.GET.get("b")
        if all(chosen):
            by_id = {str(r.pk): r for r in history}
            if chosen[0] not in by_id or chosen[1] not in by_id:
                raise Http404("No such revision of this article.")
            older, newer = sorted((by_id[c] for c in chosen), key=lambda r: r.created_at)
            rows, body_diff = revisions.compare(older, newer)
            compared = {"older": older, "newer": newer, "rows": rows, "body_diff": body_diff}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisions of “{article}”",
            "article": article,
            "history": history,
            "events": workflow.history(article),
            "compared": compared,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, revision_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        revisions.restore(revision, request.user)
        self.message_user(
            request,
            f"Restored the revision of {short_time(revision.created_at)}. "
            "Status and publication date were left as they were.",
        )
        return redirect("admin:articles_article_change", article.pk)


class PreviewAdminMixin:
    """The form as it stands, unsaved, rendered by the public article page."""

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview_new",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def preview_view(self, request, object_id=None):
        """The article, its tags and byline are written inside a transaction that
        is rolled back once the page is rendered: the preview runs exactly the
        code readers get, and nothing is kept.
        """
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404("No such article.")
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, request.FILES, instance=obj
        )
        with transaction.atomic():
            if form.is_valid():
                article = self.save_form(request, form, change=obj is not None)
                if obj is None:
                    article.created_by = request.user
                article.save()
                form.save_m2m()
                formsets, _ = self._create_formsets(request, article, change=obj is not None)
                if all(formset.is_valid() for formset in formsets):
                    for formset in formsets:
                        formset.save()
                    view = ArticleDetailView(is_preview=True)
                    view.setup(request, slug=article.slug)
                    response = view.get(request).render()
                    transaction.set_rollback(True)
                    return response
            transaction.set_rollback(True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Nothing to preview yet",
            "errors": form.errors,
        }
        return TemplateResponse(request, "admin/articles/article/preview_errors.html", context)
