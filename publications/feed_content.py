"""What a feed item carries besides its title: the description and enclosures.

The description is the summary, followed by the key takeaways when the
article has them, as plain text (publications.feeds escapes it for readers);
the enclosures are the full report's PDF (with its exact length) and the lead
photo. RSS allows one enclosure per item, so there the PDF wins; Atom carries
both.
"""

import mimetypes

from django.db.models import Prefetch
from django.utils.feedgenerator import Enclosure

from articles.models import Edition
from usip_cms.site import absolute_url


def with_content(articles):
    """articles with what description() and enclosures() read: one query more."""
    full = Edition.objects.filter(kind=Edition.Kind.FULL)
    return articles.select_related("lead_photo").prefetch_related(
        Prefetch("editions", queryset=full)
    )


def description(article):
    """Plain text: the summary, then the key takeaways numbered one a line."""
    if not article.key_takeaways:
        return article.summary
    points = [f"{n}. {point}" for n, point in enumerate(article.key_takeaways, start=1)]
    return "\n".join([article.summary, "", "Key takeaways:", *points])


def enclosures(article, feed_format):
    """The full report's PDF and the lead photo (only the first of them in RSS)."""
    found = []
    if full := article.full_edition:
        found.append(
            Enclosure(
                url=absolute_url(full.get_absolute_url()),
                length=str(full.size),
                mime_type="application/pdf",
            )
        )
    photo = article.lead_photo
    if photo is not None and photo.image:
        found.append(
            Enclosure(
                url=absolute_url(photo.image.url),
                length=str(file_size(photo.image)),
                mime_type=mimetypes.guess_type(photo.image.name)[0] or "image/jpeg",
            )
        )
    return found[:1] if feed_format == "rss" else found


def file_size(field_file):
    """The file's size in bytes, or 0 when the storage cannot tell."""
    try:
        return field_file.size
    except (OSError, NotImplementedError):
        # A missing file, or a storage backend whose size() is not provided
        # (Django's Storage raises NotImplementedError): the enclosure then
        # says 0, which RSS readers accept.
        return 0
