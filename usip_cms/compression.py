"""Public pages, feeds, sitemaps and JSON sent compressed: Brotli or gzip.

The site's HTML is text that compresses to a fifth of its size. Static files
are compressed ahead of time by WhiteNoise; this middleware does the same
for the responses of the public views, with Brotli when the client accepts
it ("br" in Accept-Encoding) and gzip otherwise.

BREACH: compressing a response that reflects what the request sent next to
a secret (a CSRF token, a session's data) lets an attacker guess the secret
from the compressed sizes. Only the public views' responses are compressed
(usip_cms.caching.is_public_view: no form with a token, the same page for
every anonymous reader; or a page the page cache served, marked public by
it), never when the request carries a session cookie (staff, whose pages
may differ) or the response sets a cookie. The admin,
with its tokens, is sent as it is.

The page cache serves the same bytes many times: the compressed copy of the
last few bodies is kept (an LRU of COMPRESSED_KEPT entries per process), so
a cached page is not compressed again on every hit.
"""

import functools
import gzip
import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers

from usip_cms.caching import is_public_view

COMPRESSIBLE_TYPES = {
    "text/html",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/ld+json",
}
# Below this, the encoding's own overhead eats the gain.
MIN_LENGTH = 200
COMPRESSED_KEPT = 128
# Brotli 5 and gzip 6: most of the gain of the highest levels at a fraction of their time.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6

_ACCEPTS = re.compile(r"(?:^|,)\s*(br|gzip)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?=,|$)")


def accepted_encoding(accept_encoding):
    """ "br" if the client takes Brotli, else "gzip" if it takes gzip, else None."""
    accepted = set()
    for name, quality in _ACCEPTS.findall(accept_encoding.lower()):
        try:
            if float(quality or 1) > 0:
                accepted.add(name)
        except ValueError:
            continue
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else None


@functools.lru_cache(maxsize=COMPRESSED_KEPT)
def compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    # mtime=0: the same bytes give the same output (and ETags stay stable).
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def is_cached_page(response):
    """A page the page cache answered (before any view ran): public by its own rule."""
    return response.get("Cache-Control", "").startswith("public")


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self.may_compress(request, response):
            return response
        # Whatever this client gets, a shared cache must key the page on the encoding.
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None or len(response.content) < MIN_LENGTH:
            return response
        compressed = compress(response.content, encoding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = encoding
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            # Other bytes than the uncompressed page's: the same page, weakly.
            response["ETag"] = "W/" + etag
        return response

    @staticmethod
    def may_compress(request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Content-Encoding")
            and content_type in COMPRESSIBLE_TYPES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not response.cookies
            and (is_public_view(request) or is_cached_page(response))
        )
