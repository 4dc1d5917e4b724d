"""Whole public pages, cached for anonymous readers and dropped on any change.

A page is kept once per address (scheme, host, path and query string) along
with the *generation* it was made in. The generation is one integer in the
shared cache. Any change to what a public page can show (articles, bylines,
authors, photos, topics, regions, types, taggings) adds one to it, so every
cached page is out of date at once, on every app server, and a change touches
that one key. Out-of-date pages are never read again and expire by themselves.

A page is reused only while its generation is current and its lifetime lasts:
PAGE_CACHE_SECONDS, or less when a scheduled article is due sooner, so the
article appears on time with no save.

PageCacheMiddleware sits above sessions and auth: a hit costs one cache round
trip and no database query. Requests with a session cookie (staff) never use
the cache, and responses that set cookies, are not 200, are not a public page
or set their own Cache-Control (the staff preview) are never stored.

When the cache fails (see CacheHealth):
- the page is served uncached, and the process stops asking the cache for
  PAUSE_SECONDS (a circuit breaker), so a hung Redis costs each process one
  timeout, not one per request;
- a change whose generation bump does not reach the cache leaves a
  PendingInvalidation row in the change's own transaction (the outbox); a
  process replays the outbox (bumps, deletes the rows) before it trusts the
  cache again after a fault, on its first request, and after any silence
  long enough to hide an outage, so no page older than a change is served
  once the cache is back;
- if the page cannot be made (the database is down: 503), a stored copy of
  any generation is sent instead, marked `X-Cache: STALE` and no-store.
"""

import hashlib
import logging
import threading
import time
from datetime import timedelta
from functools import partial
from math import inf
from time import monotonic
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends import redis as redis_backend
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

from usip_cms import frontcache
from usip_cms.models import PendingInvalidation

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"

# Browsers keep a page a minute, then revalidate with its ETag (cheap: a 304
# from the cache). Shared caches (a CDN) keep it as long as we do.
BROWSER_SECONDS = 60

# After a cache fault a process serves pages uncached this long before one
# trial read, in the background, tells whether the cache answers again.
PAUSE_SECONDS = 5

# The views whose pages are the same for every anonymous reader.
PUBLIC_NAMESPACES = {"publications", "articles"}
PUBLIC_URL_NAMES = {"sitemap", "sitemap-section", "robots"}


class CacheHealth:
    """What this process knows about the shared cache: one per process.

    The breaker: after a fault, `closed()` is false for PAUSE_SECONDS; then the
    next request starts one trial read in a thread (no request waits for it)
    and is itself served uncached. An answer closes the breaker; silence
    opens it for another pause.

    Trust: an answer from the cache is taken as current only while no
    invalidation can have been lost since the outbox was last read. That is
    in doubt on the first answer, after a fault, and when the previous answer
    is older than half the cache's socket timeout: a bump is lost to a
    timeout only if the cache was silent for a whole timeout, so a process
    that was idle through that silence (and saw no fault) notices the gap
    instead. Under load answers come milliseconds apart and nothing is read.
    """

    def __init__(self):
        options = settings.CACHES["default"].get("OPTIONS", {})
        timeouts = [
            options[name]
            for name in ("socket_timeout", "socket_connect_timeout")
            if options.get(name) is not None
        ]
        # Without a timeout a cache call waits for the answer: no bump is lost
        # to silence, only to a refused or dropped connection, which is a fault.
        self.longest_gap = min(timeouts) / 2 if timeouts else inf
        self.lock = threading.Lock()
        self.paused_until = None
        self.trial = None
        self.trusted = False
        self.last_answer = -inf

    def closed(self):
        """May this request ask the cache?"""
        if self.paused_until is None:
            return True
        with self.lock:
            if self.trial is None and monotonic() >= self.paused_until:
                self.trial = threading.Thread(
                    target=self.try_cache, args=(caches["default"],), daemon=True
                )
                self.trial.start()
        return False

    def try_cache(self, backend):
        try:
            backend.get(GENERATION_KEY)
        except Exception as error:
            # Every request served meanwhile has logged a warning already.
            logger.info("Page cache still unavailable: %r", error)
            self.fault()
        else:
            logger.warning("Page cache answers again")
            self.paused_until = None
        finally:
            self.trial = None

    def fault(self):
        self.trusted = False
        self.paused_until = monotonic() + PAUSE_SECONDS

    def answered(self):
        """Note an answer from the cache; false while it needs an outbox check."""
        now = monotonic()
        if now - self.last_answer >= self.longest_gap:
            self.trusted = False
        self.last_answer = now
        return self.trusted


health = CacheHealth()


def reset_health(*, setting, **kwargs):
    """Another cache (tests) starts with a closed breaker and an unread outbox."""
    global health
    if setting == "CACHES":
        health = CacheHealth()


setting_changed.connect(reset_health, dispatch_uid="page-cache-health")


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
        if not health.closed():
            logger.warning("Page cache paused after a fault, %s served uncached", request.path)
            return private(request, self.get_response(request))

        # Taken before the page is made: an article that falls due while it is
        # being made must still end the entry's life (see lifetime()).
        now = timezone.now()
        key = page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception as error:  # whatever the backend raises, the page must not fail
            return self.uncached(request, error)
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if not health.answered():
            try:
                generation = replay_outbox(generation)
            except DatabaseError as error:
                # Whether a change is pending cannot be told, and the page
                # cannot be made either: a stored copy beats an error page.
                logger.warning("Outbox unreadable, %s served stale: %r", request.path, error)
                return stale(entry) if entry else private(request, self.get_response(request))
            except Exception as error:
                return self.uncached(request, error)
            health.trusted = True

        if generation is not None and entry is not None:
            entry_generation, expires, headers, content, *status = entry
            if entry_generation == generation and now.timestamp() < expires:
                response = HttpResponse(content, headers=headers, status=(status or [200])[0])
                return public(response, expires - now.timestamp())

        response = self.get_response(request)
        if response.status_code >= 500 and entry is not None:
            # The page cannot be made (the database is down: 503): an older
            # copy beats an error page.
            return stale(entry)
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
                entry = (
                    generation,
                    expires,
                    list(response.items()),
                    response.content,
                    response.status_code,
                )
                try:
                    cache.set(key, entry, seconds)
                except Exception as error:
                    health.fault()
                    logger.warning("Page cache unavailable, %s not stored: %r", request.path, error)
                else:
                    health.answered()
                    return public(response, seconds)
        return private(request, response)

    def uncached(self, request, error):
        health.fault()
        logger.warning("Page cache unavailable, %s served uncached: %r", request.path, error)
        return private(request, self.get_response(request))


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
    # An old address's 301 (articles.redirects) is stored like the page it leads to.
    site_redirect = getattr(response, "site_redirect", False)
    return (
        request.method == "GET"
        and (response.status_code == 200 or site_redirect)
        and not response.streaming
        and not response.cookies
        # A view that sets its own policy (the staff preview: private) keeps it.
        and not response.has_header("Cache-Control")
        # A nonce is good for one response only; none is used today.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and (is_public_view(request) or site_redirect)
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


def stale(entry):
    """A stored page of any generation, sent because a current one cannot be
    had: marked, and kept by no cache."""
    headers, content, *status = entry[2:]
    response = HttpResponse(content, headers=headers, status=(status or [200])[0])
    response.headers["X-Cache"] = "STALE"
    response.headers["Cache-Control"] = "no-store"
    # Nor the front cache (usip_cms/frontcache.py), which would keep it as
    # long as a stored Surrogate-Control said when the page was current.
    response.headers.pop("Surrogate-Control", None)
    return response


def new_generation(using=None, record=True):
    """Make every cached page out of date, on every app server at once.

    When the cache does not take it, a PendingInvalidation row (in the
    current transaction of database `using`, unless `record` is false)
    keeps the change until a process replays it. True when the cache took it.
    """
    if health.closed():
        try:
            bump()
            return True
        except Exception as error:
            health.fault()
            failure = repr(error)
    else:
        failure = "paused after a fault"
    if record:
        PendingInvalidation.objects.using(using).create()
    logger.error(
        "Page cache unavailable (%s): the change waits in the outbox, and cached pages are "
        "expired before the cache serves again, so no stale page is served",
        failure,
    )
    return False


def bump():
    """Add one to the generation and return it; the cache's errors propagate."""
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:
        # No generation yet, or Redis evicted it. Starting from the clock
        # means a restarted count never meets a generation still stored
        # with some page.
        start = time.time_ns() // 1000
        if cache.add(GENERATION_KEY, start, timeout=None):
            generation = start
        else:
            generation = cache.incr(GENERATION_KEY)
    health.answered()
    return generation


def replay_outbox(generation=None):
    """Bump for the changes in the outbox, if any, and return the generation
    to use now. The cache's errors propagate.

    Only the rows read before the bump are deleted: a row that commits
    meanwhile is for a change the bump may not cover.
    """
    pending = list(PendingInvalidation.objects.values_list("pk", flat=True))
    if not pending:
        return generation
    generation = bump()
    PendingInvalidation.objects.filter(pk__in=pending).delete()
    logger.warning("Page cache: %d change(s) saved while it was unavailable counted", len(pending))
    return generation


def cache_location():
    """The default cache's LOCATION, for messages: without any password."""
    location = str(settings.CACHES["default"].get("LOCATION", ""))
    parts = urlsplit(location)
    if parts.password:
        netloc = parts.netloc.rsplit("@", 1)[1]
        location = urlunsplit(parts._replace(netloc=netloc))
    return location


def content_changed(sender, using=None, action="post_", **kwargs):
    """Signal receiver for every model a public page shows."""
    if action.startswith("pre_"):
        return  # m2m_changed: count the change once, after it is made
    frontcache.content_changed(using)
    taken = new_generation(using)
    if transaction.get_connection(using).in_atomic_block:
        # A page made before the commit still shows the old rows and may be
        # stored under the new generation; counting again once the change is
        # visible to everyone makes it out of date too. (If the first count
        # failed, its outbox row commits with the change.)
        transaction.on_commit(partial(new_generation, using, record=taken), using=using)


def connect_signals():
    from articles.models import (
        Article,
        ArticleAuthor,
        Author,
        Photo,
        Redirect,
        TaggedRegion,
        TaggedTopic,
    )
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
        Redirect,
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
