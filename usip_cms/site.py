"""Helpers for the whole site: its name and address, for templates and code."""

from django.conf import settings
from django.templatetags.static import static


def absolute_url(url):
    """url on the public site, unless it already names a host (e.g. a media CDN)."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return settings.SITE_URL + url


def site(request):
    """Context processor: the site's name and address for every template."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}


# The publisher's logo (a static file): JSON-LD publisher.logo and sharing cards.
LOGO = {"path": "img/logo.png", "width": 512, "height": 512}


def logo_url():
    return absolute_url(static(LOGO["path"]))


def publisher():
    """The schema.org Organization that publishes every page, with its logo."""
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": logo_url(),
            "width": LOGO["width"],
            "height": LOGO["height"],
        },
    }
