"""The article's PDF editions, edited inline on the article (ArticleAdmin.inlines)."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from articles.forms import EditionAdminForm
from articles.models import Edition


class EditionInline(admin.StackedInline):
    model = Edition
    form = EditionAdminForm
    extra = 0
    fields = (("kind", "language", "position"), "title", "file", ("cover_preview", "facts"))
    readonly_fields = ("cover_preview", "facts")
    verbose_name_plural = "PDF editions"

    @admin.display(description="First page")
    def cover_preview(self, obj):
        if not obj.cover:
            return "—"
        # Sized by attribute: the Content Security Policy forbids inline styles.
        return format_html('<img src="{}" alt="" height="160">', obj.cover["url"])

    @admin.display(description="Read from the file")
    def facts(self, obj):
        if not obj.pk:
            return "—"
        return f"{obj.page_count} pages, {filesizeformat(obj.size)}"
