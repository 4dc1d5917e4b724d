"""Photo uploads: only real JPEG, PNG and WebP get in, and never with metadata."""

import importlib
import io
import re
import warnings
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from articles.images import (
    RENDITION_WIDTHS,
    clean_image,
    make_renditions,
    srcset,
    validate_image,
)
from articles.models import Photo
from tests.factories import (
    gps_exif,
    jpeg_bytes,
    make_photo,
    noisy_jpeg,
    png_claiming,
    rendition_files,
    stored_bytes,
)

MB = 1024 * 1024


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type)


def image_bytes(fmt, size=(64, 48), mode="RGB", color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def codes(excinfo):
    return [error.code for error in excinfo.value.error_list]


def reopen(content_file):
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


# --- What is refused --------------------------------------------------------


GIF = image_bytes("GIF", mode="P", color=3)
NOT_IMAGES = {
    "text renamed .jpg": ("holiday.jpg", b"Dear editor, here is the photo you asked for.\n" * 20),
    "svg": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
    ),
    "svg renamed .png": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "gif": ("animation.gif", GIF),
    "gif renamed .jpg": ("animation.jpg", GIF),
    "pdf": ("report.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
    "tiff": ("scan.tif", image_bytes("TIFF")),
    "bmp": ("paint.bmp", image_bytes("BMP")),
    "empty": ("empty.jpg", b""),
}


@pytest.mark.parametrize("name, data", NOT_IMAGES.values(), ids=NOT_IMAGES.keys())
def test_anything_but_jpeg_png_webp_is_refused(name, data):
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload(name, data))
    assert codes(excinfo) == ["not_image"]
    assert excinfo.value.messages == ["This is not a JPEG, PNG or WebP image."]


def test_clean_image_refuses_what_validate_refuses():
    with pytest.raises(ValidationError):
        clean_image(upload("logo.jpg", NOT_IMAGES["svg"][1]))


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 6000),  # 48 MP: above our limit, below Pillow's warning
        (10000, 10000),  # 100 MP: Pillow warns
        (30000, 30000),  # 900 MP: Pillow raises DecompressionBombError
    ],
)
def test_decompression_bomb_is_refused_not_crashed_on(width, height):
    max_pixels_before = Image.MAX_IMAGE_PIXELS
    filters_before = list(warnings.filters)
    bomb = upload("bomb.png", png_claiming(width, height), "image/png")

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning may leak out either
        with pytest.raises(ValidationError) as excinfo:
            validate_image(bomb)
        with pytest.raises(ValidationError):
            clean_image(bomb)

    assert codes(excinfo) == ["too_many_pixels"]
    assert "the limit is 40 megapixels" in excinfo.value.messages[0]
    # Pillow's own protection is left exactly as it was.
    assert max_pixels_before == Image.MAX_IMAGE_PIXELS
    assert list(warnings.filters) == filters_before


def test_bomb_message_gives_dimensions_when_known():
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("bomb.png", png_claiming(8000, 6000), "image/png"))
    assert excinfo.value.messages == [
        "The image is 8,000 × 6,000 pixels (48 megapixels); the limit is 40 megapixels."
    ]


def test_real_image_over_the_pixel_limit_is_refused(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    data = image_bytes("PNG", size=(2000, 1000), mode="1", color=0)  # tiny file, 2 MP
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("wide.png", data, "image/png"))
    assert codes(excinfo) == ["too_many_pixels"]
    assert excinfo.value.messages == [
        "The image is 2,000 × 1,000 pixels (2 megapixels); the limit is 1 megapixel."
    ]


def test_file_over_the_byte_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1000
    data = noisy_jpeg()
    assert len(data) > 1000
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("big.jpg", data))
    assert codes(excinfo) == ["file_too_large"]
    assert "the limit is" in excinfo.value.messages[0]


def test_size_message_reads_in_megabytes(settings):
    settings.PHOTO_MAX_BYTES = 15 * MB
    # The size is checked before anything is read, so a stand-in will do.
    big = SimpleNamespace(name="big.jpg", size=int(23.4 * MB), seek=lambda *args: None)
    with pytest.raises(ValidationError) as excinfo:
        validate_image(big)
    assert excinfo.value.messages == ["The file is 23.4 MB; the limit is 15 MB."]


def test_file_just_over_the_limit_does_not_read_as_equal(settings):
    settings.PHOTO_MAX_BYTES = 15 * MB
    big = SimpleNamespace(name="big.jpg", size=15 * MB + 1, seek=lambda *args: None)
    with pytest.raises(ValidationError) as excinfo:
        validate_image(big)
    assert excinfo.value.messages == ["The file is 15.1 MB; the limit is 15 MB."]


def test_truncated_jpeg_is_refused():
    data = noisy_jpeg()
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("cut.jpg", data[: len(data) // 2]))
    assert codes(excinfo) == ["corrupt"]


def test_truncated_png_is_refused():
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 80).save(buffer, "PNG")
    data = buffer.getvalue()
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("cut.png", data[: len(data) // 2], "image/png"))
    assert codes(excinfo) == ["corrupt"]


def test_png_with_damaged_data_is_refused():
    data = bytearray(image_bytes("PNG", size=(200, 200)))
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF  # breaks the chunk's checksum
    with pytest.raises(ValidationError) as excinfo:
        validate_image(upload("broken.png", bytes(data), "image/png"))
    assert codes(excinfo) == ["corrupt"]


# --- What is accepted -------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name, extension",
    [("JPEG", "photo.jpeg", ".jpg"), ("PNG", "chart.png", ".png"), ("WEBP", "map.webp", ".webp")],
)
def test_valid_images_are_accepted_and_keep_their_format(fmt, name, extension):
    uploaded = upload(name, image_bytes(fmt, size=(120, 80)))
    assert validate_image(uploaded) == fmt
    assert uploaded.tell() == 0  # rewound for whoever saves it next

    cleaned = clean_image(uploaded)
    assert isinstance(cleaned, ContentFile)
    assert cleaned.name == name.rsplit(".", 1)[0] + extension
    image = reopen(cleaned)
    assert image.format == fmt
    assert image.size == (120, 80)


def test_format_is_decided_by_content_not_extension():
    uploaded = upload("really-a-png.jpg", image_bytes("PNG"), "image/jpeg")
    assert validate_image(uploaded) == "PNG"
    assert clean_image(uploaded).name == "really-a-png.png"


def test_multi_picture_jpeg_from_cameras_is_accepted_as_jpeg():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (80, 60), "red"), Image.new("RGB", (80, 60), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    uploaded = upload("stereo.jpg", buffer.getvalue())
    assert validate_image(uploaded) == "JPEG"
    assert reopen(clean_image(uploaded)).format == "JPEG"


def test_transparent_png_keeps_its_alpha():
    data = image_bytes("PNG", mode="RGBA", color=(0, 0, 255, 0))
    image = reopen(clean_image(upload("logo.png", data, "image/png")))
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0


def test_cmyk_jpeg_becomes_rgb():
    data = image_bytes("JPEG", mode="CMYK", color=(0, 100, 200, 0))
    assert reopen(clean_image(upload("print.jpg", data))).mode == "RGB"


@pytest.mark.parametrize(
    "fmt, mode, size, kept",
    [
        ("JPEG", "RGB", (4800, 1200), (2400, 600)),  # halved by the JPEG decoder
        ("JPEG", "RGB", (12000, 1000), (3000, 250)),  # a quarter
        ("PNG", "RGB", (4800, 1200), (2400, 600)),
        ("PNG", "P", (9000, 600), (3000, 200)),  # a third
        ("PNG", "I;16", (4100, 100), (2050, 50)),  # 16-bit grey
        ("WEBP", "RGB", (4001, 400), (2001, 200)),
    ],
)
def test_large_images_are_kept_at_most_4000_pixels_long(fmt, mode, size, kept):
    # Left half red, right half blue (light and dark in 16-bit grey): the
    # picture must survive.
    left_colour, right_colour = (40000, 1000) if mode == "I;16" else ((200, 0, 0), (0, 0, 200))
    image = Image.new("I;16" if mode == "I;16" else "RGB", size, left_colour)
    half = size[0] // 2
    image.paste(Image.new(image.mode, (size[0] - half, size[1]), right_colour), (half, 0))
    if mode == "P":
        image = image.convert("P", palette=Image.Palette.ADAPTIVE)
    buffer = io.BytesIO()
    image.save(buffer, fmt)

    stored = reopen(clean_image(upload("big." + fmt.lower(), buffer.getvalue())))

    assert stored.format == fmt
    assert stored.size == kept
    if mode == "I;16":
        left, right = stored.getpixel((10, 10)), stored.getpixel((kept[0] - 10, 10))
        assert left > 30000 and right < 5000
    else:
        rgb = stored.convert("RGB")
        (red, _, blue), (red2, _, blue2) = rgb.getpixel((10, 10)), rgb.getpixel((kept[0] - 10, 10))
        assert red > 150 and blue < 60 and blue2 > 150 and red2 < 60


# --- Metadata never survives ------------------------------------------------


def assert_no_metadata(cleaned):
    cleaned.seek(0)
    raw = cleaned.read()
    image = reopen(cleaned)
    assert not image.getexif()
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
        assert key not in image.info, key
    for needle in (b"Exif", b"Canon", b"SN-0042", b"xmpmeta", b"Secret"):
        assert needle not in raw, needle


def test_gps_exif_is_stripped_from_jpeg():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(exif=gps_exif(), xmp=xmp, comment=b"Secret meeting place", icc_profile=icc)
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS

    assert_no_metadata(clean_image(upload("scoop.jpg", data)))


def test_metadata_is_stripped_from_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Secret meeting place")
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')
    data = image_bytes("PNG", pnginfo=info, exif=gps_exif())

    cleaned = clean_image(upload("chart.png", data, "image/png"))
    assert_no_metadata(cleaned)
    assert reopen(cleaned).text == {}


def test_metadata_is_stripped_from_webp():
    data = image_bytes("WEBP", exif=gps_exif(), xmp=b"<x:xmpmeta>Secret</x:xmpmeta>")
    assert b"Canon" in data
    assert_no_metadata(clean_image(upload("map.webp", data, "image/webp")))


def test_exif_orientation_is_applied():
    # Left half red, right half blue; orientation 6 means "turn 90° clockwise".
    image = Image.new("RGB", (300, 200), (255, 0, 0))
    image.paste((0, 0, 255), (150, 0, 300, 200))
    exif = gps_exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)

    cleaned = reopen(clean_image(upload("sideways.jpg", buffer.getvalue())))
    assert cleaned.size == (200, 300)
    assert not cleaned.getexif()  # no orientation left to apply twice
    top, bottom = cleaned.getpixel((100, 20)), cleaned.getpixel((100, 280))
    assert top[0] > 200 and top[2] < 60  # the left edge is now on top: red
    assert bottom[2] > 200 and bottom[0] < 60


# --- Renditions -------------------------------------------------------------


def open_stored(name):
    with default_storage.open(name) as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
        return image


@pytest.mark.django_db
def test_renditions_for_a_wide_image():
    photo = make_photo(image=upload("wide.jpg", jpeg_bytes(2000, 1000)))

    renditions = make_renditions(photo)

    assert [r["width"] for r in renditions] == list(RENDITION_WIDTHS)
    assert [r["height"] for r in renditions] == [240, 400, 600, 800]
    # One version for the set: new random hex each time renditions are made.
    version = renditions[0]["webp"].rsplit("/", 1)[1].split("-")[0]
    assert re.fullmatch(r"[0-9a-f]{32}", version)
    for r in renditions:
        assert r["webp"] == f"renditions/{photo.pk}/{version}-{r['width']}.webp"
        assert r["jpeg"] == f"renditions/{photo.pk}/{version}-{r['width']}.jpg"
        for key, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            assert default_storage.exists(r[key])
            stored = open_stored(r[key])
            assert stored.format == fmt
            assert stored.size == (r["width"], r["height"])


@pytest.mark.django_db
def test_narrow_image_gets_one_rendition_at_its_own_width():
    photo = make_photo(image=upload("narrow.jpg", jpeg_bytes(300, 200)))
    renditions = make_renditions(photo)
    assert [(r["width"], r["height"]) for r in renditions] == [(300, 200)]
    assert default_storage.exists(renditions[0]["webp"])
    assert default_storage.exists(renditions[0]["jpeg"])


@pytest.mark.django_db
def test_images_are_never_upscaled():
    photo = make_photo(image=upload("mid.jpg", jpeg_bytes(1000, 500)))
    assert [r["width"] for r in make_renditions(photo)] == [480, 800]


@pytest.mark.django_db
def test_renditions_are_overwritten_and_leftovers_removed():
    photo = make_photo(image=upload("wide.jpg", jpeg_bytes(2000, 1000)))
    make_renditions(photo)

    photo.image = upload("smaller.jpg", jpeg_bytes(900, 900, color=(0, 200, 0)))
    photo.save()
    renditions = make_renditions(photo)

    assert [r["width"] for r in renditions] == [480, 800]
    _, files = default_storage.listdir(f"renditions/{photo.pk}")
    assert sorted(f"renditions/{photo.pk}/{name}" for name in files) == sorted(
        rendition_files(renditions)
    )
    assert open_stored(renditions[0]["jpeg"]).size == (480, 480)


@pytest.mark.django_db
def test_renditions_carry_no_metadata_and_are_upright():
    buffer = io.BytesIO()
    exif = gps_exif()
    exif[ExifTags.Base.Orientation] = 6
    Image.new("RGB", (1000, 600), "gray").save(buffer, "JPEG", exif=exif)
    # Saved straight to the model, as old photos were, without clean_image.
    photo = make_photo(image=upload("old.jpg", buffer.getvalue()))

    renditions = make_renditions(photo)

    assert [(r["width"], r["height"]) for r in renditions] == [(480, 800)]
    for key in ("webp", "jpeg"):
        with default_storage.open(renditions[0][key]) as f:
            raw = f.read()
        assert b"Canon" not in raw
        assert not Image.open(io.BytesIO(raw)).getexif()


@pytest.mark.django_db
def test_transparent_png_renditions():
    photo = make_photo(
        image=upload("logo.png", image_bytes("PNG", (600, 300), "RGBA", (0, 0, 255, 0)))
    )
    [r] = make_renditions(photo)
    assert open_stored(r["webp"]).mode == "RGBA"
    jpeg = open_stored(r["jpeg"])
    assert jpeg.mode == "RGB"
    assert jpeg.getpixel((10, 10)) == (255, 255, 255)  # transparent shows white


@pytest.mark.django_db
def test_srcset():
    photo = make_photo(image=upload("wide.jpg", jpeg_bytes(1300, 650)))
    renditions = make_renditions(photo)
    webp = [r["webp"] for r in renditions]
    assert srcset(renditions, "webp") == (
        f"/media/{webp[0]} 480w, /media/{webp[1]} 800w, /media/{webp[2]} 1200w"
    )
    assert srcset(renditions, "jpeg").endswith(f"/media/{renditions[2]['jpeg']} 1200w")
    assert srcset([], "webp") == ""
    with pytest.raises(ValueError):
        srcset(renditions, "gif")


@pytest.mark.django_db
def test_renditions_of_a_large_photo_have_exact_sizes():
    # Read at half size by the JPEG decoder: still wide enough for 1600 px.
    photo = make_photo(image=upload("large.jpg", jpeg_bytes(4000, 2000)))
    renditions = make_renditions(photo)
    assert [(r["width"], r["height"]) for r in renditions] == [
        (480, 240), (800, 400), (1200, 600), (1600, 800),
    ]  # fmt: skip
    for r in renditions:
        size = (r["width"], r["height"])
        assert open_stored(r["jpeg"]).size == open_stored(r["webp"]).size == size


@pytest.mark.django_db
def test_replacing_the_image_changes_every_rendition_url():
    photo = make_photo(image=clean_image(upload("first.jpg", jpeg_bytes(1300, 650))))
    before = set(rendition_files(photo.renditions))
    first_image = photo.image.name

    photo.image = clean_image(upload("first.jpg", jpeg_bytes(1300, 650, color=(200, 0, 0))))
    photo.save()

    after = set(rendition_files(photo.renditions))
    assert len(after) == len(before) == 9  # 3 widths in AVIF, WebP and JPEG
    assert not before & after
    assert photo.image.name != first_image
    # No old address keeps serving the replaced picture.
    assert not any(default_storage.exists(name) for name in before)
    assert all(default_storage.exists(name) for name in after)


def test_unsaved_photo_has_no_renditions():
    with pytest.raises(ValueError):
        make_renditions(SimpleNamespace(pk=None))


# --- Stored names -----------------------------------------------------------


STORED_NAME = r"photos/\d{4}/[0-9a-f]{32}\.(jpg|png|webp)"


@pytest.mark.django_db
def test_stored_names_contain_nothing_of_the_uploaded_name():
    uploaded = upload("ceasefire-talks-geneva-venue.jpg", image_bytes("PNG"), "image/jpeg")
    photo = make_photo(image=clean_image(uploaded))

    names = [photo.image.name, *rendition_files(photo.renditions)]
    assert re.fullmatch(STORED_NAME, photo.image.name)
    assert photo.image.name.endswith(".png")  # the decoded format, not the name's .jpg
    for name in names:
        for word in ("ceasefire", "talks", "geneva", "venue"):
            assert word not in name


@pytest.mark.django_db
def test_the_same_file_uploaded_twice_gets_two_unrelated_names():
    data = jpeg_bytes()
    first = make_photo(image=clean_image(upload("same.jpg", data)))
    second = make_photo(image=clean_image(upload("same.jpg", data)))
    assert first.image.name != second.image.name
    assert first.image.name[-36:-4] != second.image.name[-36:-4]


@pytest.mark.django_db
def test_migration_moves_existing_photos_to_random_names(django_capture_on_commit_callbacks):
    photo = make_photo()
    # As the old code stored them: the uploader's name, renditions under the photo's id.
    legacy_image = default_storage.save(
        "photos/2024/05/ceasefire-venue.jpg", ContentFile(jpeg_bytes(900, 600, exif=gps_exif()))
    )
    legacy_renditions = [
        {
            "width": 480,
            "height": 320,
            "webp": default_storage.save(f"renditions/{photo.pk}/480.webp", ContentFile(b"x")),
            "jpeg": default_storage.save(f"renditions/{photo.pk}/480.jpg", ContentFile(b"x")),
        }
    ]
    Photo.objects.filter(pk=photo.pk).update(image=legacy_image, renditions=legacy_renditions)
    migration = importlib.import_module("articles.migrations.0006_random_image_names")

    with django_capture_on_commit_callbacks(execute=True):
        migration.reencode_stored_images(django_apps, None)

    photo.refresh_from_db()
    assert re.fullmatch(STORED_NAME, photo.image.name)
    assert b"Canon" not in stored_bytes(photo.image.name)
    assert [(r["width"], r["height"]) for r in photo.renditions] == [(480, 320), (800, 533)]
    for r in photo.renditions:
        assert re.fullmatch(rf"renditions/{photo.pk}/[0-9a-f]{{32}}-{r['width']}\.webp", r["webp"])
        assert default_storage.exists(r["webp"]) and default_storage.exists(r["jpeg"])
    for old in (legacy_image, legacy_renditions[0]["webp"], legacy_renditions[0]["jpeg"]):
        assert not default_storage.exists(old)
