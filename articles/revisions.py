"""Article revisions: take a snapshot, compare two, restore one.

A snapshot is plain JSON (field values, tag ids, the byline as author ids in
order), so a revision stays readable even after the code changes.
"""

import difflib
import re

from django.db import transaction
from django.utils.dateparse import parse_datetime

from articles.models import Article, ArticleAuthor, Author, Photo, Revision
from articles.sanitize import plain_text
from articles.times import short_time
from publications.models import PublicationType, Region, Series, Topic

FIELDS = {
    "title": "Title",
    "slug": "Slug",
    "publication_type": "Type",
    "summary": "Summary",
    "body": "Body",
    "lead_photo": "Lead photo",
    "topics": "Topics",
    "regions": "Regions",
    "authors": "Authors",
    "key_takeaways": "Key takeaways",
    "series": "Series",
    "series_number": "Number in the series",
    "isbn": "ISBN",
    "doi": "DOI",
    "status": "Status",
    "published_at": "Publication date",
}
# Restoring brings back the content; the workflow state stays as it is now.
RESTORED = ("title", "slug", "summary", "body", "key_takeaways", "isbn", "doi")


def snapshot(article):
    return {
        "title": article.title,
        "slug": article.slug,
        "publication_type": article.publication_type_id,
        "summary": article.summary,
        "body": article.body,
        "lead_photo": article.lead_photo_id,
        "topics": sorted(article.topics.values_list("pk", flat=True)),
        "regions": sorted(article.regions.values_list("pk", flat=True)),
        "authors": list(
            article.bylines.order_by("position", "pk").values_list("author", flat=True)
        ),
        "key_takeaways": article.key_takeaways,
        "series": article.series_id,
        "series_number": article.series_number,
        "isbn": article.isbn,
        "doi": article.doi,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "version": article.version,
    }


def record(article, user, note=""):
    """Store the article's current state, naming the fields that changed."""
    data = snapshot(article)
    previous = article.revisions.first()
    if previous is None:
        changed = []
    else:
        changed = [name for name in FIELDS if previous.data.get(name) != data.get(name)]
    return Revision.objects.create(
        article=article, user=user, data=data, changed=changed, note=note
    )


@transaction.atomic
def restore(revision, user):
    """Put the revision's content back, keeping status and date, and record it."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    data = revision.data
    for name in RESTORED:
        # Revisions older than a field leave it as it is.
        if name in data:
            setattr(article, name, data[name])
    article.publication_type_id = data["publication_type"]
    photo_id = data["lead_photo"]
    article.lead_photo_id = photo_id if Photo.objects.filter(pk=photo_id).exists() else None
    article.version += 1
    article.save()
    article.topics.set(Topic.objects.filter(pk__in=data["topics"]))
    article.regions.set(Region.objects.filter(pk__in=data["regions"]))
    existing = set(Author.objects.filter(pk__in=data["authors"]).values_list("pk", flat=True))
    article.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author_id=author_id, position=position)
        for position, author_id in enumerate(a for a in data["authors"] if a in existing)
    )
    note = f"Restored the revision of {short_time(revision.created_at)}"
    return record(article, user, note=note)


def readable(data):
    """Field label → display value, with ids turned into names (five queries)."""
    names = {
        "publication_type": dict(PublicationType.objects.values_list("pk", "name")),
        "lead_photo": {p.pk: str(p) for p in Photo.objects.filter(pk=data["lead_photo"])},
    }
    topics = dict(Topic.objects.filter(pk__in=data["topics"]).values_list("pk", "name"))
    regions = dict(Region.objects.filter(pk__in=data["regions"]).values_list("pk", "name"))
    authors = dict(Author.objects.filter(pk__in=data["authors"]).values_list("pk", "name"))
    series = dict(Series.objects.filter(pk=data.get("series")).values_list("pk", "name"))
    return {
        "title": data["title"],
        "slug": data["slug"],
        "publication_type": names["publication_type"].get(data["publication_type"], "—"),
        "summary": data["summary"],
        "body": data["body"],
        "lead_photo": names["lead_photo"].get(data["lead_photo"], "—"),
        "topics": ", ".join(topics.get(pk, "(deleted)") for pk in data["topics"]),
        "regions": ", ".join(regions.get(pk, "(deleted)") for pk in data["regions"]),
        "authors": "; ".join(authors.get(pk, "(deleted)") for pk in data["authors"]),
        "key_takeaways": "\n".join(data.get("key_takeaways", [])),
        "series": series.get(data.get("series"), "—"),
        "series_number": data.get("series_number") or "—",
        "isbn": data.get("isbn", ""),
        "doi": data.get("doi", ""),
        "status": Article.Status(data["status"]).label,
        "published_at": short_time(parse_datetime(data["published_at"]))
        if data["published_at"]
        else "—",
    }


# The block elements of a body: its text is compared block by block.
BLOCK_END = re.compile(r"</(?:p|li|h[2-4]|blockquote)>|<hr\s*/?>|<br\s*/?>", re.IGNORECASE)
HEADING = re.compile(r"^\s*<h([2-4])", re.IGNORECASE)


def blocks(html):
    """The body as a reader sees it: one plain-text line per paragraph, heading
    or list item (headings marked “Heading:”), with no markup left."""
    lines = []
    for chunk in BLOCK_END.split(html or ""):
        text = plain_text(chunk)
        if text:
            heading = HEADING.search(re.sub(r"^\s*(?:<(?:ul|ol|blockquote)[^>]*>\s*)+", "", chunk))
            lines.append(f"Heading: {text}" if heading else text)
    return lines


def word_diff(old, new):
    """[(kind, text)] with kind "same", "removed" or "added": old turned into new, word by word."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("added", " ".join(new_words[b1:b2])))
    return parts


def body_diff(old_html, new_html):
    """The body's changes as rows of rendered text: each row a paragraph that is
    the same, added, removed, or changed (with the words marked)."""
    old, new = blocks(old_html), blocks(new_html)
    rows = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows += [{"op": "same", "parts": [("same", line)]} for line in old[a1:a2]]
        else:
            rows += edited(old[a1:a2], new[b1:b2])
    return rows


def edited(old, new):
    """Rows for a run of paragraphs replaced by others: a new one that is mostly
    an old one is that paragraph changed (its words marked), in order; the
    rest were removed or added whole."""
    rows, i = [], 0
    for line in new:
        similar = next(
            (
                j
                for j in range(i, len(old))
                if difflib.SequenceMatcher(a=old[j].split(), b=line.split()).ratio() >= 0.5
            ),
            None,
        )
        if similar is None:
            rows.append({"op": "added", "parts": [("added", line)]})
            continue
        rows += [{"op": "removed", "parts": [("removed", gone)]} for gone in old[i:similar]]
        rows.append({"op": "changed", "parts": word_diff(old[similar], line)})
        i = similar + 1
    rows += [{"op": "removed", "parts": [("removed", gone)]} for gone in old[i:]]
    return rows


def compare(older, newer):
    """Rows for the compare page: each field, both values, and a body diff."""
    old, new = readable(older.data), readable(newer.data)
    rows = [
        {"label": label, "old": old[name], "new": new[name], "changed": old[name] != new[name]}
        for name, label in FIELDS.items()
        if name != "body"
    ]
    return rows, body_diff(old["body"], new["body"])
