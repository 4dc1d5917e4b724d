"""The article page's own parts, kept between requests (usip_cms/fragments.py).

What the page shows of the article itself (its header, byline, body, PDF
editions, author lines, tags, cite box and metadata) changes only with the
article: a change to it, its bylines or authors, its tags, lead photo or
editions changes the key `article:<pk>`, a change to a vocabulary (a type,
topic, region or series renamed, a region's members) that vocabulary's
`<model>:all` (usip_cms/cache_keys.py). The parts are kept under those keys,
so a page made anew (the page cache off or missed, staff) makes again only
what depends on other articles: its translations' links and the related and
latest cards, which are kept themselves.

Kept with them: the weights that rank its related articles (its topics, its
regions and the regions around them), so a page whose parts are kept reads
none of its tags; one query ranks the related articles.

What the parts show was loaded after the keys' versions were read, except
the article's row and those loaded with it (its type, series and lead
photo): they are compared on each use (row()), as a card's are, so an edit
by QuerySet.update() (remade renditions) is seen too.

A preview (an unpublished article, for staff) is made every time and never
kept: a change to a draft changes no key.
"""

import hashlib

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation

from articles.models import CARD_PREFETCHES, related_weights
from articles.templatetags.article_meta import head_parts
from publications.models import Region
from usip_cms import page_keys
from usip_cms.site import site

# What the parts show besides the article: the names and addresses of its
# type, series, topics and regions (a region's members: its neighbours).
VOCABULARIES = ("publicationtype:all", "region:all", "series:all", "topic:all")


def own_parts(article, keep=True):
    """{"header", "body": HTML, "head": article_meta.head_parts(), "weights":
    related_weights()}: kept, or made now when keep is false or they changed."""
    if not keep:
        return made(article)
    keys = [page_keys.key(article), *VOCABULARIES]
    return page_keys.kept(f"article:{article.pk}", keys, lambda: made(article), row=row(article))


def made(article):
    # Its tags, PDF editions and byline, loaded now: after the versions were read.
    prefetch_related_objects([article], "topics", "editions", CARD_PREFETCHES[0])
    regions = list(Region.objects.filter(tagged_articles__content_object=article).with_neighbours())
    # In the article's language: its dates, and the labels around them.
    with translation.override(article.language):
        context = {"article": article, "regions": regions, **site(None)}
        return {
            "header": render_to_string("articles/article_header.html", context),
            "body": render_to_string("articles/article_body.html", context),
            "head": head_parts(article),
            "weights": related_weights(article, regions),
        }


def row(article):
    """A digest of the rows loaded with the article, before the versions were
    read: its own, its type's, its series' and its lead photo's."""
    digest = hashlib.blake2b(digest_size=16)
    for instance in (article, article.publication_type, article.series, article.lead_photo):
        fields = instance._meta.concrete_fields if instance is not None else ()
        digest.update(repr([getattr(instance, f.attname) for f in fields]).encode())
    return digest.hexdigest()
