"""The article page's metadata for sharing, search engines and reference managers.

OpenGraph and Twitter card tags, schema.org JSON-LD and Google Scholar
citation tags. head_parts() makes what belongs to the article itself (kept
with it, articles/page_parts.py); article_head adds its translations.
"""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.models import Edition
from usip_cms.site import absolute_url, publisher

register = template.Library()

# The same table as django.utils.html._json_script_escapes: with <, > and &
# written as \u escapes, no string in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


def iso(value):
    """A datetime in the site's time zone, ISO 8601 to the second; None stays None."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.filter
def json_ld(data):
    """data as <script type="application/ld+json">, escaped like json_script."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 - <, > and & are escaped above.
    )


def job_title(role):
    """The role line without its leading article: “a USIP expert” → “USIP expert”."""
    return re.sub(r"^(an?|the)\s+", "", role, flags=re.IGNORECASE) or None


def media_object(edition):
    """A PDF edition as a schema.org MediaObject."""
    return {
        "@type": "MediaObject",
        "name": f"{edition.display_title} ({edition.get_kind_display()})",
        "contentUrl": absolute_url(edition.get_absolute_url()),
        "encodingFormat": "application/pdf",
        "contentSize": filesizeformat(edition.size).replace("\xa0", " "),
        "inLanguage": edition.language,
    }


def structured_data(article, url, authors, topics, photo, editions):
    """The schema.org Article (or Report) describing the page."""
    is_report = article.is_report
    data = {
        "@context": "https://schema.org",
        "@type": "Report" if is_report else "Article",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.updated_at),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": absolute_url(author.get_absolute_url()),
                "jobTitle": job_title(author.role),
            }
            for author in authors
        ],
        "publisher": publisher(),
        "about": [
            {"@type": "Thing", "name": topic.name, "url": absolute_url(topic.get_absolute_url())}
            for topic in topics
        ],
        "keywords": [topic.name for topic in topics],
    }
    if article.key_takeaways:
        data["abstract"] = "\n".join(article.key_takeaways)
    if is_report and article.report_number:
        data["reportNumber"] = article.report_number
    if article.series_id:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": article.series.name,
            "url": absolute_url(article.series.get_absolute_url()),
        }
    if article.isbn:
        data["isbn"] = article.isbn_hyphenated
    if article.doi:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": article.doi,
            "url": article.doi_url,
        }
    # The full report and its translations are the work itself; a summary or
    # an annex goes with it.
    encodes = (Edition.Kind.FULL, Edition.Kind.TRANSLATION)
    data["encoding"] = [media_object(e) for e in editions if e.kind in encodes]
    data["associatedMedia"] = [media_object(e) for e in editions if e.kind not in encodes]
    if photo:
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute_url(photo.image.url),
            "width": photo.width,
            "height": photo.height,
            "caption": photo.caption,
            "creditText": photo.credit,
        }
    return drop_empty(data)


def breadcrumbs(article, url):
    """The schema.org BreadcrumbList of the article: Home › Publications › its type › it."""
    trail = [
        (settings.SITE_NAME, settings.SITE_URL + "/"),
        # In the page's language, as its navigation says it (locale/).
        (gettext("Publications"), absolute_url(reverse("publications:list"))),
        (
            article.publication_type.plural or article.publication_type.name,
            absolute_url(article.publication_type.get_absolute_url()),
        ),
        (article.title, url),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(trail, start=1)
        ],
    }


def drop_empty(value):
    """value without the None, "" and [] entries of its dicts, at every level."""
    if isinstance(value, dict):
        return {k: drop_empty(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [drop_empty(v) for v in value]
    return value


def head_parts(article):
    """What the page's metadata says of the article itself: {"html": the tags
    of includes/article_meta.html, "data": its schema.org data, "breadcrumbs",
    "url"}. Kept with the article (articles/page_parts.py); article_head adds
    what depends on other articles, its published translations."""
    url = absolute_url(article.get_absolute_url())
    authors = article.ordered_authors
    topics = list(article.topics.all())
    photo = article.lead_photo if article.lead_photo and article.lead_photo.image else None
    editions = list(article.editions.all())
    full = article.full_edition
    # Social cards get the 1.91:1 cut around the focal point (Photo.social).
    social = photo.social if photo else {}
    context = {
        "article": article,
        "url": url,
        "authors": authors,
        "topics": topics,
        "photo": photo,
        "image_url": absolute_url(social["url"]) if photo else "",
        "image_width": social.get("width"),
        "image_height": social.get("height"),
        "image_alt": "" if photo is None or photo.is_decorative else photo.alt_text,
        "published": iso(article.published_at),
        "modified": iso(article.updated_at),
        "citation_date": (
            timezone.localtime(article.published_at).strftime("%Y/%m/%d")
            if article.published_at
            else ""
        ),
        "SITE_NAME": settings.SITE_NAME,
        "language": article.language,
        "pdf_url": absolute_url(full.get_absolute_url()) if full else "",
    }
    return {
        "html": render_to_string("includes/article_meta.html", context),
        "data": structured_data(article, url, authors, topics, photo, editions),
        "breadcrumbs": breadcrumbs(article, url),
        "url": url,
    }


@register.simple_tag
def article_head(article, head, translations):
    """The article page's metadata: the links to its translations, the kept
    tags of head_parts(), its JSON-LD with the translations."""
    url = head["url"]
    links = format_html_join(
        "",
        '<link rel="alternate" hreflang="{}" href="{}">\n',
        alternates(article, url, translations),
    )
    data = {**head["data"], **translation_data(article, translations)}
    # head["html"] is render_to_string()'s SafeString, escaped as it was rendered.
    return format_html(
        "{}{}{}\n{}", links, head["html"], json_ld(data), json_ld(head["breadcrumbs"])
    )


def alternates(article, url, translations):
    """(hreflang, absolute URL) of every member of the group, itself included,
    and x-default: the original. Empty when the article has no translation."""
    if not translations:
        return []
    members = [(article.language, url)] + [
        (other.language, absolute_url(other.get_absolute_url())) for other in translations
    ]
    original = next((o for o in translations if o.translation_of_id is None), article)
    return [*members, ("x-default", absolute_url(original.get_absolute_url()))]


def translation_data(article, translations):
    """schema.org inLanguage, and the links between an original and its translations."""
    data = {"inLanguage": article.language}

    def work(other):
        return {
            "@type": "CreativeWork",
            "url": absolute_url(other.get_absolute_url()),
            "name": other.title,
            "inLanguage": other.language,
        }

    if article.translation_of_id:
        original = [o for o in translations if o.pk == article.translation_of_id]
        if original:
            data["translationOfWork"] = work(original[0])
    elif translations:
        data["workTranslation"] = [work(other) for other in translations]
    return data
