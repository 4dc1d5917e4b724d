"""Identifiers a report carries: ISBN, DOI, and the language tags of its files.

Each is checked when typed, stored in one normal form and printed in the form
readers expect: an ISBN as 13 digits, shown hyphenated by the ISBN agency's
ranges (python-stdnum ships them); a DOI as “10.prefix/suffix”, shown as a
https://doi.org/ link; a language as a BCP 47 tag in its usual case (pt-BR).
"""

import re
from urllib.parse import quote

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as Bad

# --- ISBN --------------------------------------------------------------------


def normalize_isbn(value):
    """ISBN-10 or ISBN-13, with or without hyphens, as 13 digits; "" stays "".

    Raises ValidationError naming what is wrong.
    """
    value = (value or "").strip()
    if not value:
        return ""
    compact = stdnum_isbn.compact(value.upper().removeprefix("ISBN").strip(" :"))
    try:
        if not re.fullmatch(r"\d{13}|\d{9}[\dX]", compact):
            raise InvalidFormat()
        stdnum_isbn.validate(compact)
    except InvalidChecksum:
        raise ValidationError(
            "The check digit of this ISBN is wrong: check it against the book's imprint page.",
            code="isbn_checksum",
        ) from None
    except (InvalidLength, InvalidFormat, Bad):
        raise ValidationError(
            "An ISBN has 10 or 13 digits (the last of an ISBN-10 may be X), "
            "e.g. 978-1-60127-535-6.",
            code="isbn_format",
        ) from None
    return stdnum_isbn.to_isbn13(compact)


def hyphenate_isbn(value):
    """978-1-60127-535-6: hyphens where the ISBN ranges put them."""
    return stdnum_isbn.format(value) if value else ""


# --- DOI ---------------------------------------------------------------------

DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
# The DOI Handbook: "10." and a registrant code, a slash, then any printable
# characters (no spaces).
DOI_SYNTAX = re.compile(r"^10\.\d{4,9}(\.\d+)*/\S+$")


def normalize_doi(value):
    """A DOI as “10.1234/abc”, from that form, a doi: name or a doi.org link."""
    value = (value or "").strip()
    lowered = value.lower()
    for prefix in ("doi:", *DOI_PREFIXES):
        if lowered.startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    if value and not DOI_SYNTAX.match(value):
        raise ValidationError(
            "A DOI starts with 10., a registrant number and a slash, e.g. 10.1234/sr.535.",
            code="doi_syntax",
        )
    return value


def doi_url(doi):
    """The https://doi.org/ link for doi, percent-encoded where a URL needs it."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-") if doi else ""


# --- Language tags -----------------------------------------------------------

# BCP 47's usual shapes: language, then script, region and variants.
LANGUAGE_TAG = re.compile(
    r"^(?P<language>[a-z]{2,3})(-(?P<script>[a-z]{4}))?(-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?P<variants>(-([a-z\d]{5,8}|\d[a-z\d]{3}))*)$",
    re.IGNORECASE,
)


def normalize_language(value):
    """A BCP 47 tag in its conventional case: “PT-br” → “pt-BR”, “zh-hant” → “zh-Hant”."""
    match = LANGUAGE_TAG.match((value or "").strip())
    if not match:
        raise ValidationError(
            "Give the language as a BCP 47 tag, e.g. en, fr, ar, pt-BR or zh-Hans.",
            code="language_tag",
        )
    language, script, region, variants = match.group("language", "script", "region", "variants")
    parts = [language.lower(), script and script.title(), region and region.upper()]
    return "-".join(part for part in parts if part) + variants.lower()


def language_name(tag):
    """“French” for fr, “Brazilian Portuguese” for pt-BR; the tag itself when unknown."""
    parts = tag.lower().split("-")
    # The longest known prefix: zh-Hant-TW is named as zh-Hant.
    for end in range(len(parts), 0, -1):
        if name := LANG_INFO.get("-".join(parts[:end]), {}).get("name"):
            return name
    return tag
