"""RSS 2.0 and Atom feeds: all publications, and one per topic, region, type and author.

Each feed is the newest FEED_LENGTH published articles of its scope, read in a
fixed number of queries whatever the length: the articles with their type and
lead photo, the bylines with their authors, the topics (plus one query for the
topic, region, type or author named in the address).

Addresses are built on settings.SITE_URL, like the pages' canonical links.
"""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles.models import Article, Author
from publications.models import PublicationType, Region, Topic
from usip_cms.site import absolute_url

FEED_LENGTH = 20


def file_size(field_file):
    """The file's size in bytes, or 0 when the storage cannot tell."""
    try:
        return field_file.size
    except (OSError, NotImplementedError):
        # A missing file, or a storage backend whose size() is not provided
        # (Django's Storage raises NotImplementedError): the enclosure then
        # says 0, which RSS readers accept.
        return 0


class PublicationsFeed(Feed):
    """RSS 2.0: every publication, newest first."""

    feed_type = Rss201rev2Feed
    feed_format = "rss"
    url_name = "feed"

    def title(self, obj):
        return f"Publications · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute_url(reverse("publications:list"))

    def description(self, obj):
        return f"{settings.SITE_NAME}: the latest analysis, reports and briefs."

    def feed_url(self, obj):
        args = [obj.slug] if obj is not None else []
        return absolute_url(reverse(f"publications:{self.url_name}-{self.feed_format}", args=args))

    def articles(self, obj):
        """The published articles in this feed's scope; subclasses narrow it."""
        return Article.objects.published()

    def items(self, obj):
        articles = self.articles(obj).newest_first().for_cards().select_related("lead_photo")
        return articles[:FEED_LENGTH]

    # Feed.item_title escapes the title: RSS readers treat it as HTML.

    def item_description(self, item):
        # The summary is plain text; the description is read as HTML.
        return escape(item.summary)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_enclosures(self, item):
        photo = item.lead_photo
        if photo is None or not photo.image:
            return []
        mime_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
        return [
            Enclosure(
                url=absolute_url(photo.image.url),
                length=str(file_size(photo.image)),
                mime_type=mime_type,
            )
        ]


class AtomMixin:
    """Turns a feed into Atom: same items, Atom's names for things."""

    feed_type = Atom1Feed
    feed_format = "atom"

    def subtitle(self, obj):
        return self.description(obj)

    def item_title(self, item):
        # Atom titles are plain text (no type="html"), so no escaping.
        return item.title


class TopicFeed(PublicationsFeed):
    url_name = "topic"

    def get_object(self, request, slug):
        return Topic.objects.get(slug=slug)  # DoesNotExist → 404

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def description(self, obj):
        return obj.description or f"Publications on {obj.name}."

    def articles(self, obj):
        return Article.objects.published().filter(topics=obj)


class RegionFeed(TopicFeed):
    """A region's feed includes its countries and a sub-region's members."""

    url_name = "region"

    def get_object(self, request, slug):
        return Region.objects.get(slug=slug)

    def articles(self, obj):
        return Article.objects.published().in_region(obj)


class TypeFeed(TopicFeed):
    url_name = "type"

    def get_object(self, request, slug):
        return PublicationType.objects.get(slug=slug)

    def title(self, obj):
        return f"{obj.plural or obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or f"The latest {obj.plural or obj.name}."

    def articles(self, obj):
        return Article.objects.published().filter(publication_type=obj)


class AuthorFeed(TopicFeed):
    url_name = "author"

    def get_object(self, request, slug):
        return Author.objects.get(slug=slug)

    def title(self, obj):
        return f"Publications by {obj.name} · {settings.SITE_NAME}"

    def description(self, obj):
        return f"Publications by {obj.name}."

    def articles(self, obj):
        return Article.objects.published().filter(bylines__author=obj)


class PublicationsAtomFeed(AtomMixin, PublicationsFeed):
    pass


class TopicAtomFeed(AtomMixin, TopicFeed):
    pass


class RegionAtomFeed(AtomMixin, RegionFeed):
    pass


class TypeAtomFeed(AtomMixin, TypeFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass
