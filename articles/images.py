"""Photo uploads: what we accept, the clean copy we keep, and the sizes we serve.

Every uploaded file is treated as hostile until Pillow has decoded it. The
extension and the browser's content type are ignored: only the decoded format
counts. What gets stored is never the photographer's file but a re-encoded
copy without metadata, so camera EXIF (GPS positions, serial numbers, names)
can never reach the public site.
"""

import io
import math
import os
import warnings
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow format names we accept, mapped to the format we write back. MPO is
# what Pillow calls the multi-picture JPEGs some cameras and phones produce:
# they are ordinary JPEGs to browsers, so they are accepted as JPEG.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}

# Only these plugins may even look at an upload: a GIF, TIFF, SVG or PDF is
# never handed to a decoder we do not need. (MPO has no opener of its own: the
# JPEG plugin hands those files over.)
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP")

_SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "progressive": True, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}

RENDITION_WIDTHS = (480, 800, 1200, 1600)
RENDITION_DIR = "renditions"
_RENDITION_FORMATS = {"webp": ("WEBP", ".webp"), "jpeg": ("JPEG", ".jpg")}

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


# --- Validation -------------------------------------------------------------


def validate_image(uploaded_file):
    """Refuse anything that is not a sound JPEG, PNG or WebP of sensible size.

    Returns the Pillow format name of what was found: "JPEG", "PNG" or
    "WEBP". Raises ValidationError (codes: file_too_large, not_image,
    too_many_pixels, corrupt). The file is left rewound for whoever saves it.
    """
    fmt, _image = _decode(uploaded_file)
    return fmt


def _decode(uploaded_file):
    """Validate uploaded_file and return (output format, decoded image)."""
    size = _file_size(uploaded_file)
    if size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={
                "size": _megabytes(size, up=True),
                "limit": _megabytes(settings.PHOTO_MAX_BYTES, up=False),
            },
        )
    try:
        # verify() checks the structure (PNG checksums, chunk order) but
        # leaves the image unusable, so a second open decodes the pixels:
        # truncated data and decoder errors only show up there.
        with _open_checked(uploaded_file) as image, _decoding_errors():
            image.verify()
        with _open_checked(uploaded_file) as image, _decoding_errors():
            image.load()
            found = image.format
            # Animated files keep their first frame; copying detaches the
            # pixels from the file so it can be closed.
            decoded = image.copy()
    finally:
        uploaded_file.seek(0)
    return ACCEPTED_FORMATS[found], decoded


def _file_size(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def _megabytes(n, *, up):
    # The file's size is rounded up and the limit down, so a file just over
    # the limit never reads "The file is 15 MB; the limit is 15 MB."
    value = n / (1024 * 1024)
    value = math.ceil(value * 10) / 10 if up else math.floor(value * 10) / 10
    return f"{value:.1f}".removesuffix(".0") + " MB"


def _pixels(n):
    if n >= 1_000_000:
        count = f"{n / 1_000_000:.1f}".removesuffix(".0")
        return ngettext("%(count)s megapixel", "%(count)s megapixels", 1 if count == "1" else 2) % {
            "count": count
        }
    return ngettext("%(count)s pixel", "%(count)s pixels", n) % {"count": f"{n:,}"}


def _too_many_pixels(width=None, height=None):
    limit = _pixels(settings.PHOTO_MAX_PIXELS)
    if width is None:
        # Pillow refused before telling us the size.
        return ValidationError(
            _("The image has far too many pixels; the limit is %(limit)s."),
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _("The image is %(width)s × %(height)s pixels (%(pixels)s); the limit is %(limit)s."),
        code="too_many_pixels",
        params={
            "width": f"{width:,}",
            "height": f"{height:,}",
            "pixels": _pixels(width * height),
            "limit": limit,
        },
    )


@contextmanager
def _open_checked(file):
    """Open file with Pillow and check its size from the header alone.

    Nothing is decoded yet: width and height come from the header, so a tiny
    file claiming 30000 × 30000 pixels is refused before it can take memory.
    """
    file.seek(0)
    try:
        # Pillow warns (DecompressionBombWarning) above MAX_IMAGE_PIXELS and
        # raises above twice that. The warning is turned into an error for
        # this call only; Pillow's global limit is never touched. (Before
        # Python 3.14 catch_warnings is not thread-safe; the worst a race can
        # do is leave this "error" filter installed, which only makes Pillow
        # stricter.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=_OPEN_FORMATS)
    except UnidentifiedImageError:
        raise ValidationError(
            _("This is not a JPEG, PNG or WebP image."), code="not_image"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:
        # The header looked like one of our formats but could not be read.
        raise _corrupt() from None
    with image:
        width, height = image.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise _too_many_pixels(width, height)
        yield image


def _corrupt():
    return ValidationError(
        _("The image file is damaged or incomplete. Please export it again and re-upload it."),
        code="corrupt",
    )


@contextmanager
def _decoding_errors():
    # Pillow's decoders report bad input with many exception types (OSError,
    # SyntaxError, ValueError, struct.error, EOFError...). For an upload they
    # all mean the same thing, and none may turn into a server error.
    try:
        yield
    except ValidationError:
        raise
    except Exception:
        raise _corrupt() from None


# --- The clean copy ---------------------------------------------------------


def clean_image(uploaded_file):
    """Return a ContentFile holding a re-encoded, metadata-free copy.

    Validates first (same errors as validate_image). The copy keeps the
    detected format, is turned upright according to its EXIF orientation, has
    its colours converted to sRGB, and carries no EXIF, GPS, XMP, ICC profile,
    comment or text chunk. Animated files keep their first frame only.
    """
    fmt, image = _decode(uploaded_file)
    image = _strip_metadata(_mode_for(_upright_srgb(image), fmt))

    buffer = io.BytesIO()
    image.save(buffer, fmt, **_SAVE_OPTIONS[fmt])
    stem = os.path.splitext(os.path.basename(uploaded_file.name or ""))[0] or "photo"
    return ContentFile(buffer.getvalue(), name=stem + EXTENSIONS[fmt])


def _upright_srgb(image):
    """Decode, rotate as the camera meant, and convert colours to sRGB."""
    image.load()
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:
        # Unreadable EXIF is thrown away anyway; the picture itself is fine.
        upright = image.copy()
    return _to_srgb(upright)


def _to_srgb(image):
    """Convert pixels to sRGB so the ICC profile can be dropped.

    Browsers assume untagged images are sRGB. A photo in Adobe RGB or Display
    P3 would look dull without its profile, so its pixels are converted
    instead of keeping the profile (which may also name the device).
    """
    icc = image.info.get("icc_profile")
    if not icc:
        return image.convert("RGB") if image.mode == "CMYK" else image
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "sRGB" in ImageCms.getProfileDescription(profile) and image.mode != "CMYK":
            return image
        output_mode = "RGB" if image.mode == "CMYK" else image.mode
        converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken profile: keep the pixels as they are.
        return image.convert("RGB") if image.mode == "CMYK" else image
    converted.info = dict(image.info)
    return converted


def _mode_for(image, fmt):
    """A pixel mode the output format can store without surprises."""
    if fmt == "JPEG":
        if image.mode in ("RGB", "L"):
            return image
        return _flatten(image) if image.has_transparency_data else image.convert("RGB")
    if fmt == "WEBP":
        if image.mode in ("RGB", "RGBA"):
            return image
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    # PNG stores everything Pillow reads from a PNG, palettes included.
    if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
        return image
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _flatten(image, background=(255, 255, 255)):
    """Put a transparent image on white, for JPEG which has no alpha."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, background)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _strip_metadata(image):
    """A copy whose info holds nothing but what the pixels need.

    Pillow's encoders write back EXIF, XMP, ICC profiles, comments and PNG
    text chunks they find in image.info, so info is emptied. Only PNG/palette
    transparency is kept: it is part of the picture, not about it.
    """
    clean = image.copy()
    clean.info = {k: v for k, v in image.info.items() if k == "transparency"}
    return clean


# --- Renditions -------------------------------------------------------------


def rendition_widths(original_width):
    """The widths made for an image: never upscaled, always at least one."""
    return [w for w in RENDITION_WIDTHS if w <= original_width] or [original_width]


def make_renditions(photo):
    """Write WebP and JPEG copies of photo.image at RENDITION_WIDTHS.

    Files go to renditions/<pk>/<width>.webp and .jpg, replacing earlier ones;
    files left over from a previous, larger image are deleted. Returns what
    Photo.renditions stores: [{"width", "height", "webp", "jpeg"}, ...],
    narrowest first. The photo must be saved (its pk names the folder).
    """
    if photo.pk is None:
        raise ValueError("Save the photo first: its renditions are filed under its pk.")
    photo.image.open("rb")
    try:
        with _open_checked(photo.image) as image, _decoding_errors():
            source = _strip_metadata(_upright_srgb(image))
    finally:
        photo.image.close()
    source = source.convert("RGBA" if source.has_transparency_data else "RGB")

    folder = f"{RENDITION_DIR}/{photo.pk}"
    original_width, original_height = source.size
    renditions = []
    for width in rendition_widths(original_width):
        height = max(1, round(original_height * width / original_width))
        resized = source
        if width != original_width:
            resized = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        entry = {"width": width, "height": height}
        for key, (fmt, extension) in _RENDITION_FORMATS.items():
            pixels = _mode_for(resized, fmt)
            entry[key] = _write(f"{folder}/{width}{extension}", pixels, fmt)
        renditions.append(entry)

    keep = {name for entry in renditions for name in (entry["webp"], entry["jpeg"])}
    _delete_folder(folder, keep=keep)
    return renditions


def delete_renditions(photo):
    """Remove every rendition file of photo (e.g. when it is deleted)."""
    _delete_folder(f"{RENDITION_DIR}/{photo.pk}", keep=())


def _write(name, image, fmt):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **_SAVE_OPTIONS[fmt])
    # Storage.save never overwrites; it invents a new name instead. The names
    # must stay predictable, so the old file goes first.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def _delete_folder(folder, *, keep):
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for filename in files:
        name = f"{folder}/{filename}"
        if name not in keep:
            default_storage.delete(name)


def srcset(renditions, fmt):
    """The srcset value "url 480w, url 800w, ..." for fmt "webp" or "jpeg".

    URLs come from default_storage.url, which percent-encodes them, so no
    comma or space inside a name can break the list.
    """
    key = "jpeg" if fmt == "jpg" else fmt
    if key not in _RENDITION_FORMATS:
        raise ValueError(f"Unknown rendition format {fmt!r}; use 'webp' or 'jpeg'.")
    ordered = sorted(renditions, key=lambda entry: entry["width"])
    return ", ".join(f"{default_storage.url(entry[key])} {entry['width']}w" for entry in ordered)
