"""RSS 2.0 and Atom feeds: all publications, and one per topic, region, type, author
and series.

Each feed is the newest FEED_LENGTH published articles of its scope, read in a
fixed number of queries whatever the length: the articles with their type and
lead photo, the bylines with their authors, the topics, the full reports' PDFs
(plus one query for the public topic, region, type, author or series named in
the address). Descriptions and enclosures come from publications.feed_content.

Every text the feeds are given is plain text; the XML writer below decides, per
element, how a reader will read it. Addresses are built on settings.SITE_URL,
like the pages' canonical links.
"""

import json
from collections import namedtuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, language_info
from publications import feed_content
from usip_cms import page_keys
from usip_cms.site import absolute_url
from usip_cms.text import strip_control_characters

FEED_LENGTH = 20


class ReaderSafeXMLGenerator(SimplerXMLGenerator):
    """The XML writer of every feed: what it writes, any reader reads as meant.

    Elements that readers render as HTML (RSS description; Atom summary,
    content and subtitle, marked type="html") get their plain text
    HTML-escaped here, once, before the XML writer escapes it again as XML:
    a name like ``<img onerror=…>`` reaches the reader as text, never as
    markup. Every other element (titles, names, categories) is plain text,
    escaped by the XML writer alone. Characters XML cannot carry are stripped
    from all text and attribute values, so no stored value can break a feed.
    """

    HTML_ELEMENTS = {
        "description": {},
        "summary": {"type": "html"},
        "content": {"type": "html"},
        "subtitle": {"type": "html"},
    }

    def addQuickElement(self, name, contents=None, attrs=None):
        if name in self.HTML_ELEMENTS and contents is not None:
            contents = escape(contents)
            attrs = {**(attrs or {}), **self.HTML_ELEMENTS[name]}
        super().addQuickElement(name, contents, attrs)

    def characters(self, content):
        super().characters(strip_control_characters(content))

    def startElement(self, name, attrs):
        super().startElement(name, {k: strip_control_characters(v) for k, v in attrs.items()})


class RssWriter(Rss201rev2Feed):
    format, label = "rss", "RSS"

    def write(self, outfile, encoding):
        # RssFeed.write with the reader-safe XML writer.
        handler = ReaderSafeXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")


class AtomWriter(Atom1Feed):
    format, label = "atom", "Atom"

    def add_item_elements(self, handler, item):
        # One <author> per person in byline order (Atom1Feed writes one for
        # all); an entry without a byline has the feed's author.
        authors = item.get("authors") or []
        super().add_item_elements(handler, {**item, "author_name": None} if authors else item)
        for name in authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")

    def write(self, outfile, encoding):
        # Atom1Feed.write with the reader-safe XML writer.
        handler = ReaderSafeXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class JsonFeedWriter(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), from the same items.

    Every value is JSON data, escaped by json.dumps: titles, names and the
    plain-text description (content_text) never become markup.
    """

    format, label = "json", "JSON Feed"
    content_type = "application/feed+json; charset=utf-8"
    VERSION = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        feed = self.feed
        document = {
            "version": self.VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "items": [self.item(item) for item in self.items],
        }
        outfile.write(json.dumps(without_empty(document), ensure_ascii=False))

    def item(self, item):
        return without_empty(
            {
                "id": item["unique_id"] or item["link"],
                "url": item["link"],
                "title": item["title"],
                "content_text": item["description"] or item["title"],
                "summary": item.get("summary"),
                "date_published": item["pubdate"] and item["pubdate"].isoformat(),
                "date_modified": item["updateddate"] and item["updateddate"].isoformat(),
                "authors": item.get("json_authors"),
                "tags": item["categories"],
                "attachments": [
                    {
                        "url": enclosure.url,
                        "mime_type": enclosure.mime_type,
                        "size_in_bytes": int(enclosure.length),
                    }
                    for enclosure in item["enclosures"]
                ],
            }
        )


def without_empty(values):
    """JSON Feed leaves out what a feed or item does not have."""
    return {key: value for key, value in values.items() if value not in (None, "", [], ())}


WRITERS = (RssWriter, AtomWriter, JsonFeedWriter)

FeedLink = namedtuple("FeedLink", "label type url")


def url_name(writer, scope=None):
    """The name of a feed's address in publications.urls: feed-rss, topic-atom…"""
    return f"{scope.name if scope else 'feed'}-{writer.format}"


def feed_path(writer, scope=None, term=None):
    args = [term.slug] if scope else []
    return reverse(f"publications:{url_name(writer, scope)}", args=args)


def feed_links(scope, term):
    """The feeds of a term's page, to advertise: one FeedLink per format."""
    return [
        FeedLink(writer.label, writer.content_type.split(";")[0], feed_path(writer, scope, term))
        for writer in WRITERS
    ]


class PublicationsFeed(Feed):
    """The feed of one scope's term (publications/scopes.py), or of every
    publication when scope is None, written by writer (RssWriter or AtomWriter)."""

    def __init__(self, writer, scope=None):
        super().__init__()
        self.feed_type = writer
        self.scope = scope

    def get_object(self, request, slug=None):
        if self.scope is None:
            return None
        # Only a public term has a feed; DoesNotExist is a 404.
        return self.scope.model.objects.public().get(slug=slug)

    def title(self, obj):
        name = self.scope.feed_title(obj) if obj is not None else "Publications"
        return f"{name} · {settings.SITE_NAME}"

    def link(self, obj):
        path = obj.get_absolute_url() if obj is not None else reverse("publications:list")
        return absolute_url(path)

    def description(self, obj):
        if obj is None:
            return f"{settings.SITE_NAME}: the latest analysis, reports and briefs."
        return self.scope.feed_description(obj)

    def subtitle(self, obj):
        # Atom's name for the description (RSS writes no subtitle).
        return self.description(obj)

    def author_name(self, obj):
        # The feed's own author: Atom requires one for entries with no byline.
        return settings.SITE_NAME

    def feed_url(self, obj):
        return absolute_url(feed_path(self.feed_type, self.scope, obj))

    def items(self, obj):
        articles = Article.objects.published()
        if obj is None:
            page_keys.shows(page_keys.NEWEST)
        else:
            page_keys.shows(page_keys.about(obj), page_keys.key(obj))
            articles = articles.about(obj)
        return feed_content.with_content(articles.newest_first().for_cards())[:FEED_LENGTH]

    def item_title(self, item):
        # Plain text (Feed's default would HTML-escape it, and readers would
        # show "&amp;"): the XML writer escapes it once.
        return item.title

    def item_description(self, item):
        # Plain text; the XML writer escapes it as HTML for the reader.
        return feed_content.description(item)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        # RSS has one dc:creator for the byline; Atom one author each (item_extra_kwargs).
        return ", ".join(author.name for author in item.ordered_authors) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_extra_kwargs(self, item):
        # Atom writes one <author> per name; the JSON Feed's own fields (the
        # RSS and Atom writers leave them unread).
        return {
            "authors": [author.name for author in item.ordered_authors],
            "summary": item.summary,
            "json_authors": [
                {"name": author.name, "url": absolute_url(author.get_absolute_url())}
                for author in item.ordered_authors
            ],
        }

    def item_enclosures(self, item):
        return feed_content.enclosures(item, self.feed_type.format)


class LanguageFeed(PublicationsFeed):
    """The feed of the publications in one language (a BCP 47 tag in the
    address: /feeds/fr/rss/), while a published article is in it."""

    def get_object(self, request, language):
        if not Article.objects.published().in_language(language).exists():
            raise Article.DoesNotExist(f"No publication in {language}.")
        return language

    def title(self, obj):
        return f"Publications in {language_info(obj)['name_local']} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute_url(f"{reverse('publications:list')}?language={obj}")

    def description(self, obj):
        return f"{settings.SITE_NAME}: the latest publications in {language_info(obj)['name']}."

    def feed_url(self, obj):
        return absolute_url(language_feed_path(self.feed_type, obj))

    def items(self, obj):
        articles = Article.objects.published().in_language(obj).newest_first().for_cards()
        return feed_content.with_content(articles)[:FEED_LENGTH]


def language_feed_path(writer, language):
    return reverse(f"publications:language-{writer.format}", args=[language])
