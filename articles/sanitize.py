"""The rich-text allowlist: what HTML an article body may contain.

Bodies are cleaned with nh3 (the Ammonia sanitizer) when an article is saved,
so nothing else in the project needs to trust or re-check them. Control
characters go too (usip_cms.text): the editor cannot show them, so an editor
could not remove one, and HTML and XML both forbid them.
"""

import re
from html import unescape

import nh3
from django.utils.html import strip_tags

from usip_cms.text import strip_control_characters

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
# Half of a UTF-16 pair alone is no character at all: it cannot be encoded,
# so it would fail the sanitizer (a JSON body can carry one, escaped as \ud800).
LONE_SURROGATES = re.compile("[\ud800-\udfff]")
# Word pastes a line break as a vertical tab: a newline keeps the words apart
# (and inside a link's scheme is ignored by nh3 as by browsers).
LINE_BREAKS = {0x0B: "\n", 0x0C: "\n"}


def clean_html(html):
    """Return html reduced to the allowlist; scripts and styles vanish whole."""
    # Control characters go before nh3 judges the markup: one inside a link's
    # scheme ("java\x01script:") would hide it from the scheme check and
    # make it live once removed. nh3 writes entities such as "&#x1;" out as
    # the characters themselves, so what it returns is cleaned once more;
    # that second output has no such entity left.
    cleaned = LONE_SURROGATES.sub("", html or "")
    for _ in range(2):
        cleaned = nh3.clean(
            strip_control_characters(cleaned.translate(LINE_BREAKS)),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    return cleaned.strip()


def plain_text(html):
    """The words of a fragment of HTML, for word counts and descriptions."""
    # The space before each tag keeps "</h2><p>" from gluing two words together.
    return " ".join(unescape(strip_tags((html or "").replace("<", " <"))).split())
