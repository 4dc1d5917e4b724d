from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from articles.models import default_language
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


@register.filter
def long_date(value):
    """“Friday, November 22, 2024”, in the site's time zone; on a page in
    another language (translation.override by the article page), that
    language's own long date: “22 novembre 2024”, “22 نوفمبر 2024”."""
    if value is None:
        return ""
    if get_language().split("-")[0] != default_language():
        return template.defaultfilters.date(value, "DATE_FORMAT")
    return template.defaultfilters.date(value, "l, F j, Y")


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
