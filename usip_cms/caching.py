"""Whole public pages, cached for anonymous readers and dropped on any change.

A page is kept once per address (scheme, host, path and query string) along
with the *generation* it was made in. The generation is one integer in the
shared cache. Any change to what a public page can show (articles, bylines,
authors, photos, topics, regions, types, taggings) adds one to it, so every
cached page is out of date at once, on every app server, and a change touches
that one key. Nothing is kept per process. Out-of-date pages are never read
again and expire by themselves.

A page is reused only while its generation is current and its lifetime lasts:
PAGE_CACHE_SECONDS, or less when a scheduled article is due sooner, so the
article appears on time with no save.

PageCacheMiddleware sits above sessions and auth: a hit costs one cache round
trip and no database query. Requests with a session cookie (staff) never use
the cache, and responses that set cookies, are not 200, are not a public page
or set their own Cache-Control (the staff preview) are never stored. If the
cache cannot be reached, the page is served uncached and a warning logged.
"""

import hashlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

from usip_cms import frontcache

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"

# Browsers keep a page a minute, then revalidate with its ETag (cheap: a 304
# from the cache). Shared caches (a CDN) keep it as long as we do.
BROWSER_SECONDS = 60

# The views whose pages are the same for every anonymous reader.
PUBLIC_NAMESPACES = {"publications", "articles"}
PUBLIC_URL_NAMES = {"sitemap", "sitemap-section", "robots"}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Someone signed in (or who was): their pages may differ, so they
            # neither read nor fill the cache. A CSRF cookie alone is fine.
            return private(request, self.get_response(request))

        # Taken before the page is made: an article that falls due while it is
        # being made must still end the entry's life (see lifetime()).
        now = timezone.now()
        key = page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as error:  # whatever the backend raises, the page must not fail
            logger.warning("Page cache unavailable, %s served uncached: %r", request.path, error)
            return private(request, self.get_response(request))

        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if generation is not None and entry is not None:
            entry_generation, expires, headers, content = entry
            if entry_generation == generation and now.timestamp() < expires:
                response = HttpResponse(content, headers=headers)
                return public(response, expires - now.timestamp())

        response = self.get_response(request)
        if generation is None:
            # The first page since the cache was emptied: make the generation,
            # and store from the next request on, whose page is sure to be
            # newer than any change counted from here.
            new_generation()
        elif can_store(request, response):
            seconds = lifetime(now)
            if seconds >= 1:
                if not response.has_header("ETag"):
                    set_response_etag(response)
                expires = now.timestamp() + seconds
                entry = (generation, expires, list(response.items()), response.content)
                try:
                    cache.set(key, entry, seconds)
                except Exception as error:
                    logger.warning("Page cache unavailable, %s not stored: %r", request.path, error)
                else:
                    return public(response, seconds)
        return private(request, response)


def page_key(request):
    # get_host() has checked the host against ALLOWED_HOSTS, so no one can
    # fill the cache under made-up hosts. Hashed: keys of bounded length.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page-cache:page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def is_public_view(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and (
        match.namespace in PUBLIC_NAMESPACES or match.url_name in PUBLIC_URL_NAMES
    )


def can_store(request, response):
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A view that sets its own policy (the staff preview: private) keeps it.
        and not response.has_header("Cache-Control")
        # A nonce is good for one response only; none is used today.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and is_public_view(request)
    )


def lifetime(now):
    """Seconds a page made at `now` may be served: until the next scheduled
    article is due, and never more than PAGE_CACHE_SECONDS.

    Whole seconds, rounded down, because the cache counts whole seconds: a
    page is never kept past the moment it would change.
    """
    from articles.models import Article

    due = (
        Article.objects.scheduled(now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    longest = timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    return int(min(longest, due - now if due else longest).total_seconds())


def public(response, seconds):
    response.headers["Cache-Control"] = (
        f"public, max-age={BROWSER_SECONDS}, s-maxage={max(0, int(seconds))}"
    )
    if "Surrogate-Control" in response:
        # A stored page tells the front cache what is left of its life.
        response.headers["Surrogate-Control"] = f"max-age={max(0, int(seconds))}"
    return response


def private(request, response):
    """Keep shared caches off a public page that was not served from ours."""
    if not response.has_header("Cache-Control") and is_public_view(request):
        patch_cache_control(response, private=True, no_cache=True)
    return response


def new_generation():
    """Make every cached page out of date, on every app server at once."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            # No generation yet, or Redis evicted it. Starting from the clock
            # means a restarted count never meets a generation still stored
            # with some page.
            if not cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None):
                cache.incr(GENERATION_KEY)
    except Exception as error:
        logger.error("Page cache unavailable, cached pages may be stale: %r", error)


def content_changed(sender, using=None, action="post_", **kwargs):
    """Signal receiver for every model a public page shows."""
    if action.startswith("pre_"):
        return  # m2m_changed: count the change once, after it is made
    frontcache.content_changed(using)
    new_generation()
    if transaction.get_connection(using).in_atomic_block:
        # A page made before the commit still shows the old rows and may be
        # stored under the new generation; counting again once the change is
        # visible to everyone makes it out of date too.
        transaction.on_commit(new_generation, using=using)


def connect_signals():
    from articles.models import Article, ArticleAuthor, Author, Photo, TaggedRegion, TaggedTopic
    from publications.models import PublicationType, Region, Topic

    models = [
        Article,
        ArticleAuthor,
        Author,
        Photo,
        Topic,
        Region,
        PublicationType,
        TaggedTopic,
        TaggedRegion,
    ]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{model}")
    # add(), remove(), set() and clear() on these send m2m_changed only.
    for through in (
        Article.authors.through,
        Article.topics.through,
        Article.regions.through,
        Region.members.through,
    ):
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"page-cache-{through}")


class RedisCacheClient(redis_backend.RedisCacheClient):
    """Django's client, keeping one redis.Redis per connection pool.

    Django makes a new redis.Redis for every cache call, and each one builds
    its table of some 170 reply handlers: 0.2 ms, about half of what serving a
    cached page costs. A redis.Redis is safe to share between threads; the
    pool under it still hands each call its own connection.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis_backend.RedisCache):
    """Django's RedisCache (settings.CACHES with REDIS_URL), with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
