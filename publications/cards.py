"""A publication as a card, a photo as a <picture>, a card's date and byline:
the HTML of every list of publications (list pages, landing pages, the
article page's related and latest lists, search results, the home page).

Drawn in Python rather than by template includes because a list page draws
twenty cards: through the template engine a card cost about 0.9 ms (some
thirty variable lookups, two includes, the date filters each converting the
time again), most of a page made with every cache empty. Here it is a few
format_html() calls. Everything shown is escaped by format_html() or
escape(); the labels are translated as the templates' were.
"""

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, pgettext

from articles.models import default_language

# A card's width in the grid of site.css (3, 2 or 1 columns).
CARD_SIZES = "(min-width: 72rem) 22rem, (min-width: 64rem) 30vw, (min-width: 40rem) 46vw, 92vw"


def picture(photo, sizes, decorative=False, lazy=False, priority=False):
    """The photo's renditions as a <picture>: AVIF, then WebP, then the JPEGs
    the img names. decorative: alt=""; lazy: below the fold; priority: the
    page's main image."""
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((source["type"], source["srcset"], sizes) for source in photo.sources),
    )
    alt = "" if decorative or photo.is_decorative else photo.alt_text
    loading = ""
    if lazy:
        loading = mark_safe(' loading="lazy" decoding="async"')
    elif priority:
        loading = mark_safe(' fetchpriority="high"')
    fallback = photo.fallback
    if fallback is None:  # no renditions (yet): no picture rather than a broken one
        return ""
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}>'
        "</picture>",
        sources,
        fallback["url"],
        photo.jpeg_srcset,
        sizes,
        alt,
        fallback["width"],
        fallback["height"],
        loading,
    )


def long_date(value):
    """“Friday, November 22, 2024”, in the site's time zone; on a page in
    another language (translation.override by the article page), that
    language's own long date: “22 novembre 2024”, “22 نوفمبر 2024”."""
    if value is None:
        return ""
    if get_language().split("-")[0] != default_language():
        return date_filter(value, "DATE_FORMAT")
    return date_filter(value, "l, F j, Y")


def card_meta(article):
    """A card's date and byline (cards and the home page's lead story)."""
    published = template_localtime(article.published_at)
    html = format_html(
        '<p class="card-date"><time datetime="{}">{}</time></p>',
        published.isoformat() if published else "",
        long_date(published),
    )
    authors = article.ordered_authors
    if authors:
        # Each name isolated: one with a direction override turns only itself.
        html += format_html(
            '<p class="card-authors">{}: {}</p>',
            pgettext("byline", "By"),
            format_html_join("; ", "<bdi>{}</bdi>", ((author,) for author in authors)),
        )
    return html


def card(article, heading_level=2, eager=False):
    """One publication as a card. The title is the link; the thumbnail is
    decorative (alt=""). eager: the card may be in the first screenful, so
    its picture is not lazy-loaded."""
    photo = article.lead_photo
    if photo and photo.renditions:
        media = format_html(
            '<div class="card-media">{}</div>',
            picture(photo, CARD_SIZES, decorative=True, lazy=not eager),
        )
    else:
        media = mark_safe('<div class="card-media card-media-none"></div>')
    kind = article.publication_type
    parts = [
        media,
        format_html(
            '<div class="card-body"><p class="card-type"><span class="visually-hidden">{}:</span>'
            ' <a href="{}">{}</a></p>'
            '<h{} class="card-title"><a href="{}">{}</a></h{}>',
            gettext("Type"),
            kind.get_absolute_url(),
            kind.name,
            heading_level,
            article.get_absolute_url(),
            article.title,
            heading_level,
        ),
        card_meta(article),
    ]
    if article.summary:
        parts.append(format_html('<p class="card-summary">{}</p>', article.summary))
    topics = article.topics.all()
    if topics:
        parts.append(
            format_html(
                '<ul class="tags" aria-label="{}">{}</ul>',
                gettext("Topics"),
                format_html_join(
                    "",
                    '<li><a href="{}">{}</a></li>',
                    ((topic.get_absolute_url(), topic.name) for topic in topics),
                ),
            )
        )
    return SafeString('<article class="card">' + "".join(parts) + "</div></article>")
