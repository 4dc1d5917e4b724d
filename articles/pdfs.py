"""PDF uploads: what we accept, what we read from them, and their cover images.

Every uploaded file is treated as hostile until two PDF readers have decoded
it: pypdf reads its structure (pages, encryption, every object a viewer can
reach), PDFium renders its first page. The file's name and the browser's
content type are ignored. A report's PDF is a document to read, so anything
that makes a viewer do something by itself is refused with the reason:
JavaScript, launch actions, actions run on opening, embedded files and forms.
"""

import hashlib
import io
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from articles.images import check_size

# A PDF may have some bytes before its header (the specification allows it).
HEADER_WINDOW = 1024
# The cover is rendered this wide, then resized for the page's two densities.
COVER_WIDTH = 480
COVER_WIDTHS = (120, 240, 480)

# PDFium keeps global state and is not safe to call from two threads at once
# (the development server and threaded WSGI servers run requests in threads).
_pdfium_lock = threading.Lock()


@dataclass
class PdfInfo:
    page_count: int
    size: int
    sha256: str
    cover: Image.Image  # the first page, COVER_WIDTH pixels wide


def check_pdf(file):
    """Refuse anything that is not a sound, passive PDF within the limits.

    Returns PdfInfo. Raises ValidationError (codes: file_too_large, not_pdf,
    encrypted, too_many_pages, damaged, active_content). The file is left
    rewound for whoever saves it.
    """
    size = check_size(file, settings.PDF_MAX_BYTES)
    try:
        file.seek(0)
        if b"%PDF-" not in file.read(HEADER_WINDOW):
            raise ValidationError(
                _("This is not a PDF file. Export the report as PDF and upload that."),
                code="not_pdf",
            )
        reader = _read(file)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "The PDF is encrypted or password-protected. Save a copy without "
                    "protection (no password, no restrictions) and upload that."
                ),
                code="encrypted",
            )
        page_count = _page_count(reader)
        if page_count > settings.PDF_MAX_PAGES:
            raise ValidationError(
                _("The PDF has %(count)s pages; the limit is %(limit)s."),
                code="too_many_pages",
                params={"count": f"{page_count:,}", "limit": f"{settings.PDF_MAX_PAGES:,}"},
            )
        found = active_content(reader)
        if found:
            raise ValidationError(
                _(
                    "This PDF cannot be published because it contains %(found)s. Export it "
                    "again without them (for example as PDF/A, or with “Print to PDF”)."
                ),
                code="active_content",
                params={"found": _join([str(reason) for reason in found])},
            )
        cover = render_cover(file)
        return PdfInfo(page_count, size, _sha256(file), cover)
    finally:
        file.seek(0)


def _damaged():
    return ValidationError(
        _("The PDF is damaged or incomplete. Export it again and re-upload it."),
        code="damaged",
    )


def _read(file):
    file.seek(0)
    try:
        return PdfReader(file)
    except Exception:
        # pypdf reports broken files with many exception types; for an
        # upload they all mean the same thing, and none may become a 500.
        raise _damaged() from None


def _page_count(reader):
    try:
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading each page's size checks it is there
        count = len(reader.pages)
    except Exception:
        raise _damaged() from None
    if count == 0:
        raise _damaged()
    return count


def _sha256(file):
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _join(items):
    """“a, b and c”."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + _(" and ") + items[-1]


# --- Active content ---------------------------------------------------------

# Action types (the /S of an action dictionary) that a reading copy never needs.
FORBIDDEN_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToR": "launch",  # opens another file
    "/GoToE": "embedded",  # opens an embedded file
    "/SubmitForm": "form",
    "/ResetForm": "form",
    "/ImportData": "form",
    "/Rendition": "javascript",  # may carry JavaScript and plays media
}
# In the order they are named to the editor.
REASONS = {
    "javascript": gettext_lazy("JavaScript"),
    "launch": gettext_lazy("actions that launch a program or open another file"),
    "open": gettext_lazy("actions that run by themselves when it is opened"),
    "embedded": gettext_lazy("embedded files"),
    "form": gettext_lazy("form fields"),
}


def active_content(reader):
    """What in the PDF could make a viewer act by itself, as reasons to show.

    Every object reachable from the document catalog is visited once (pages,
    annotations, outlines, name trees), without decoding any stream.
    """
    kinds = set()
    found = kinds.add

    try:
        root = reader.trailer["/Root"].get_object()
        open_action = root.get("/OpenAction")
        if open_action is not None:
            open_action = open_action.get_object()
            # An array is a destination (“open at page 2”), and GoTo an action
            # doing only that: harmless. Anything else runs on opening.
            if isinstance(open_action, DictionaryObject) and open_action.get("/S") != "/GoTo":
                found("open")
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            if "/JavaScript" in names:
                found("javascript")
            if "/EmbeddedFiles" in names:
                found("embedded")
        form = root.get("/AcroForm")
        if form is not None:
            form = form.get_object()
            if form.get("/Fields") or "/XFA" in form:
                found("form")
        _walk(root, found)
    except RecursionError:
        raise _damaged() from None
    except ValidationError:
        raise
    except Exception:
        raise _damaged() from None
    return [reason for kind, reason in REASONS.items() if kind in kinds]


def _walk(root, found):
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            _inspect(node, found)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _inspect(node, found):
    action = node.get("/S")
    if action in FORBIDDEN_ACTIONS:
        found(FORBIDDEN_ACTIONS[action])
    elif "/JS" in node:
        found("javascript")
    if "/AA" in node:
        # Additional actions: run when a page opens, a field is touched, the
        # document is printed or closed...
        found("open")
    if "/EF" in node or node.get("/Subtype") in ("/FileAttachment", "/RichMedia"):
        found("embedded")
    if node.get("/Subtype") == "/Widget" or "/FT" in node:
        found("form")


# --- The cover --------------------------------------------------------------


def render_cover(file):
    """The first page as a Pillow image COVER_WIDTH pixels wide (at most twice as tall)."""
    file.seek(0)
    try:
        with _pdfium_lock:
            document = pdfium.PdfDocument(file.read())
            try:
                page = document[0]
                width, height = page.get_size()
                scale = min(COVER_WIDTH / width, 2 * COVER_WIDTH / height)
                image = page.render(scale=scale, draw_annots=False).to_pil()
            finally:
                document.close()
    except Exception:
        raise _damaged() from None
    return image.convert("RGB")


def png_bytes(image):
    """image as PNG: how the cover reaches the rendition pipeline (articles.images)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def stored_name(upload_name, sha256):
    """editions/<first 20 hex digits of the digest>/<slug of the upload's name>.pdf.

    Nothing of the uploader's file name is kept beyond a slug of it.
    """
    stem = (upload_name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"editions/{sha256[:20]}/{slugify(stem)[:60] or 'report'}.pdf"
