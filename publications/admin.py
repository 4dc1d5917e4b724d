from django.contrib import admin
from django.db.models import Count
from taggit.models import Tag

from publications.models import PublicationType, Region, Topic

# The project uses its own two vocabularies; taggit's generic tag would only confuse.
admin.site.unregister(Tag)


@admin.register(PublicationType)
class PublicationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_report", "position", "article_count")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


class VocabularyAdmin(admin.ModelAdmin):
    """Shared shape of the topic and region lists: name, slug, how often used."""

    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("tagged_articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


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
