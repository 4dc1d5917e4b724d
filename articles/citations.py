"""“Cite this”: one CSL-JSON record per article, and what is made from it.

The record (csl_item) is the single description of how an article is cited.
The page's formatted citations are rendered from it by citeproc-py with the
official CSL styles in articles/csl/ (APA 7, Chicago 17 notes-bibliography,
MLA 9); the downloads are the record itself (CSL-JSON), BibTeX and RIS, each
written with its own escaping rules.

Rendering one citation takes citeproc-py 15–50 ms, so the formatted text is
kept in the cache under a digest of the record: it is rendered once per
change of anything the citation shows, never per page view.
"""

import hashlib
import json
import logging
import re
import threading
from pathlib import Path
from types import SimpleNamespace

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from usip_cms.site import absolute_url
from usip_cms.text import strip_control_characters

logger = logging.getLogger(__name__)

CSL_DIR = Path(__file__).resolve().parent / "csl"
# key: (label, file in articles/csl/)
STYLES = {
    "apa": ("APA 7", "apa.csl"),
    "chicago": (
        "Chicago 17 (notes and bibliography)",
        "chicago-notes-bibliography-17th-edition.csl",
    ),
    "mla": ("MLA 9", "modern-language-association.csl"),
}
CACHE_SECONDS = 60 * 60 * 24 * 30

# --- The record ---------------------------------------------------------------


def csl_item(article):
    """The article as one CSL-JSON item (a dict), from what the page has loaded.

    Reads the byline, publication type, series and editions, all loaded by
    the article page and the citation views beforehand: no queries.
    """
    item = {
        "id": article.slug,
        "type": "report" if article.is_report else "webpage",
        "title": article.title,
        "author": [csl_name(author) for author in article.ordered_authors],
        "URL": absolute_url(article.get_absolute_url()),
        "abstract": article.summary,
        "language": article.language,
    }
    if article.published_at:
        day = timezone.localtime(article.published_at)
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if article.is_report:
        item["publisher"] = settings.SITE_NAME
        item["publisher-place"] = settings.PUBLISHER_PLACE
        item["genre"] = article.publication_type.name
        if article.series_id:
            item["number"] = str(article.series_number)
            if not _names_the_type(article.series, article.publication_type):
                item["collection-title"] = article.series.name
    else:
        item["container-title"] = settings.SITE_NAME
    if article.isbn:
        item["ISBN"] = article.isbn_hyphenated
    if article.doi:
        item["DOI"] = article.doi
    return {key: value for key, value in item.items() if value not in ("", [], None)}


def csl_name(author):
    parts = author.name_parts
    name = {
        "family": parts.family,
        "given": parts.given,
        "non-dropping-particle": parts.particle,
        "suffix": parts.suffix,
    }
    return {key: value for key, value in name.items() if value}


def _names_the_type(series, publication_type):
    """Whether the series' name only repeats the type (“Special Reports”)."""
    names = {publication_type.name.lower(), (publication_type.plural or "").lower()}
    return series.name.lower() in names


def csl_json(article):
    """The CSL-JSON download: a list holding the one item."""
    return json.dumps([csl_item(article)], ensure_ascii=False, indent=2) + "\n"


# --- Formatted citations --------------------------------------------------------

# citeproc-py 0.11 ignores two rules of CSL 1.0.1 that Chicago and MLA rely
# on; both are restored here and covered by tests/test_citations.py.
#
# 1. initialize="false" on a name: given names stay whole (“Whitcombe,
#    Thomas”, not “Whitcombe, T.”); only initials already there get a period.
_citeproc_initialize = Name.initialize


def _initialize(self, given, mark, context):
    if self.get("initialize", "true").lower() == "false":
        return " ".join(
            word + mark.strip() if len(word) == 1 and word.isupper() else word
            for word in given.split()
        )
    return _citeproc_initialize(self, given, mark, context)


Name.initialize = _initialize

# 2. punctuation-in-quote (en-US): a period or comma after a closing quote
#    goes inside it (“Title.” not “Title”.).
_PUNCTUATION_AFTER_QUOTE = re.compile(r"((?:’)?”)([.,])")

# The formatter citeproc-py writes with. Its own HTML formatter does not
# escape the record's text, so this one marks the styling with control
# characters (which the record never holds), the text is then escaped as a
# whole, and the marks become the only tags.
_OPEN, _CLOSE = "\x0e", "\x0f"
_TAGS = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sup": ("<sup>", "</sup>")}
_TAGS |= {"sub": ("<sub>", "</sub>"), "sc": ('<span class="small-caps">', "</span>")}
_MARK = re.compile(f"{_OPEN}(/?)({'|'.join(_TAGS)}){_CLOSE}")


def _marker(tag):
    class Marked(str):
        def __new__(cls, text):
            return super().__new__(cls, f"{_OPEN}{tag}{_CLOSE}{text}{_OPEN}/{tag}{_CLOSE}")

    return Marked


_FORMATTER = SimpleNamespace(
    preformat=lambda text: text,
    Italic=_marker("i"),
    Oblique=_marker("i"),
    Bold=_marker("b"),
    Light=str,
    Underline=str,
    Superscript=_marker("sup"),
    Subscript=_marker("sub"),
    SmallCaps=_marker("sc"),
)

_styles = {}
_styles_lock = threading.Lock()


def _style(key):
    # Parsed once per process (0.1–0.3 s each). A style object keeps state
    # while it renders, so renders take turns (they are rare: see formatted()).
    if key not in _styles:
        _styles[key] = CitationStylesStyle(str(CSL_DIR / STYLES[key][1]), validate=False)
    return _styles[key]


def render(item, key):
    """The item formatted in style key, as HTML (a SafeString)."""
    record = {
        name: strip_control_characters(value) if isinstance(value, str) else value
        for name, value in item.items()
    }
    with _styles_lock:
        bibliography = CitationStylesBibliography(_style(key), CiteProcJSON([record]), _FORMATTER)
        bibliography.register(Citation([CitationItem(record["id"])]))
        [text] = bibliography.bibliography()
    text = _PUNCTUATION_AFTER_QUOTE.sub(r"\2\1", str(text))
    html = _MARK.sub(lambda m: _TAGS[m.group(2)][1 if m.group(1) else 0], escape(text))
    return mark_safe(html)  # noqa: S308 - the text was escaped; only _TAGS were added


def formatted(article):
    """[{"key", "label", "html"}] in APA, Chicago and MLA, from the cache when it can."""
    item = csl_item(article)
    digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
    cache_key = f"citations:{digest}"
    try:
        found = cache.get(cache_key)
    except Exception as error:  # whatever the backend raises, the page must not fail
        logger.warning("Cache unavailable, citations rendered again: %r", error)
        found = cache_key = None
    if found is None:
        found = {key: str(render(item, key)) for key in STYLES}
        if cache_key:
            try:
                cache.set(cache_key, found, CACHE_SECONDS)
            except Exception as error:
                logger.warning("Cache unavailable, citations not kept: %r", error)
    return [
        {"key": key, "label": label, "html": mark_safe(found[key])}  # noqa: S308 - from render()
        for key, (label, _file) in STYLES.items()
    ]


# --- BibTeX ---------------------------------------------------------------------

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_text(value):
    """Text for a BibTeX field: one line, LaTeX's special characters escaped.

    Letters outside ASCII stay as they are (UTF-8, read by biber and by
    BibTeX with inputenc).
    """
    value = " ".join(strip_control_characters(str(value)).split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_SPECIALS[m.group()], value)


def bibtex_verbatim(value):
    """A URL or DOI: kept as typed, but braces and backslashes (which would end
    or break the field) percent-encoded."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _bibtex_name_part(part):
    text = bibtex_text(part)
    # “and” or a comma inside a part would split the name list or the name.
    return f"{{{text}}}" if re.search(r"(^|\s)and(\s|$)|,", text, re.IGNORECASE) else text


def bibtex_name(parts):
    """“de Beauvoir, Simone”, “King, Jr., Martin Luther”, “Plato”."""
    family = " ".join(p for p in (parts.particle, _bibtex_name_part(parts.family)) if p)
    given = _bibtex_name_part(parts.given) if parts.given else ""
    if parts.suffix:
        return f"{family}, {bibtex_text(parts.suffix)}, {given}"
    return f"{family}, {given}" if given else family


def bibtex_key(article):
    authors = article.ordered_authors
    who = slugify(authors[0].name_parts.family).replace("-", "") if authors else ""
    year = str(timezone.localtime(article.published_at).year) if article.published_at else ""
    words = [w for w in slugify(article.title).split("-") if w not in {"a", "an", "the"}]
    return (who + year + (words[0] if words else "")) or article.slug.replace("-", "")


def bibtex(article):
    """A @techreport (reports) or @misc (everything else) entry."""
    item = csl_item(article)
    fields = [("author", " and ".join(bibtex_name(a.name_parts) for a in article.ordered_authors))]
    fields.append(("title", bibtex_text(article.title)))
    if article.is_report:
        entry_type = "techreport"
        fields += [
            ("institution", bibtex_text(settings.SITE_NAME)),
            ("address", bibtex_text(settings.PUBLISHER_PLACE)),
            ("type", bibtex_text(article.publication_type.name)),
        ]
        if article.series_id:
            fields.append(("number", str(article.series_number)))
        if "collection-title" in item:
            fields.append(("series", bibtex_text(item["collection-title"])))
    else:
        entry_type = "misc"
        fields += [
            ("howpublished", bibtex_text(settings.SITE_NAME)),
            ("note", bibtex_text(article.publication_type.name)),
        ]
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        fields += [("year", str(year)), ("month", MONTHS[month - 1])]
        fields.append(("date", f"{year:04}-{month:02}-{day:02}"))
    if article.isbn:
        fields.append(("isbn", article.isbn_hyphenated))
    if article.doi:
        fields.append(("doi", bibtex_verbatim(article.doi)))
    fields.append(("url", bibtex_verbatim(item["URL"])))
    if article.summary:
        fields.append(("abstract", bibtex_text(article.summary)))
    lines = [
        # A month is written as BibTeX's macro (nov), everything else in braces.
        f"  {name} = {value if name == 'month' else '{' + value + '}'},"
        for name, value in fields
        if value
    ]
    return f"@{entry_type}{{{bibtex_key(article)},\n" + "\n".join(lines) + "\n}\n"


# --- RIS ------------------------------------------------------------------------


def ris_text(value):
    """RIS data: one line (a line break would start a new tag), no control characters."""
    return " ".join(strip_control_characters(str(value)).split())


def ris_name(parts):
    """“de Beauvoir, Simone”, “King, Martin Luther, Jr.”, “Plato”."""
    family = parts.family_with_particle
    name = f"{family}, {parts.given}" if parts.given else family
    return f"{name}, {parts.suffix}" if parts.suffix else name


def ris(article):
    """A RIS record: TY RPRT for reports, ELEC (web page) for the rest.

    Lines are “TAG  - data”, ended by CR LF as the format specifies.
    """
    item = csl_item(article)
    tags = [("TY", "RPRT" if article.is_report else "ELEC"), ("TI", article.title)]
    tags += [("AU", ris_name(author.name_parts)) for author in article.ordered_authors]
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        tags += [("PY", f"{year:04}"), ("DA", f"{year:04}/{month:02}/{day:02}")]
    if article.is_report:
        tags += [
            ("PB", settings.SITE_NAME),
            ("CY", settings.PUBLISHER_PLACE),
            ("M3", article.publication_type.name),
        ]
        if article.series_id:
            tags.append(("VL", str(article.series_number)))  # the report number
        if "collection-title" in item:
            tags.append(("T3", item["collection-title"]))
    else:
        tags += [("T2", settings.SITE_NAME), ("PB", settings.SITE_NAME)]
        tags.append(("M3", article.publication_type.name))
    if article.isbn:
        tags.append(("SN", article.isbn_hyphenated))
    if article.doi:
        tags.append(("DO", article.doi))
    tags.append(("UR", item["URL"]))
    if full := article.full_edition:
        tags.append(("L1", absolute_url(full.get_absolute_url())))
    if article.summary:
        tags.append(("AB", article.summary))
    tags += [("KW", topic.name) for topic in article.topics.all()]
    tags.append(("LA", item["language"]))
    lines = [f"{tag}  - {ris_text(value)}" for tag, value in tags if ris_text(value)]
    return "\r\n".join([*lines, "ER  - ", ""])
