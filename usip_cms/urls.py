import errno

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from publications import api
from publications.sitemaps import SITEMAPS
from usip_cms.media_cache import immutable
from usip_cms.views import health

# A database outage answers 503 with Retry-After, not 500 (usip_cms/errors.py).
handler500 = "usip_cms.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    # An index of sections, each paginated: a large archive stays within the
    # sitemap protocol's limits and every file stays small.
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # The JSON API (publications/api.py); any other address under it is a JSON 404.
    path(
        "api/v1/",
        include(
            (
                [*api.api.urls[0], re_path(r"^.*$", api.api_not_found, name="not-found")],
                "api",
            ),
            namespace="api",
        ),
    ),
    re_path(r"^api/", api.api_not_found, name="api-not-found"),
    path("", include("publications.urls")),
    path("", include("articles.urls")),
]


# The filesystem's ways of saying "there is no such file": a name too long
# for it (over 255 bytes), a file where a folder should be, a link loop.
NO_SUCH_FILE = {errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.ELOOP}


def media(request, path):
    if path.startswith("editions/"):
        # Report PDFs are served by articles.views.edition_file, which checks
        # that their article is published: never straight from storage.
        raise Http404("Not here.")
    # MEDIA_ROOT is read per request so tests (and deployments) can move it.
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno in NO_SUCH_FILE:
            raise Http404("No such file.") from error
        raise


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", immutable(media), name="media")]
