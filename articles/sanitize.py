"""The rich-text allowlist: what HTML an article body may contain.

Bodies are cleaned with nh3 (the Ammonia sanitizer) when an article is saved,
so nothing else in the project needs to trust or re-check them.
"""

from html import unescape

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "hr", "figure", "figcaption", "cite",
    "abbr", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html):
    """Return html reduced to the allowlist; scripts and styles vanish whole."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html):
    """The words of a fragment of HTML, for word counts and descriptions."""
    # The space before each tag keeps "</h2><p>" from gluing two words together.
    return " ".join(unescape(strip_tags((html or "").replace("<", " <"))).split())
