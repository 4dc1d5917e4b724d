"""Deleting an article in the admin moves it to the trash (articles.trash).

The delete button, the delete page and the list's bulk delete all do that;
the list's *Trash* filter shows what is there, to restore (for TRASH_DAYS
days) or to delete for good, which only that explicit action does.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles import trash
from articles.times import short_time


class TrashAdminMixin:
    delete_confirmation_template = "admin/articles/article/trash_confirmation.html"

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django's bulk delete would delete for good: the trash takes its place.
        actions.pop("delete_selected", None)
        if request.GET.get("workflow") == "trash":
            for name in ("move_to_trash", "publish", "unpublish", "add_topic", "add_region"):
                actions.pop(name, None)
        else:
            actions.pop("restore_from_trash", None)
            actions.pop("empty_trash", None)
        return actions

    def has_change_permission(self, request, obj=None):
        # What is in the trash is read, restored or deleted, not edited.
        if obj is not None and obj.trashed_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.trashed_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "trash_days": settings.TRASH_DAYS}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the confirmation lists the article alone.
        deleted, count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], {}, perms_needed, protected

    def log_trash(self, request, articles, message):
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=articles, action_flag=CHANGE, change_message=message
        )

    def log_deletions(self, request, queryset):
        # Called by the delete page before delete_model, which only trashes.
        self.log_trash(request, list(queryset), "Moved to the trash.")

    def delete_model(self, request, obj):
        trash.move_to_trash(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset.not_trashed():
            trash.move_to_trash(article, request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            f"Moved “{obj_display}” to the trash: readers get “410 Gone” at its address. "
            f"Restore it within {settings.TRASH_DAYS} days from Workflow → In the trash.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_changelist")

    @admin.action(description="Move selected articles to the trash", permissions=["delete"])
    def move_to_trash(self, request, queryset):
        articles = list(queryset.not_trashed())
        self.log_trash(request, articles, "Moved to the trash.")
        for article in articles:
            trash.move_to_trash(article, request.user)
        self.message_user(
            request,
            ngettext(
                "Moved %(count)d article to the trash.",
                "Moved %(count)d articles to the trash.",
                len(articles),
            )
            % {"count": len(articles)},
        )

    @admin.action(description="Restore selected articles from the trash", permissions=["delete"])
    def restore_from_trash(self, request, queryset):
        restored, too_old = [], []
        for article in queryset.in_trash():
            if trash.can_restore(article):
                trash.restore(article, request.user)
                restored.append(article)
            else:
                too_old.append(f"“{article}”")
        self.log_trash(request, restored, "Restored from the trash.")
        self.message_user(
            request,
            ngettext("Restored %(count)d article.", "Restored %(count)d articles.", len(restored))
            % {"count": len(restored)},
        )
        if too_old:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article has been in the trash longer than %(days)d days and "
                    "can only be deleted for good: %(which)s",
                    "%(count)d articles have been in the trash longer than %(days)d days and "
                    "can only be deleted for good: %(which)s",
                    len(too_old),
                )
                % {"count": len(too_old), "days": settings.TRASH_DAYS, "which": "; ".join(too_old)},
                messages.WARNING,
            )

    @admin.action(description="Delete selected articles for good (empty them from the trash)",
                  permissions=["delete"])  # fmt: skip
    def empty_trash(self, request, queryset):
        super().log_deletions(request, queryset.in_trash())
        count = trash.empty(queryset, request.user)
        self.message_user(
            request,
            ngettext(
                "Deleted %(count)d article for good.", "Deleted %(count)d articles for good.", count
            )
            % {"count": count},
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/restore-from-trash/",
                self.admin_site.admin_view(self.untrash_view),
                name="articles_article_untrash",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def untrash_view(self, request, object_id):
        article = get_object_or_404(self.get_queryset(request).in_trash(), pk=object_id)
        if not super().has_delete_permission(request, None):
            raise PermissionDenied
        if not trash.can_restore(article):
            self.message_user(
                request,
                f"“{article}” has been in the trash since {short_time(article.trashed_at)}, "
                f"longer than {settings.TRASH_DAYS} days: it can only be deleted for good.",
                messages.ERROR,
            )
        else:
            trash.restore(article, request.user)
            self.log_trash(request, [article], "Restored from the trash.")
            self.message_user(request, f"Restored “{article}” from the trash.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)
