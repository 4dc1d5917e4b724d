from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "USIP CMS"
admin.site.site_title = "USIP CMS"
admin.site.index_title = "Write, tag and publish"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("publications.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
