"""sitemap.xml: an index of sections (published articles, the fixed pages,
the landing pages), each served at /sitemap-<section>.xml in pages.

Two queries per section page whatever its size (the paginator's count, then
the page), none for the fixed pages.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article, Author
from publications.models import PublicationType, Region, Topic


class SiteSitemap(Sitemap):
    """Locations on settings.SITE_URL, the same addresses as the canonical links."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticSitemap(SiteSitemap):
    def items(self):
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
        return Article.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # For the index. Django's default reads every article to find it.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TopicSitemap(SiteSitemap):
    def items(self):
        return Topic.objects.all()


class RegionSitemap(SiteSitemap):
    def items(self):
        return Region.objects.all()


class TypeSitemap(SiteSitemap):
    def items(self):
        return PublicationType.objects.all()


class AuthorSitemap(SiteSitemap):
    """Only people with a published byline: others have nothing to show yet."""

    def items(self):
        return Author.objects.filter(
            bylines__article__in=Article.objects.published().values("pk")
        ).distinct()


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "regions": RegionSitemap,
    "types": TypeSitemap,
    "authors": AuthorSitemap,
}
