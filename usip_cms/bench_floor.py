"""The framework floor for `make bench`: `gunicorn usip_cms.bench_floor`.

Django with no middleware, no apps, no database and no templates, answering
each address with the bytes the site sent for it, which the benchmark saved in
the folder named by BENCH_FLOOR_DIR (see floor_file()). Served by the same
gunicorn settings as the site, it is as fast as a Django page can be here, so
the site's speed is read as a share of it.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path


def floor_file(folder, address):
    """Where the bytes of the page at address (path and query) are kept."""
    return Path(folder) / hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def page(request, rest=""):
    body = BODIES.get(floor_file(FOLDER, request.get_full_path()))
    if body is None:
        return HttpResponseNotFound()
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page), path("<path:rest>", page)]

FOLDER = os.environ.get("BENCH_FLOOR_DIR")
if FOLDER:  # under gunicorn; the benchmark itself only imports floor_file()
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-floor-not-secret",  # noqa: S106 -- nothing is signed here
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )
    BODIES = {file: file.read_bytes() for file in Path(FOLDER).iterdir()}
    application = get_wsgi_application()
