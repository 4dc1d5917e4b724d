"""Photo uploads: what we accept, the clean copy we keep, and the sizes we serve.

Every uploaded file is treated as hostile until Pillow has decoded it. The
extension and the browser's content type are ignored: only the decoded format
counts. What gets stored is never the photographer's file but a re-encoded
copy without metadata, so camera EXIF (GPS positions, serial numbers, names)
can never reach the public site. Nothing of the uploader's file name is kept
either: stored files and renditions get random names, so a photo that is not
public yet cannot be fetched by guessing its address.

Memory is bounded: the copy kept is at most MAX_STORED_SIDE pixels on its long
side, a JPEG is decoded at reduced size whenever that is enough (Image.draft),
and no step keeps a second full-size copy of the pixels alive. (README,
Production: a 36-megapixel JPEG takes 64 MB above the process's own 49 MB.)
"""

import contextlib
import io
import math
import os
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

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
    # Renditions only (uploads are never stored as AVIF). Speed 8 of 0–10:
    # encoding a 1600 px copy takes a fraction of a second, and the file is
    # still a third smaller than the WebP.
    "AVIF": {"quality": 55, "speed": 8},
}

# The longest side of the copy we keep. A larger upload is reduced by the
# smallest whole factor that fits (a JPEG by 2, 4 or 8, inside the decoder):
# a 36-megapixel photo of 7360 × 4912 is kept at 3680 × 2456. Pages show at
# most the widest rendition; the rest is room for sharper renditions later,
# and the bound caps the memory of every later step.
MAX_STORED_SIDE = 4000

RENDITION_WIDTHS = (480, 800, 1200, 1600)
# An author's portrait is shown 160 px wide: 1×, 2× and 3× screens.
PORTRAIT_WIDTHS = (160, 320, 480)
RENDITION_DIR = "renditions"
# Each rendition in every format a <picture> offers, smallest first: AVIF for
# the browsers that read it (Pillow 13 writes it), then WebP, then JPEG for
# any other. Renditions made before AVIF was added have no "avif" entry until
# `manage.py renditions` makes them again.
_RENDITION_FORMATS = {
    "avif": ("AVIF", ".avif"),
    "webp": ("WEBP", ".webp"),
    "jpeg": ("JPEG", ".jpg"),
}

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


def _decode(uploaded_file, *, longest=None):
    """Validate uploaded_file and return (output format, decoded image).

    With longest, a JPEG longer than that is decoded at 1/2, 1/4 or 1/8 of
    its size, the first that fits (a 7360 px photo is read at 3680 px for a
    longest of 4000): its full-size pixels are never in memory at all.
    """
    check_size(uploaded_file, settings.PHOTO_MAX_BYTES)
    try:
        # verify() checks the structure (PNG checksums, chunk order) but
        # leaves the image unusable, so a second open decodes the pixels:
        # truncated data and decoder errors only show up there.
        with _decoding_errors():
            _open_checked(uploaded_file).verify()
        image = _open_checked(uploaded_file)
        found = image.format
        with _decoding_errors():
            if longest:
                _draft(image, _power_of_two(max(image.size) / longest, up=True))
            # Animated files keep their first frame: load() reads only that.
            image.load()
    finally:
        uploaded_file.seek(0)
    return ACCEPTED_FORMATS[found], image


def _draft(image, scale):
    """Have the JPEG decoder read image at 1/scale of its size (scale 2, 4 or 8).

    libjpeg scales while it decodes, at no cost in quality worth seeing. Other
    formats always decode whole.
    """
    if image.format in ("JPEG", "MPO") and scale >= 2:
        width, height = image.size
        # Pillow picks the largest scale that keeps the size asked for.
        image.draft(image.mode, (max(1, width // scale), max(1, height // scale)))


def _power_of_two(ratio, *, up):
    """The scale, 1 to 8, nearest ratio: the next power of two above it if up, else below."""
    if ratio <= 1:
        return 1
    exponent = math.log2(ratio)
    return 2 ** min(3, math.ceil(exponent) if up else math.floor(exponent))


def check_size(file, limit):
    """The file's size in bytes; a ValidationError (file_too_large) over limit."""
    size = _file_size(file)
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": _megabytes(size, up=True), "limit": _megabytes(limit, up=False)},
        )
    return size


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


def _open_checked(file):
    """Open file with Pillow and check its size from the header alone.

    Nothing is decoded yet: width and height come from the header, so a tiny
    file claiming 30000 × 30000 pixels is refused before it can take memory.
    The image is not closed: file is the caller's, and the pixels are freed
    with the image.
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
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def _corrupt():
    return ValidationError(
        _("The image file is damaged or incomplete. Please export it again and re-upload it."),
        code="corrupt",
    )


@contextlib.contextmanager
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
    its colours converted to sRGB, is at most MAX_STORED_SIDE pixels on its
    long side, and carries no EXIF, GPS, XMP, ICC profile, comment or text
    chunk. Animated files keep their first frame only. Its name is the
    upload's with the extension of the decoded format; the stored name is
    made up by RandomName.
    """
    fmt, image = _decode(uploaded_file, longest=MAX_STORED_SIDE)
    # Each step returns a new image or the same one; rebinding one name lets
    # the previous pixels go at once, so at most two copies are ever alive.
    image = _upright_srgb(image)
    image = _fit(image, MAX_STORED_SIDE)
    image = _strip_metadata(_mode_for(image, fmt))
    data = _encode(image, fmt)
    del image
    stem = os.path.splitext(os.path.basename(uploaded_file.name or ""))[0] or "photo"
    return ContentFile(data, name=stem + EXTENSIONS[fmt])


def _upright_srgb(image):
    """Decode, rotate as the camera meant, and convert colours to sRGB."""
    image.load()
    # Unreadable EXIF is thrown away anyway; the picture itself is fine.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    return _to_srgb(image)


def _fit(image, longest):
    """image, or a copy reduced by a whole factor until neither side exceeds longest.

    Averaging blocks of 2 × 2 (3 × 3…) pixels reads the image once and writes
    only the small copy: a resize would need a large intermediate image.
    """
    factor = math.ceil(max(image.size) / longest)
    if factor == 1:
        return image
    if image.mode in ("1", "P"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if image.mode == "I;16":
        # reduce() does not take 16-bit grey; a box resize is the same average.
        size = (math.ceil(image.width / factor), math.ceil(image.height / factor))
        return image.resize(size, Image.Resampling.BOX)
    return image.reduce(factor)


def _encode(image, fmt):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **_SAVE_OPTIONS[fmt])
    return buffer.getvalue()


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
    if fmt in ("WEBP", "AVIF"):
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
    """image, its info holding nothing but what the pixels need.

    Pillow's encoders write back EXIF, XMP, ICC profiles, comments and PNG
    text chunks they find in image.info, so info is emptied. Only PNG/palette
    transparency is kept: it is part of the picture, not about it. (The
    image is changed in place: every caller owns the image it passes.)
    """
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    return image


# --- Renditions -------------------------------------------------------------


def rendition_widths(original_width, widths=RENDITION_WIDTHS):
    """The widths made for an image: never upscaled, always at least one."""
    return [w for w in widths if w <= original_width] or [original_width]


def make_renditions(photo, *, field="image", folder=RENDITION_DIR, widths=RENDITION_WIDTHS):
    """Write WebP and JPEG copies of photo's image (photo.<field>) at widths.

    Files go to <folder>/<pk>/<version>-<width>.webp and .jpg, where version
    is new random hex each time: a new image gets new addresses (no cache
    serves the old picture), and none can be guessed from the photo's id.
    Every other file in the folder (earlier versions) is deleted. Returns
    what Photo.renditions stores: [{"width", "height", "webp", "jpeg"}, ...],
    narrowest first. The photo must be saved (its pk names the folder).
    """
    if photo.pk is None:
        raise ValueError("Save the photo first: its renditions are filed under its pk.")
    target = f"{folder}/{photo.pk}"
    renditions = write_renditions(getattr(photo, field), target, widths)
    _delete_folder(target, keep=set(rendition_names(renditions)))
    return renditions


def write_renditions(image_file, folder, widths=RENDITION_WIDTHS):
    """make_renditions without deleting anything: the new files and their list."""
    image_file.open("rb")
    try:
        image = _open_checked(image_file)
        upright_width = image.height if _turned(image) else image.width
        widest = max(rendition_widths(upright_width, widths))
        with _decoding_errors():
            # A stored 4000 px JPEG is read at 2000 px for a widest of 1600.
            _draft(image, _power_of_two(upright_width / widest, up=False))
            image.load()
    finally:
        image_file.close()
    source = _strip_metadata(_upright_srgb(image))
    del image
    if source.mode not in ("RGB", "RGBA"):
        source = source.convert("RGBA" if source.has_transparency_data else "RGB")

    version = secrets.token_hex(16)
    source_width, source_height = source.size
    renditions = []
    for width in rendition_widths(upright_width, widths):
        height = max(1, round(source_height * width / source_width))
        resized = source
        if width != source_width:
            resized = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        entry = {"width": width, "height": height}
        for key, (fmt, extension) in _RENDITION_FORMATS.items():
            data = _encode(_mode_for(resized, fmt), fmt)
            entry[key] = default_storage.save(
                f"{folder}/{version}-{width}{extension}", ContentFile(data)
            )
        renditions.append(entry)
    return renditions


# Social cards (OpenGraph, Twitter): 1.91:1, 1200 pixels wide at most.
SOCIAL_SIZE = (1200, 630)


def crop_box(width, height, focal_x, focal_y, aspect):
    """The largest box of the given aspect (width / height) inside a picture of
    width × height, centred as near the focal point (fractions 0–1) as fits."""
    if width / height > aspect:
        box_width, box_height = round(height * aspect), height
    else:
        box_width, box_height = width, round(width / aspect)
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def make_social_image(photo, folder=RENDITION_DIR):
    """A JPEG of SOCIAL_SIZE cut around the photo's focal point from its widest
    rendition (1600 px, or the stored image when that is narrower than a card
    but the image is not): {"name", "width", "height"}, smaller for a small photo."""
    widest = max(photo.renditions, key=lambda entry: entry["width"])
    name = widest["jpeg"]
    if widest["width"] < SOCIAL_SIZE[0] and (photo.width or 0) > widest["width"]:
        name = photo.image.name  # stored re-encoded, upright and at most 4,000 px
    with default_storage.open(name) as stored:
        source = Image.open(stored)
        source.load()
    source = _mode_for(source, "JPEG")  # transparency on white, as for the JPEG renditions
    aspect = SOCIAL_SIZE[0] / SOCIAL_SIZE[1]
    cropped = source.crop(crop_box(*source.size, photo.focal_x, photo.focal_y, aspect))
    if cropped.width > SOCIAL_SIZE[0]:
        cropped = cropped.resize(SOCIAL_SIZE, Image.Resampling.LANCZOS, reducing_gap=3.0)
    name = default_storage.save(
        f"{folder}/{photo.pk}/{secrets.token_hex(16)}-social.jpg",
        ContentFile(_encode(_strip_metadata(cropped), "JPEG")),
    )
    return {"name": name, "width": cropped.width, "height": cropped.height}


def _turned(image):
    """Whether the EXIF orientation swaps width and height."""
    try:
        return image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
    except Exception:
        # Unreadable EXIF is ignored by _upright_srgb too.
        return False


def delete_renditions(photo, *, folder=RENDITION_DIR):
    """Remove every rendition file of photo (e.g. when its image is removed)."""
    _delete_folder(f"{folder}/{photo.pk}", keep=())


def _delete_folder(folder, *, keep):
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for filename in files:
        name = f"{folder}/{filename}"
        if name not in keep:
            default_storage.delete(name)


def rendition_names(renditions):
    """Every stored file name in a renditions list, whatever formats each entry has."""
    return [entry[key] for entry in renditions for key in _RENDITION_FORMATS if key in entry]


def needs_renditions(renditions, image_width, widths=RENDITION_WIDTHS):
    """Whether a renditions list lacks a width or a format it should have.

    For `manage.py renditions`: photos made before AVIF, or before a width
    was added, are made again; up-to-date ones are left alone. (Stored images
    are upright, so image_width is the width renditions are made from.)
    """
    if not renditions:
        return True
    have = sorted(entry["width"] for entry in renditions)
    if image_width and have != rendition_widths(image_width, widths):
        return True
    return any(key not in entry for entry in renditions for key in _RENDITION_FORMATS)


def srcset(renditions, fmt):
    """The srcset value "url 480w, url 800w, ..." for fmt "avif", "webp" or "jpeg".

    URLs come from default_storage.url, which percent-encodes them, so no
    comma or space inside a name can break the list. Entries made before a
    format existed are left out ("" when none has it: no <source> then).
    """
    key = "jpeg" if fmt == "jpg" else fmt
    if key not in _RENDITION_FORMATS:
        raise ValueError(f"Unknown rendition format {fmt!r}; use 'avif', 'webp' or 'jpeg'.")
    ordered = sorted((e for e in renditions if key in e), key=lambda entry: entry["width"])
    return ", ".join(f"{default_storage.url(entry[key])} {entry['width']}w" for entry in ordered)


def narrowest(renditions):
    """The narrowest rendition, for an img's src, width and height: {"url", "width", "height"}."""
    entry = min(renditions, key=lambda entry: entry["width"])
    return {"url": default_storage.url(entry["jpeg"]), **{k: entry[k] for k in ("width", "height")}}


# --- Stored names -----------------------------------------------------------


@deconstructible
class RandomName:
    """upload_to for stored images: <folder>/<yyyy>/<random 128-bit hex>.<ext>.

    Nothing of the uploader's file name is kept: it may say what the picture
    shows, and a name that can be guessed can be fetched before the article
    is public. The extension is the one clean_image gave for the decoded
    format (.jpg, .png or .webp); any other is dropped.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = os.path.splitext(filename)[1].lower()
        extension = ".jpg" if extension == ".jpeg" else extension
        if extension not in EXTENSIONS.values():
            extension = ""
        return f"{self.folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)
