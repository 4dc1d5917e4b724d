"""The articles admin: what each list and form shows.

Each concern is a mixin of its own module: vocabulary pickers
(admin_pickers), the Authors and Editors roles (admin_roles), revisions and
preview pages (admin_views), bulk actions (admin_actions). The control
character rule for every text field comes from the site (usip_cms.admin).
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.html import format_html

from articles.admin_actions import EditorialActionsMixin
from articles.admin_editions import EditionInline
from articles.admin_pickers import VocabularyPickersMixin
from articles.admin_redirects import RedirectImportMixin
from articles.admin_roles import ArticleRolesMixin, OwnUntilSignedOffMixin
from articles.admin_sharing import ShareLinksAdminMixin
from articles.admin_trash import TrashAdminMixin
from articles.admin_views import PreviewAdminMixin, RevisionsAdminMixin
from articles.admin_workflow import WorkflowAdminMixin
from articles.forms import (
    ArticleAdminForm,
    AuthorAdminForm,
    BylineForm,
    BylineFormSet,
    PhotoAdminForm,
    RedirectAdminForm,
)
from articles.images import narrowest
from articles.models import Article, ArticleAuthor, Author, Photo, Redirect
from articles.times import short_time
from publications.admin import ArticleCountMixin


@admin.register(Author)
class AuthorAdmin(OwnUntilSignedOffMixin, ArticleCountMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    signed_off_lookup = "bylines__author"
    article_relation = "bylines"
    list_display = ("name", "role", "article_count")
    search_fields = ("name", "role")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}


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
class PhotoAdmin(OwnUntilSignedOffMixin, admin.ModelAdmin):
    owner_field = "uploaded_by"
    signed_off_lookup = "lead_photo"
    form = PhotoAdminForm
    list_display = (
        "thumb", "caption", "credit", "alt_text", "dimensions", "uploaded_by", "uploaded",
    )  # fmt: skip
    list_select_related = ("uploaded_by",)
    search_fields = ("caption", "credit", "alt_text")
    readonly_fields = ("preview", "width", "height", "uploaded_by")
    fields = (
        "image",
        "preview",
        "alt_text",
        "is_decorative",
        "caption",
        "credit",
        "focal_x",
        "focal_y",
        "width",
        "height",
        "uploaded_by",
    )

    class Media:
        js = ("articles/photo_focal.js",)
        css = {"all": ("articles/admin_workflow.css",)}

    @admin.display(description="Photo")
    def thumb(self, obj):
        return thumbnail(obj)

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(obj, size=320)

    @admin.display(description="Uploaded", ordering="created_at")
    def uploaded(self, obj):
        return short_time(obj.created_at)

    def autocomplete_extra(self, obj):
        """What the lead-photo chooser shows beside each caption (articles/photo_chooser.js)."""
        if not obj.renditions:
            return {}
        return {"thumbnail": narrowest(obj.renditions)["url"], "credit": obj.credit}

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"


class ArticleAuthorInline(admin.TabularInline):
    """The byline, right under the title: rows are put in order with the up and
    down buttons (articles/byline_order.js), which keep the hidden positions
    in step; the formset renumbers them 0, 1, 2… on save."""

    model = ArticleAuthor
    form = BylineForm
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ("author",)
    fields = ("position", "author")

    class Media:
        js = (
            "admin/js/vendor/jquery/jquery.js",
            "admin/js/jquery.init.js",
            "articles/byline_order.js",
        )


class WorkflowFilter(admin.SimpleListFilter):
    """The editors' queue: what waits for review, what is scheduled, the trash."""

    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("review", "Waiting for review"),
            ("scheduled", "Scheduled"),
            ("draft", "Drafts"),
            ("mine", "My drafts"),
            ("trash", "In the trash"),
        ]

    def queryset(self, request, queryset):
        # What is in the trash is listed only here, and nowhere else.
        if self.value() == "trash":
            return queryset.in_trash()
        queryset = queryset.not_trashed()
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW)
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "mine":
            return queryset.filter(status=Article.Status.DRAFT, created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(
    TrashAdminMixin,
    VocabularyPickersMixin,
    ArticleRolesMixin,
    WorkflowAdminMixin,
    ShareLinksAdminMixin,
    RevisionsAdminMixin,
    PreviewAdminMixin,
    EditorialActionsMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    actions = (*EditorialActionsMixin.actions, "move_to_trash", "restore_from_trash", "empty_trash")
    list_display = ("title", "publication_type", "status_label", "published", "byline", "thumb")
    list_filter = (
        WorkflowFilter, "status", "publication_type", "topics", "regions",
        ("authors", admin.RelatedOnlyFieldListFilter), "published_at",
    )  # fmt: skip
    list_select_related = ("publication_type", "lead_photo")
    # The box searches the index (title, summary, authors, terms, body), as
    # readers do, and the address's slug: see get_search_results.
    search_fields = ("slug",)
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    # translation_of: pick the original among all articles by title.
    autocomplete_fields = ("lead_photo", "translation_of")

    # The lead-photo chooser shows thumbnails (articles/photo_chooser.js).
    class Media:
        js = (
            "admin/js/vendor/jquery/jquery.js",
            "admin/js/jquery.init.js",
            "articles/photo_chooser.js",
            "articles/admin_a11y.js",
        )
        css = {"all": ("articles/admin_workflow.css",)}

    readonly_fields = ("lead_photo_preview", "created", "updated", "word_count")
    inlines = (ArticleAuthorInline, EditionInline)
    fieldsets = (
        (None, {"fields": ("title", "slug")}),
        # The byline inline comes here (change_form.html), right under the title.
        (
            "Text",
            {"fields": ("publication_type", "summary", "key_takeaways", "body", "loaded_version")},
        ),
        ("Lead photo", {"fields": ("lead_photo", "lead_photo_preview")}),
        ("Language", {"fields": ("language", "translation_of")}),
        ("Tagging", {"fields": ("topics", "regions")}),
        ("Report", {"fields": (("series", "series_number"), "isbn", "doi")}),
        (
            "Record",
            {"fields": ("created", "updated", "word_count"), "classes": ("collapse",)},
        ),
    )

    def get_queryset(self, request):
        # The status column's “Scheduled” comes from the one rule, in the list's query.
        scheduled = Article.objects.scheduled().filter(pk=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(listed_as_scheduled=Exists(scheduled))
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Drafts and published alike, through the same index as the site's search."""
        by_slug, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return by_slug, may_have_duplicates
        by_words = Article.objects.search(search_term).values("pk")
        return queryset.filter(Q(pk__in=by_words) | Q(pk__in=by_slug.values("pk"))), False

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return "Scheduled" if obj.listed_as_scheduled else obj.get_status_display()

    @admin.display(description="Publication date", ordering="published_at")
    def published(self, obj):
        return short_time(obj.published_at)

    @admin.display(description="Created")
    def created(self, obj):
        return short_time(obj.created_at)

    @admin.display(description="Last saved")
    def updated(self, obj):
        return short_time(obj.updated_at)

    @admin.display(description="Authors")
    def byline(self, obj):
        return "; ".join(a.name for a in obj.ordered_authors)

    @admin.display(description="Photo")
    def thumb(self, obj):
        return thumbnail(obj.lead_photo, size=48)

    @admin.display(description="Current lead photo")
    def lead_photo_preview(self, obj):
        return thumbnail(obj.lead_photo, size=320)


@admin.register(Redirect)
class RedirectAdmin(RedirectImportMixin, admin.ModelAdmin):
    form = RedirectAdminForm
    list_display = ("old_path", "target", "origin", "created_by", "created")
    list_filter = ("origin",)
    list_select_related = ("target_article", "created_by")
    search_fields = ("old_path", "target_path", "target_article__title")
    autocomplete_fields = ("target_article",)
    readonly_fields = ("origin", "created_by", "created")

    @admin.display(description="Created", ordering="created_at")
    def created(self, obj):
        return short_time(obj.created_at)

    @admin.display(description="Redirects to")
    def target(self, obj):
        return obj.target
