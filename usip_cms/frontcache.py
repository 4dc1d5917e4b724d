"""The front cache: Varnish, or a CDN with surrogate keys, in front of the app.

Every public page is sent with `Surrogate-Control: max-age=N` (how long a
shared cache may keep it: the page cache's lifetime, so a scheduled article
still appears on time) and an `xkey` header naming what it shows: the page
cache's keys (usip_cms/cache_keys.py) and `site`, which every page carries.
After a change commits, the app purges the change's keys at every cache in
FRONT_CACHE_URLS, so readers see the change at once and every other page
stays cached.

A purge that fails (the cache is restarting, the network drops) is never
lost: it is written to the database (PendingPurge) and sent again before the
next purge, and by `manage.py purge_front_cache`, which `make serve` runs at
start and a timer should run every minute in production. Until then the
cache may serve the old page for at most its max-age.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from usip_cms import page_keys

logger = logging.getLogger(__name__)

# Every public page carries this key: `purge_front_cache --all` purges it.
SITE_KEY = "site"

PURGE_TIMEOUT_SECONDS = 2
# Keys per PURGE request, so that each fits PendingPurge.keys (and a header).
PURGE_CHARACTERS = 1900


class FrontCacheMiddleware:
    """Marks public pages for the front cache (placed below the page cache, so
    a page it stores keeps the marks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from usip_cms import caching  # which imports this module

        if not settings.FRONT_CACHE_URLS or settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Staff pages may differ from readers': never offered to a shared cache.
            return self.get_response(request)
        with page_keys.collecting() as shown:
            response = self.get_response(request)
        if caching.can_store(request, response):
            seconds = caching.lifetime(timezone.now())
            if seconds >= 1:
                response["Surrogate-Control"] = f"max-age={seconds}"
                response["xkey"] = " ".join([SITE_KEY, *shown.final()])
        return response


class Purge:
    """The keys a transaction changed, purged once it commits."""

    def __init__(self, using):
        self.keys = set()

    def __call__(self):
        purge(self.keys)


def purge_after_commit(keys, using=None):
    """Purge the pages showing one of keys once the change under way commits
    (one purge per transaction, however many rows it changes)."""
    if not settings.FRONT_CACHE_URLS:
        return
    from usip_cms import caching

    caching.after_commit(Purge, keys, using)


def purge_site():
    purge([SITE_KEY])


def purge(keys):
    """Purge keys at every front cache; what fails is kept to be sent again."""
    from usip_cms.models import PendingPurge

    for url in settings.FRONT_CACHE_URLS:
        send_pending(url)
        away = False
        for chunk in chunks(sorted(keys)):
            # Once a cache has not answered, the rest waits without asking it.
            away = away or not send(url, chunk)
            if away:
                PendingPurge.objects.create(url=url, keys=" ".join(chunk))


def chunks(keys):
    """keys in lists of at most PURGE_CHARACTERS, spaces included."""
    chunk, length = [], 0
    for key in keys:
        if chunk and length + 1 + len(key) > PURGE_CHARACTERS:
            yield chunk
            chunk, length = [], 0
        chunk.append(key)
        length += len(key) + (1 if length else 0)
    if chunk:
        yield chunk


def send_pending(url=None):
    """Send again the purges that failed; True if none is left."""
    from usip_cms.models import PendingPurge

    pending = PendingPurge.objects.all()
    if url is not None:
        pending = pending.filter(url=url)
    left = False
    for purge_ in pending:
        if send(purge_.url, purge_.keys.split()):
            purge_.delete()
        else:
            left = True
            # Stop at the first failure for this cache: it is still away.
            PendingPurge.objects.filter(pk=purge_.pk).update(attempts=purge_.attempts + 1)
            if url is not None:
                break
    return not left


def send(url, keys):
    # Settings allow only http(s) addresses here (see FRONT_CACHE_URLS).
    headers = {"xkey-purge": " ".join(sorted(keys))}
    request = urllib.request.Request(url, method="PURGE", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status == 200
    except (OSError, urllib.error.URLError) as error:
        logger.error("Front cache purge of %s at %s failed, kept to retry: %r", keys, url, error)
        return False


def retry_pending():
    """For `manage.py purge_front_cache`: True when every pending purge went through."""
    try:
        return send_pending()
    except DatabaseError as error:
        logger.error("Pending front-cache purges could not be read: %r", error)
        return False
