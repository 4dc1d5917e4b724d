"""What a reader can follow: a topic, a region, a publication type, an author or a series.

SCOPES is the one list of them. It drives each scope's landing page and feed
addresses (publications/urls.py), the feeds' titles (feeds.py), the feeds a
landing page advertises in its head and on the page
(templates/includes/feed_links.html) and the sitemap sections (sitemaps.py).
Which terms have a page is each model's objects.public(); which articles a
term gathers is Article.objects.about(term).
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from articles.models import Author
from publications.models import PublicationType, Region, Series, Topic


def _publications_on(term):
    return term.description or f"Publications on {term.name}."


def _type_name(publication_type):
    return publication_type.plural or publication_type.name


@dataclass(frozen=True)
class Scope:
    name: str  # URL names publications:NAME, NAME-rss, NAME-atom; the filter's parameter
    model: type
    prefix: str  # addresses /PREFIX/<slug>/, /PREFIX/<slug>/rss/ …
    section: str  # the sitemap section, /sitemap-SECTION.xml
    # A term → its feed's title and description (plain text).
    feed_title: Callable = attrgetter("name")
    feed_description: Callable = _publications_on

    @property
    def label(self):
        """What the landing page says the term is: “topic”, “publication type”…"""
        return self.model._meta.verbose_name


SCOPES = {
    scope.name: scope
    for scope in [
        Scope(name="topic", model=Topic, prefix="topics", section="topics"),
        Scope(name="region", model=Region, prefix="regions", section="regions"),
        Scope(
            name="type",
            model=PublicationType,
            prefix="types",
            section="types",
            feed_title=_type_name,
            feed_description=lambda t: t.description or f"The latest {_type_name(t)}.",
        ),
        Scope(
            name="author",
            model=Author,
            prefix="people",
            section="authors",
            feed_title=lambda author: f"Publications by {author.name}",
            feed_description=lambda author: f"Publications by {author.name}.",
        ),
        Scope(
            name="series",
            model=Series,
            prefix="series",
            section="series",
            feed_description=lambda series: series.description or f"The {series}, newest first.",
        ),
    ]
}
