from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

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
    path("", include("publications.urls")),
    path("", include("articles.urls")),
]


def media(request, path):
    # MEDIA_ROOT is read per request so tests (and deployments) can move it.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", immutable(media), name="media")]
