from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, ProtectedError
from django.utils.translation import ngettext
from taggit.models import Tag

from publications.models import FEATURED_LIMIT, Featured, PublicationType, Region, Series, Topic

# The project uses its own two vocabularies; taggit's generic tag would only confuse.
admin.site.unregister(Tag)


class ArticleCountMixin:
    """The “Articles” column: how many articles use each row, counted in the list's query.

    article_relation names the reverse relation to count: one row per article
    (a byline, a tagging, an article of the type).
    """

    article_relation = "articles"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count(self.article_relation))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(PublicationType)
class PublicationTypeAdmin(ArticleCountMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "is_report", "position", "article_count")
    list_editable = ("position",)
    ordering = ("position", "name")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class MergeActionForm(ActionForm):
    into = forms.CharField(
        required=False, label="Merge into", help_text="Name of the term to keep."
    )


class VocabularyAdmin(ArticleCountMixin, admin.ModelAdmin):
    """Shared shape of the topic and region lists: name, slug, how often used."""

    article_relation = "tagged_articles"
    search_fields = ("name",)
    # Annotated (grouped) querysets drop Meta.ordering; keep lists alphabetical.
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    action_form = MergeActionForm
    actions = ("merge",)

    @admin.action(
        description="Merge selected into the term named in the box", permissions=["change"]
    )
    def merge(self, request, queryset):
        """Move every article's tagging to the kept term, then delete the others.

        Articles that already carry the kept term keep one tagging, so nothing
        is lost and nothing is doubled.
        """
        name = request.POST.get("into", "").strip()
        target = self.model.objects.filter(name__iexact=name).first()
        if target is None:
            self.message_user(request, f"There is no term named “{name}”.", messages.ERROR)
            return
        merged = 0
        try:
            with transaction.atomic():
                for source in queryset.exclude(pk=target.pk):
                    already = target.tagged_articles.values("content_object")
                    source.tagged_articles.exclude(content_object__in=already).update(tag=target)
                    source.delete()
                    merged += 1
        except ProtectedError:
            self.message_user(
                request,
                "A region that still has countries cannot be merged away: "
                "move its countries to another region first. Nothing was changed.",
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            ngettext(
                "Merged %(count)d term into “%(target)s”.",
                "Merged %(count)d terms into “%(target)s”.",
                merged,
            )
            % {"count": merged, "target": target},
        )


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    list_display = ("name", "slug", "article_count")


@admin.register(Region)
class RegionAdmin(VocabularyAdmin):
    list_display = ("name", "kind", "parent", "iso_code", "article_count")
    list_filter = ("kind", "parent")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    filter_horizontal = ("members",)
    fields = ("name", "slug", "kind", "parent", "iso_code", "members", "description")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "publication_type", "article_count")
    list_select_related = ("publication_type",)
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "prefix")
    fields = ("name", "slug", "prefix", "publication_type", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Featured)
class FeaturedAdmin(admin.ModelAdmin):
    """The home page's featured items: which articles, in what order.

    At most FEATURED_LIMIT (Featured.clean says so on the form, keeping what
    was typed); the lowest position is the lead story. An unpublished
    article may be chosen ahead of time: it shows once it is published.
    """

    list_display = ("position", "article", "is_shown")
    list_display_links = ("article",)
    list_editable = ("position",)
    list_select_related = ("article",)
    autocomplete_fields = ("article",)
    fields = ("article", "position")

    @admin.display(description="On the home page", boolean=True, ordering="shown")
    def is_shown(self, obj):
        return obj.shown

    def get_queryset(self, request):
        # Shown means published: the home page's own rule (Featured.objects.public()).
        return (
            super()
            .get_queryset(request)
            .annotate(shown=Exists(Featured.objects.public().filter(pk=OuterRef("pk"))))
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "title": f"Featured items (the home page shows up to {FEATURED_LIMIT})",
        }
        return super().changelist_view(request, extra_context)
