from django import template
from django.utils.html import format_html, format_html_join

from publications import cards
from publications.feeds import feed_links
from usip_cms import text

register = template.Library()


@register.filter
def shorten(value, limit):
    """value in at most limit characters, cut at a word (usip_cms.text.shorten)."""
    return text.shorten(value, int(limit))


@register.simple_tag
def site_feeds():
    """The whole site's feeds, one FeedLink per format (publications.feeds.WRITERS)."""
    return feed_links(None, None)


@register.filter(expects_localtime=True)
def long_date(value):
    """The long date of a card (publications.cards.long_date), in the site's
    time zone like the datetime attribute beside it."""
    return cards.long_date(value)


@register.simple_tag
def card(article, heading_level=2, eager=False):
    """One publication as a card (publications.cards.card)."""
    return cards.card(article, heading_level, eager)


@register.simple_tag
def card_meta(article):
    """A card's date and byline (publications.cards.card_meta)."""
    return cards.card_meta(article)


@register.simple_tag
def picture(photo, sizes, decorative=False, lazy=False, priority=False):
    """A photo's renditions as a <picture> (publications.cards.picture)."""
    return cards.picture(photo, sizes, decorative, lazy, priority)


@register.simple_tag
def options(field):
    """The <option>s (and <optgroup>s) of a filter menu.

    Built here rather than by the form widget, whose template per option made
    the publications list several times slower to render (110 regions).
    """
    selected = str(field.value() or "")
    # Made once per menu and choice in each process: the same vocabularies
    # give the same menus on every page (keyed by the choices themselves, so
    # a renamed term is a new menu; the oldest are forgotten past a bound).
    choices = tuple(
        (value, tuple(label) if isinstance(label, (list, tuple)) else label)
        for value, label in field.field.choices
    )
    memo = (selected, choices)
    html = _menus.get(memo)
    if html is None:
        if len(_menus) >= MENUS_KEPT:
            _menus.clear()
        html = _menus[memo] = render_options(choices, selected)
    return html


# Rendered menus, per process: (selected, choices) -> html.
_menus = {}
MENUS_KEPT = 200


def render_options(choices, selected):
    def option(value, label):
        if selected and str(value) == selected:
            return format_html('<option value="{}" selected>{}</option>', value, label)
        return format_html('<option value="{}">{}</option>', value, label)

    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            inner = format_html_join("", "{}", ((option(v, lab),) for v, lab in label))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, inner))
        else:
            parts.append(option(value, label))
    return format_html_join("", "{}", ((part,) for part in parts))
