"""The article page's “Cite this” box: formatted citations and their downloads."""

from django import template
from django.urls import reverse

from articles import citations

register = template.Library()

DOWNLOADS = [("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON")]


@register.inclusion_tag("includes/cite_this.html")
def cite_this(article):
    return {
        "citations": citations.formatted(article),
        "downloads": [
            (label, reverse("articles:citation", args=[article.slug, extension]))
            for extension, label in DOWNLOADS
        ],
    }
