"""The demo's home page: pictures for the cards and the editors' featured items.

The demo loader (usip_cms/demo/loader.py) asks card_pictures() for the lead
photos of the articles it creates (or restores with --reset), and calls
feature_stories() once they are saved. Both only add what is missing: a
picture is drawn and stored once (found again by its caption), and featured
items are chosen only while none are. The pictures are drawn with Pillow, so
the demo needs no network; they are illustrations, and say so.
"""

import io
import math
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Article, Photo
from publications.models import FEATURED_LIMIT, Featured
from usip_cms.demo import content as demo

WIDTH, HEIGHT = 1600, 900
CREDIT = "Illustration/USIP demo"

# Each picture: the colours of its sky and land, what stands on the land, and
# the words for readers. The caption is how a second run finds it again.
PICTURES = {
    "fields": {
        "sky": ((150, 190, 225), (236, 228, 200)),
        "land": [(96, 140, 72), (74, 118, 58), (52, 92, 44)],
        "sun": (255, 244, 214),
        "features": ["river", "rows"],
        "alt_text": "An illustration of green terraced fields under a pale morning sky, "
        "a river winding through them.",
        "caption": "Farmland along a river at first light.",
    },
    "city": {
        "sky": ((54, 48, 96), (238, 150, 110)),
        "land": [(70, 62, 82), (52, 46, 64), (36, 32, 46)],
        "sun": (255, 206, 150),
        "features": ["skyline"],
        "alt_text": "An illustration of a low city skyline at dusk, its windows lit "
        "against an orange sky.",
        "caption": "A capital city at dusk.",
    },
    "coast": {
        "sky": ((120, 170, 214), (222, 236, 244)),
        "land": [(64, 110, 150), (40, 84, 124), (26, 60, 96)],
        "sun": (255, 250, 230),
        "features": ["sea", "cranes"],
        "alt_text": "An illustration of a harbour: calm blue water, cargo cranes on the "
        "quay and a bright sky.",
        "caption": "Cranes over a busy harbour.",
    },
    "mountains": {
        "sky": ((40, 58, 104), (246, 190, 150)),
        "land": [(92, 104, 150), (64, 74, 118), (38, 46, 80)],
        "sun": (255, 226, 186),
        "features": ["peaks"],
        "alt_text": "An illustration of blue mountain ranges at dawn, one behind another.",
        "caption": "Mountain ranges at dawn.",
    },
    "night": {
        "sky": ((10, 18, 42), (40, 58, 100)),
        "land": [(30, 36, 58), (22, 26, 44), (14, 16, 30)],
        "sun": (236, 236, 220),
        "features": ["skyline", "stars"],
        "alt_text": "An illustration of a city at night under a full moon and stars, a "
        "few windows still lit.",
        "caption": "A city at night.",
    },
    "savanna": {
        "sky": ((70, 70, 120), (250, 176, 96)),
        "land": [(170, 120, 70), (132, 90, 54), (88, 60, 40)],
        "sun": (255, 214, 140),
        "features": ["acacias", "huts"],
        "alt_text": "An illustration of a village of round huts among acacia trees on a "
        "savanna at sunset.",
        "caption": "A village on the savanna at sunset.",
    },
}


def card_pictures(articles):
    """{slug: Photo}: the lead photos of the demo articles that have pictures.

    articles are the loader's (data, status, published_at). The five latest
    publications and every other one of the archive get a picture, in turn
    so that neighbouring cards differ (lists show cards with pictures and
    cards without); the Sahel analysis has its own photo. A picture is drawn
    and stored only when missing.
    """
    photos = [picture(key, data) for key, data in PICTURES.items()]
    published = sorted(
        (
            data
            for data, status, published_at in articles
            if status == Article.Status.PUBLISHED and published_at <= timezone.now()
        ),
        key=lambda data: data["published_at"],
        reverse=True,
    )
    latest = {data["slug"] for data in demo.LATEST_ARTICLES}
    chosen = [
        data
        for i, data in enumerate(published)
        if (data["slug"] in latest or i % 2 == 0) and data is not demo.MAIN_ARTICLE
    ]
    return {data["slug"]: photos[turn % len(photos)] for turn, data in enumerate(chosen)}


def feature_stories():
    """Put the Sahel analysis and the newest pictured pieces that are not among
    the latest on the home page, unless editors have chosen already; returns
    how many were featured."""
    if Featured.objects.exists():
        return 0
    latest = {data["slug"] for data in demo.LATEST_ARTICLES}
    published = Article.objects.published().newest_first()
    main = list(published.filter(slug=demo.MAIN_ARTICLE["slug"]))
    others = published.with_photo().exclude(slug__in=[*latest, demo.MAIN_ARTICLE["slug"]])
    chosen = [*main, *others[: FEATURED_LIMIT - len(main)]]
    for position, article in enumerate(chosen):
        Featured.objects.create(article=article, position=position)
    return len(chosen)


def picture(key, data):
    """The stored Photo of a picture, drawn only when missing (or its file is)."""
    photo = Photo.objects.filter(caption=data["caption"]).first()
    if photo is None:
        photo = Photo(caption=data["caption"], alt_text=data["alt_text"], credit=CREDIT)
    elif photo.image and photo.image.storage.exists(photo.image.name):
        return photo
    photo.image.save(f"{key}.jpg", ContentFile(draw(key, data)), save=False)
    photo.save()
    return photo


def draw(key, data, width=WIDTH, height=HEIGHT):
    """A JPEG of the picture: sky, sun, three layers of land, what stands on them."""
    rng = random.Random(key)  # noqa: S311 -- the same picture on every run
    image = Image.new("RGB", (width, height))
    paint = ImageDraw.Draw(image)
    horizon = int(height * 0.6)
    top, bottom = data["sky"]
    for y in range(horizon + 60):
        t = min(y / horizon, 1)
        paint.line([(0, y), (width, y)], fill=_mix(top, bottom, t))
    sun_x, sun_y, radius = int(width * rng.uniform(0.2, 0.8)), int(horizon * 0.55), 64
    paint.ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=data["sun"]
    )
    image = image.filter(ImageFilter.GaussianBlur(8))
    paint = ImageDraw.Draw(image)
    features = data["features"]
    if "stars" in features:
        for _ in range(120):
            x, y = rng.randrange(width), rng.randrange(int(horizon * 0.8))
            paint.point([(x, y), (x + 1, y)], fill=(230, 232, 240))
    for layer, color in enumerate(data["land"]):
        base = int(height * (0.62 + 0.12 * layer))
        if "peaks" in features:
            _peaks(paint, rng, base - 160 + layer * 40, width, height, color)
        else:
            _ridge(paint, base, 14 + 8 * layer, 260 + 60 * layer, layer * 1.7, width, height, color)
        if layer == 0 and "skyline" in features:
            _skyline(paint, rng, base, width, lit="night" in key or "city" in key)
        if layer == 0 and "cranes" in features:
            _cranes(paint, base, width)
        if layer == 1 and "acacias" in features:
            _acacias(paint, rng, base, width)
        if layer == 1 and "huts" in features:
            _huts(paint, rng, base, width)
    if "sea" in features:
        for y in range(int(height * 0.66), height, 18):
            paint.line([(0, y), (width, y)], fill=(120, 170, 210), width=2)
    if "river" in features:
        points = [
            (width * 0.3 + 220 * math.sin(y / 90), y) for y in range(int(height * 0.62), height, 10)
        ]
        paint.line(points, fill=(150, 196, 230), width=28, joint="curve")
    if "rows" in features:
        for y in range(int(height * 0.76), height, 26):
            paint.line([(0, y), (width, y - 30)], fill=(118, 160, 84), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _ridge(paint, base, amplitude, period, phase, width, height, color):
    points = [
        (x, base + amplitude * math.sin(x / period + phase)) for x in range(0, width + 20, 20)
    ]
    paint.polygon([*points, (width, height), (0, height)], fill=color)


def _peaks(paint, rng, base, width, height, color):
    points, x = [(0, base)], 0
    while x < width:
        x += rng.randint(120, 260)
        points.append((x, base - rng.randint(40, 220)))
        x += rng.randint(120, 260)
        points.append((x, base))
    paint.polygon([*points, (width + 300, height), (0, height)], fill=color)


def _skyline(paint, rng, base, width, lit):
    x = 0
    while x < width:
        w, h = rng.randint(50, 130), rng.randint(60, 260)
        paint.rectangle([x, base - h, x + w, base + 20], fill=(28, 26, 40))
        if lit:
            for wy in range(base - h + 12, base, 22):
                for wx in range(x + 8, x + w - 10, 18):
                    if rng.random() < 0.35:
                        paint.rectangle([wx, wy, wx + 7, wy + 10], fill=(255, 214, 120))
        x += w + rng.randint(4, 30)


def _cranes(paint, base, width):
    for x in (int(width * 0.55), int(width * 0.7), int(width * 0.84)):
        paint.line([(x, base), (x, base - 260)], fill=(200, 70, 40), width=10)
        paint.line([(x - 60, base - 250), (x + 180, base - 250)], fill=(200, 70, 40), width=8)
        paint.line([(x + 150, base - 250), (x + 150, base - 160)], fill=(40, 40, 40), width=3)


def _acacias(paint, rng, base, width):
    for _ in range(5):
        x, size = rng.randrange(width), rng.uniform(0.6, 1.2)
        paint.line(
            [(x, base), (x, base - 80 * size)], fill=(52, 34, 26), width=max(3, int(8 * size))
        )
        paint.ellipse(
            [x - 100 * size, base - 112 * size, x + 100 * size, base - 70 * size], fill=(58, 52, 34)
        )


def _huts(paint, rng, base, width):
    for _ in range(6):
        x = rng.randrange(80, width - 80)
        paint.rectangle([x - 34, base - 40, x + 34, base + 6], fill=(150, 98, 60))
        paint.polygon([(x - 50, base - 38), (x, base - 90), (x + 50, base - 38)], fill=(96, 74, 40))
