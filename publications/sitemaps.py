"""sitemap.xml: an index of sections (published articles, the fixed pages,
the landing pages of each scope's public terms), each served at
/sitemap-<section>.xml in pages.

Two queries per section page whatever its size (the paginator's count, then
the page), none for the fixed pages; a page of articles has one more, for the
translations among them (xhtml:link alternates, like the pages' hreflang).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from articles.models import Article
from publications.scopes import SCOPES
from usip_cms import page_keys
from usip_cms.site import absolute_url
from usip_cms.text import strip_control_characters


class SiteSitemap(Sitemap):
    """Locations on settings.SITE_URL, the same addresses as the canonical links."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        # Every text the sitemap template writes, stripped of what XML cannot
        # carry: no stored value can break the file.
        return [
            {key: strip_control_characters(value) for key, value in url.items()}
            for url in super().get_urls(page, site, protocol)
        ]


class StaticSitemap(SiteSitemap):
    def items(self):
        page_keys.shows()  # fixed addresses
        return [
            "publications:home",
            "publications:list",
            "publications:topics",
            "publications:regions",
        ]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(SiteSitemap):
    # Pages of 5,000 (?p=2 …) keep each file small for crawlers and the cache.
    limit = 5000

    def items(self):
        # Every published article, and when each last changed.
        page_keys.shows(page_keys.NEWEST, page_keys.all_of(Article))
        return (
            Article.objects.published()
            .newest_first()
            .only("slug", "updated_at", "language", "translation_of")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        groups = translation_groups([url["item"] for url in urls])
        for url in urls:
            item = url["item"]
            members = groups.get(item.translation_of_id or item.pk)
            if members:
                original = next(m for m in members if m.translation_of_id is None)
                url["alternates"] = [
                    {"lang_code": m.language, "location": absolute_url(m.get_absolute_url())}
                    for m in members
                ] + [
                    {
                        "lang_code": "x-default",
                        "location": absolute_url(original.get_absolute_url()),
                    }
                ]
        return urls

    def get_latest_lastmod(self):
        # For the index. Django's default reads every article to find it.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


def translation_groups(articles):
    """{original's id: [published members]} for the groups of articles that have
    a published original and a published translation; one query."""
    roots = {a.translation_of_id or a.pk for a in articles}
    published = Article.objects.published()
    translated = published.filter(translation_of__in=roots).values("translation_of")
    # The originals among roots with a published translation, and their members.
    members = published.filter(Q(translation_of__in=translated) | Q(pk__in=translated))
    members = members.only("slug", "language", "translation_of")
    groups = {}
    for member in members.order_by("language", "pk"):
        groups.setdefault(member.translation_of_id or member.pk, []).append(member)
    # A translation whose original is not published stands alone.
    return {root: m for root, m in groups.items() if any(x.pk == root for x in m)}


class ScopeSitemap(SiteSitemap):
    """A scope's public terms (publications/scopes.py): others have no page."""

    def __init__(self, scope):
        self.scope = scope

    def items(self):
        page_keys.shows(page_keys.PUBLIC, page_keys.all_of(self.scope.model))
        return self.scope.model.objects.public()


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    **{scope.section: ScopeSitemap(scope) for scope in SCOPES.values()},
}
