"""Parts of pages kept in the cache between pages: article cards, the
filter menus' vocabularies, the article page's own parts (articles/page_parts.py).

Only with a cache every worker shares (settings.FRAGMENT_CACHE, on with
REDIS_URL): a change invalidates by giving keys new versions in the cache,
which a worker's own memory would never see.

A page made anew (the page cache off, a miss, a filter combination, staff)
need not make again what another page made a moment ago: a card shows the
same article the same way on every list. Fragments are kept under the keys
of the page cache (usip_cms/cache_keys.py) with the versions those keys had
when the fragment was made, the same versions pages are stored with
(usip_cms/caching.py): a change that drops a page showing an article drops
that article's card, and nothing else does. The generation counts too, so
`expire_pages` (a deploy with new templates) and a replayed outbox drop
every fragment as they drop every page.

What a fragment was made from must be no older than the versions it is
stored with, or a change committed in between would be hidden under the new
versions. So the versions are read first, and the rows the fragment reads
are loaded after them: a card's bylines and topics are fetched for the
missing cards only, after the versions were read. The article's own row
(title, date, type, photo) was loaded with the list, before: its values are
stored with the card and compared on each use, so a card is reused only
with the row it was made from (a QuerySet.update() is seen too).

Round trips to the cache, whatever the number of cards: one `get_many` per
list of cards (a page's lists are fetched together), plus one `set_many` when
some were missing (one `add_many` more for a key that never had a version).
The menus: one `get_many`, plus one write when they had to be made.

When the cache fails, everything is made as if nothing were kept, and the
page cache's circuit breaker (caching.health) pauses every use of the cache
for a few seconds, fragments included: a fragment never fails a page.
"""

import logging
import secrets
from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from usip_cms import caching
from usip_cms.caching import GENERATION_KEY, VERSION_PREFIX

logger = logging.getLogger(__name__)

PREFIX = "fragment:"
# How long a fragment may stay unused in the cache (a change makes it unused at once).
SECONDS = 24 * 3600
# What every card shows besides its article: the type's name and address, topics'.
CARD_KEYS = ("publicationtype:all", "topic:all")


def read(keys):
    """cache.get_many(keys) with the current generation under GENERATION_KEY,
    or None when the cache cannot be trusted now (down, paused, outbox unread)
    or is not shared by every worker (settings.FRAGMENT_CACHE off)."""
    if not settings.FRAGMENT_CACHE or not caching.health.closed():
        return None
    try:
        found = cache.get_many([GENERATION_KEY, *keys])
        generation = found.get(GENERATION_KEY)
        if not caching.health.answered():
            # As the page cache does: a change that did not reach the cache
            # is in the outbox, and counts before anything kept is trusted.
            generation = caching.replay_outbox(generation)
            caching.health.trusted = True
        if generation is None:
            generation, _changes = caching.start_counts()
    except DatabaseError as error:
        logger.warning("Fragments not used, the outbox is unreadable: %r", error)
        return None
    except Exception as error:  # whatever the backend raises, the page must not fail
        caching.health.fault()
        logger.warning("Fragment cache unavailable, fragments made anew: %r", error)
        return None
    found[GENERATION_KEY] = generation
    return found


def write(entries, versions, seconds=SECONDS):
    """Store entries ({cache key: value}); `versions` are the version keys read
    before their rows, with what was read (None: never changed yet, which
    gets a version of its own first, as caching.versions_now() gives one).
    Returns the versions stored with, or None if the entries were not stored."""
    missing = {k: -1 - secrets.randbits(62) for k, v in versions.items() if v is None}
    try:
        if missing and not caching.add_all(missing):
            return None  # another process gave one meanwhile: next time
        versions = {**versions, **missing}
        cache.set_many({k: make(versions) for k, make in entries.items()}, seconds)
    except Exception as error:
        caching.health.fault()
        logger.warning("Fragment cache unavailable, fragments not stored: %r", error)
        return None
    return versions


def card_row(article):
    """What a card shows from the article's own row (loaded with the list,
    before the versions were read): a card is reused only with the same."""
    photo = article.lead_photo
    kind = article.publication_type
    return (
        article.title,
        article.slug,
        article.summary,
        article.published_at,
        kind.pk,
        kind.name,
        kind.slug,
        photo and (photo.pk, photo.renditions),
    )


def card_key(article, heading_level, eager):
    # A card is written in the page's language (its date, its labels): the
    # French article page's related cards are not the English pages' ones.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{PREFIX}card:{article.pk}:{heading_level}:{int(bool(eager))}:{language}"


def render_cards(lists, render, heading_level=2, eager_first=False):
    """The cards of each list of articles, as [[html, …], …], in one round trip.

    render(article, eager) makes a card; eager is true for the first card of
    each list when eager_first (the card that may be above the fold).
    """
    lists = [list(articles) for articles in lists]
    cards = [
        (article, eager_first and position == 0)
        for articles in lists
        for position, article in enumerate(articles)
    ]
    if not cards:
        return [[] for _ in lists]
    # Bylines and topics fetched before the versions are read may be older
    # than them: such cards are made but not stored.
    loaded_before = {
        a.pk for a, _ in cards if "bylines" in getattr(a, "_prefetched_objects_cache", {})
    }
    shared = [VERSION_PREFIX + k for k in CARD_KEYS]
    article_versions = {a.pk: f"{VERSION_PREFIX}article:{a.pk}" for a, _ in cards}
    keys = {(a.pk, eager): card_key(a, heading_level, eager) for a, eager in cards}
    found = read([*shared, *article_versions.values(), *keys.values()])

    html = {}
    missing = {}
    for article, eager in cards:
        entry = found and found.get(keys[article.pk, eager])
        if entry and current(entry, found, [*shared, article_versions[article.pk]], article):
            html[article.pk, eager] = entry[3]
        else:
            missing[article.pk, eager] = article

    if missing:
        # Only now: what the missing cards show, newer than the versions read.
        prefetch_related_objects(list({a.pk: a for a in missing.values()}.values()),
                                 *card_prefetches())  # fmt: skip
        for (pk, eager), article in missing.items():
            html[pk, eager] = render(article, eager)
        storable = [(a, e) for (pk, e), a in missing.items() if pk not in loaded_before]
        if found is not None and storable:
            store(storable, html, found, shared, article_versions, keys)

    cards = iter(cards)
    return [[html[article.pk, eager] for article, eager in islice(cards, len(articles))]
            for articles in lists]  # fmt: skip


def current(entry, found, version_keys, article):
    generation, versions, row, _html = entry
    return (
        generation == found[GENERATION_KEY]
        and all(versions.get(k) is not None and found.get(k) == versions[k] for k in version_keys)
        and row == card_row(article)
    )


def store(cards, html, found, shared, article_versions, keys):
    generation = found[GENERATION_KEY]
    wanted = {k: found.get(k) for k in shared}
    wanted.update({article_versions[a.pk]: found.get(article_versions[a.pk]) for a, _ in cards})

    def entry(article, eager):
        own = [*shared, article_versions[article.pk]]
        return lambda versions: (
            generation,
            {k: versions[k] for k in own},
            card_row(article),
            html[article.pk, eager],
        )

    write({keys[a.pk, e]: entry(a, e) for a, e in cards}, wanted)


def card_prefetches():
    from articles.models import CARD_PREFETCHES

    return CARD_PREFETCHES


def kept(name, keys, make, row=None):
    """make(), or what it returned before while none of keys changed (their
    versions and the generation are those it was made with). The value is
    made after the versions were read, so it is never older than they are;
    `row` is what it shows that was loaded before them (an article's own
    row, as for a card): the value is reused only with the same.

    Like a page, it lives until the next scheduled article is due at most
    (caching.lifetime(): one query when it is made), since an article going
    live changes what is public with no change to see.
    """
    version_keys = [VERSION_PREFIX + k for k in sorted(keys)]
    key = f"{PREFIX}{name}"
    # Before the value is made: an article falling due meanwhile still ends its life.
    now = timezone.now()
    found = read([*version_keys, key])
    if found is not None:
        entry = found.get(key)
        if (
            entry
            and len(entry) == 5
            and entry[0] == found[GENERATION_KEY]
            and now.timestamp() < entry[2]
            and all(found.get(k) is not None and found.get(k) == entry[1].get(k)
                    for k in version_keys)
            and entry[3] == row
        ):  # fmt: skip
            return entry[4]
    value = make()
    if found is not None:
        seconds = caching.lifetime(now)
        if seconds >= 1:
            generation, expires = found[GENERATION_KEY], now.timestamp() + seconds
            write(
                {key: lambda versions: (generation, versions, expires, row, value)},
                {k: found.get(k) for k in version_keys},
                seconds,
            )
    return value
