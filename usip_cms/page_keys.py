"""What a page shows: the keys of the page cache and the front cache.

A key names something a page can show (the list is in usip_cms/cache_keys.py,
which says what each change invalidates). While a page is made, its keys are
collected (`collecting()`, by usip_cms/caching.py and usip_cms/frontcache.py):
the rows it loads record themselves (every Article, every term), and views
declare what their queries return with `shows()`:

    page_keys.shows(page_keys.about(topic))     # a topic's list of articles
    page_keys.shows(page_keys.NEWEST)           # the newest publications

A page that declares nothing is given default_keys(), so a new kind of page
is never served stale, only dropped more often than it needs. This module is
what the content apps take from the page cache: declarations, no machinery.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

NEWEST = "newest"
PUBLIC = "public"
# More than this many articles on a page (a sitemap) and it depends on them all.
ARTICLES_PER_PAGE = 50


def key(instance):
    return f"{instance._meta.model_name}:{instance.pk}"


def all_of(model):
    return f"{model._meta.model_name}:all"


def about(term):
    """The key of Article.objects.about(term): a term's list of articles."""
    return f"about:{term._meta.model_name}:{term.pk}"


def default_keys():
    from articles.models import Article, Author

    return {NEWEST, PUBLIC, all_of(Article), all_of(Author)}


class Shown:
    """The keys of one page, collected while it is made."""

    def __init__(self):
        self.keys = set()
        self.instances = defaultdict(set)  # model-wide key -> instance keys
        self.declared = False

    def final(self):
        """The page's keys, sorted: instance keys folded into their model's
        key when there are too many, DEFAULT_KEYS if the page declared none."""
        keys = set(self.keys)
        for whole, instances in self.instances.items():
            keys |= {whole} if len(instances) > ARTICLES_PER_PAGE else instances
        if not self.declared:
            keys |= default_keys()
        return sorted(keys)


_shown = ContextVar("page_cache_shown", default=None)


@contextmanager
def collecting():
    """Collect the keys of the page being made (the one already being
    collected, if the page cache started it above the front cache)."""
    current = _shown.get()
    if current is not None:
        yield current
        return
    shown = Shown()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)


def shows(*keys):
    """Declare what the page being made lists (NEWEST, about(term), PUBLIC…).

    Views call it for what a query returns; the rows a page loads record
    themselves.
    """
    shown = _shown.get()
    if shown is not None:
        shown.declared = True
        shown.keys.update(keys)


@contextmanager
def choosing():
    """Articles loaded inside are candidates, not shown: the caller then
    declares the ones it shows (`shows(key(article)…)`)."""
    token = _choosing.set(True)
    try:
        yield
    finally:
        _choosing.reset(token)


_choosing = ContextVar("page_cache_choosing", default=False)


def note_article(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None and instance.pk is not None and not _choosing.get():
        shown.instances[all_of(sender)].add(key(instance))


def note_vocabulary(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None:
        shown.keys.add(all_of(sender))


def note(*keys):
    """Record keys of what the page being made shows, as the rows it loads
    record themselves (a fragment kept from another page loads no rows)."""
    shown = _shown.get()
    if shown is not None:
        shown.keys.update(keys)


def kept(name, keys, make, row=None):
    """make(), or the value it made before, while none of keys has changed
    (usip_cms/fragments.py keeps it in the cache under the keys' versions)
    and `row`, what it shows that was loaded before, is the same.

    For a value many pages make the same way (the filter menus'
    vocabularies), or a page's own parts (the article page's): the content
    apps declare what it shows, the shell keeps it.
    """
    from usip_cms import fragments

    note(*keys)
    return fragments.kept(name, keys, make, row)
