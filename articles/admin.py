from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles import revisions
from articles.forms import ArticleAdminForm, AuthorAdminForm, BylineFormSet, PhotoAdminForm
from articles.models import Article, ArticleAuthor, Author, Photo
from articles.views import ArticleDetailView
from publications.models import Region, Topic


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ("name", "role", "article_count")
    search_fields = ("name", "role")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("bylines"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


def thumbnail(photo, size=80):
    if not photo or not photo.image:
        return "—"
    return format_html(
        # Sized by attribute: the Content Security Policy forbids inline styles.
        '<img src="{}" alt="" height="{}" loading="lazy">',
        photo.image.url,
        size,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ("thumb", "caption", "credit", "alt_text", "dimensions", "created_at")
    search_fields = ("caption", "credit", "alt_text")
    readonly_fields = ("preview", "width", "height")
    fields = (
        "image",
        "preview",
        "alt_text",
        "is_decorative",
        "caption",
        "credit",
        "width",
        "height",
    )

    @admin.display(description="Photo")
    def thumb(self, obj):
        return thumbnail(obj)

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(obj, size=320)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ("author",)
    fields = ("position", "author")


class WorkflowFilter(admin.SimpleListFilter):
    """The editors' queue: what waits for review, what is scheduled."""

    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [("review", "Waiting for review"), ("scheduled", "Scheduled"), ("draft", "Drafts")]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW)
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        return queryset


class VocabularyAutocomplete(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        # A tampered or stale value (not an id) is reported by the form field;
        # it must not crash the redisplay of the form.
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class TaggingActionForm(ActionForm):
    term = forms.CharField(
        required=False,
        label="Topic or region",
        help_text="Name used by the “add topic” and “add region” actions.",
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    action_form = TaggingActionForm
    actions = ("add_topic", "add_region", "publish", "unpublish")
    list_display = ("title", "publication_type", "status_label", "published_at", "byline", "thumb")
    list_filter = (
        WorkflowFilter, "status", "publication_type", "topics", "regions", "published_at",
    )  # fmt: skip
    list_select_related = ("publication_type", "lead_photo")
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("lead_photo",)
    readonly_fields = ("lead_photo_preview", "created_at", "updated_at", "word_count")
    inlines = (ArticleAuthorInline,)
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "publication_type", "summary", "body", "loaded_version")},
        ),
        ("Lead photo", {"fields": ("lead_photo", "lead_photo_preview")}),
        ("Tagging", {"fields": ("topics", "regions", "report_number")}),
        ("Publishing", {"fields": ("status", "published_at")}),
        (
            "Record",
            {"fields": ("created_at", "updated_at", "word_count"), "classes": ("collapse",)},
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Topics and regions are picked from their vocabulary by typing
        # (“Sah” offers “Sahel”), not typed free-hand: a new term is made
        # deliberately with the “+” beside the field.
        if db_field.name in ("topics", "regions"):
            model = db_field.remote_field.model
            field = forms.ModelMultipleChoiceField(
                queryset=model.objects.all(),
                required=False,
                widget=VocabularyAutocomplete(db_field, self.admin_site),
                help_text=db_field.help_text,
                label=db_field.verbose_name.capitalize(),
            )
            field.widget = RelatedFieldWidgetWrapper(
                field.widget,
                db_field.remote_field,
                self.admin_site,
                can_add_related=request.user.has_perm(
                    f"{model._meta.app_label}.add_{model._meta.model_name}"
                ),
            )
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

    # Roles: editors hold articles.publish_article; authors do not. Authors
    # write and submit their own work; only editors publish, schedule or
    # touch what is already published.

    def can_publish(self, request):
        return request.user.has_perm("articles.publish_article")

    has_publish_permission = can_publish

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.can_publish(request):
            return True
        return obj.created_by_id == request.user.pk and obj.status != Article.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.can_publish(request) or obj.status == Article.Status.DRAFT

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.can_publish(request):
            fields = (*fields, "published_at")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.can_publish(request):
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value != Article.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After tags and bylines are saved, so the revision holds all of it.
        revisions.record(form.instance, request.user)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="articles_article_revisions",
            ),
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
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return urls + super().get_urls()

    def revisions_view(self, request, object_id):
        """The history: every revision, and two of them compared side by side."""
        article = self.get_object(request, object_id)
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
            "compared": compared,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    @method_decorator(require_POST)
    def preview_view(self, request, object_id=None):
        """The form as it stands, unsaved, rendered by the public article page.

        The article, its tags and byline are written inside a transaction that
        is rolled back once the page is rendered: the preview runs exactly the
        code readers get, and nothing is kept.
        """
        obj = self.get_object(request, object_id) if object_id else None
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

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, revision_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        revisions.restore(revision, request.user)
        self.message_user(
            request,
            f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M}. "
            "Status and publication date were left as they were.",
        )
        return redirect("admin:articles_article_change", article.pk)

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

    @admin.display(description="Authors")
    def byline(self, obj):
        return "; ".join(a.name for a in obj.ordered_authors)

    @admin.display(description="Photo")
    def thumb(self, obj):
        return thumbnail(obj.lead_photo, size=48)

    @admin.display(description="Current lead photo")
    def lead_photo_preview(self, obj):
        return thumbnail(obj.lead_photo, size=320)

    def _add_term(self, request, queryset, field, model):
        name = request.POST.get("term", "").strip()
        term = model.objects.filter(name__iexact=name).first()
        if term is None:
            # New vocabulary is created deliberately in its own admin, not by a typo here.
            self.message_user(
                request,
                f"There is no {model._meta.verbose_name} named “{name}”. "
                f"Create it first under {model._meta.verbose_name_plural.title()}.",
                messages.ERROR,
            )
            return
        for article in queryset:
            getattr(article, field).add(term)
        self.message_user(request, f"Added “{term}” to {len(queryset)} articles.")

    @admin.action(description="Add the topic named in the box", permissions=["publish"])
    def add_topic(self, request, queryset):
        self._add_term(request, queryset, "topics", Topic)

    @admin.action(description="Add the region named in the box", permissions=["publish"])
    def add_region(self, request, queryset):
        self._add_term(request, queryset, "regions", Region)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        ready = queryset.exclude(summary="").filter(bylines__isnull=False).distinct()
        refused = queryset.count() - ready.count()
        for article in ready:
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or now
            article.version += 1
            article.save(update_fields=["status", "published_at", "updated_at", "version"])
            revisions.record(article, request.user, note="Published from the list")
        self.message_user(request, f"Published {ready.count()} articles.")
        if refused:
            self.message_user(
                request,
                f"{refused} articles were not published: each needs a summary and an author.",
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            article.status = Article.Status.DRAFT
            article.version += 1
            article.save(update_fields=["status", "updated_at", "version"])
            revisions.record(article, request.user, note="Unpublished from the list")
        self.message_user(request, f"Moved {len(queryset)} articles back to draft.")
