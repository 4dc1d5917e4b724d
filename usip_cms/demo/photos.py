"""The demo's lead photo, drawn with Pillow so the demo needs no network."""

import io
import math

from PIL import Image, ImageDraw, ImageFilter


def draw_lead_photo(width=1600, height=900):
    """A JPEG stand-in for the agency photo: dusk over dunes, a patrol on a ridge."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.62)

    # Sky: evening blue fading into dusty orange, then a low sun, softened by
    # blurring so it glows through the haze.
    top, bottom = (38, 62, 102), (236, 170, 104)
    for y in range(horizon + 40):
        t = min(y / horizon, 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=color)
    sun_x, sun_y, radius = int(width * 0.68), int(horizon * 0.8), 70
    draw.ellipse(
        [sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(252, 220, 160)
    )
    image = image.filter(ImageFilter.GaussianBlur(10))
    draw = ImageDraw.Draw(image)

    # Three ridges of dunes, nearer ones lower and darker.
    ridges = [
        (horizon, 18, 310, 0.0, (176, 112, 74)),
        (int(height * 0.72), 26, 240, 1.3, (132, 80, 52)),
        (int(height * 0.84), 30, 380, 2.1, (82, 50, 36)),
    ]
    for base, amplitude, period, phase, color in ridges:
        points = [
            (x, base + amplitude * math.sin(x / period + phase)) for x in range(0, width + 20, 20)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=color)

    # Acacias: a trunk and a flat crown.
    for x, y, size in [(230, 600, 1.0), (1370, 635, 0.8), (1480, 640, 0.55)]:
        trunk = (52, 34, 26)
        draw.line([(x, y), (x, y - 70 * size)], fill=trunk, width=max(3, int(8 * size)))
        draw.ellipse(
            [x - 90 * size, y - 100 * size, x + 90 * size, y - 60 * size], fill=(64, 58, 38)
        )

    # A patrol in single file along the middle ridge: bodies and heads.
    ridge_base, ridge_amplitude, ridge_period, ridge_phase, _ = ridges[1]
    for i in range(7):
        x = 560 + i * 46
        ground = ridge_base + ridge_amplitude * math.sin(x / ridge_period + ridge_phase)
        figure = (40, 30, 26)
        draw.rectangle([x - 6, ground - 44, x + 6, ground - 8], fill=figure)
        draw.ellipse([x - 6, ground - 58, x + 6, ground - 46], fill=figure)
        draw.line([(x - 4, ground - 8), (x - 7, ground)], fill=figure, width=4)
        draw.line([(x + 4, ground - 8), (x + 7, ground)], fill=figure, width=4)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()
