"""Helpers for the whole site: its name and address, for templates and code."""

from django.conf import settings


def absolute_url(url):
    """url on the public site, unless it already names a host (e.g. a media CDN)."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return settings.SITE_URL + url


def site(request):
    """Context processor: the site's name and address for every template."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
