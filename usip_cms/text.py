"""Rules for plain text that any field of the site may hold.

C0 control characters (other than tab, newline and carriage return) are not
text: no editor means to type them, XML 1.0 forbids them, and one of them in a
title once made every feed fail for every reader. Forms refuse them on the way
in; XML output strips them on the way out, so no stored value can break a page.
"""

import re

from django.core.exceptions import ValidationError

# Characters XML 1.0 does not allow anywhere in a document (besides surrogates,
# which a Python str holding valid text does not contain), plus the C1 range
# and DEL, which are allowed but never meant.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def refuse_control_characters(value):
    """Validator for every text field that staff type into."""
    if isinstance(value, str) and (match := CONTROL_CHARACTERS.search(value)):
        raise ValidationError(
            "Remove the invisible control character (U+%(code)04X) from this text: "
            "it often comes with text pasted from another program.",
            code="control_character",
            params={"code": ord(match.group())},
        )


def strip_control_characters(value):
    """value without the characters XML cannot carry (for feeds and sitemaps)."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


# Bidirectional formatting characters: an override left open in a title
# turns round the text printed after it.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
OPEN_ISOLATES, CLOSE_ISOLATE = "\u2066\u2067\u2068", "\u2069"
# Line and paragraph breaks end an isolate as they end a paragraph.
BREAKS = str.maketrans("\n\r\u2028\u2029", "    ")


def isolate(value):
    """value as a bidirectional isolate (FSI … PDI) when it holds bidirectional
    formatting characters: what <bdi> does in HTML, for plain text such as an
    email's subject and body, so that a right-to-left override in a title
    cannot turn round the words printed after it. Inside, a closing PDI with
    no opener is dropped (it would close this isolate early), isolates left
    open are closed, and line breaks become spaces."""
    if not (isinstance(value, str) and BIDI_CONTROLS.search(value)):
        return value
    depth, kept = 0, []
    for character in value.translate(BREAKS):
        if character in OPEN_ISOLATES:
            depth += 1
        elif character == CLOSE_ISOLATE:
            if not depth:
                continue
            depth -= 1
        kept.append(character)
    return "\u2068" + "".join(kept) + CLOSE_ISOLATE * depth + CLOSE_ISOLATE


def shorten(value, limit):
    """value in at most limit characters, cut at a word with “…” when too long.

    For <title> (65 before the site's name) and meta descriptions (160):
    search engines cut longer ones themselves, mid-word.
    """
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"
