"""The side-by-side benchmark's data set, loaded into our models.

`../shared/bench/` (see its README) measures this project against a Wagtail
peer, a bare Django view and nginx on one CMS-neutral data set:
`dataset.json` (types, topics, regions, authors, 1,000 articles) and a few
JPEGs beside it. `manage.py bench_data --dataset PATH` loads it here, so both
sites serve the same content at the same addresses (/publications/<slug>/,
/publications/?page=N).

Vocabulary terms are matched to ours by name (the seeded Global Policy is the
data set's Global Policy) and made when missing. Articles go in as editors'
articles would: through Article.save (bodies sanitised), bylines in order,
photos through the photo pipeline (renditions made once). A link to another
article, written `<a data-article="SLUG">` in the data set, becomes an
ordinary link to its page, as a link made in our editor is.
"""

import json
import re
from datetime import datetime, time
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Photo
from publications.models import PublicationType, Region, Topic

FORMAT = "policy-bench-dataset/1"
ARTICLE_LINK = re.compile(r'<a data-article="([^"]+)"')
# Every article of a day is published at noon in the site's time zone.
PUBLISHED_AT = time(12, 0)


def load_dataset(path, log=print):
    """Load the data set at path into an empty archive; returns the article count."""
    path = Path(path)
    data = json.loads(path.read_text())
    if data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} data set")
    with transaction.atomic():
        types = {t["slug"]: vocabulary_term(PublicationType, t) for t in data["types"]}
        topics = {t["slug"]: vocabulary_term(Topic, t) for t in data["topics"]}
        regions = {r["slug"]: vocabulary_term(Region, r) for r in data["regions"]}
        authors = {a["slug"]: load_author(a) for a in data["authors"]}
        photos = [None]  # the data set counts images from 1
        for image in data["images"]:
            photos.append(load_photo(path.parent / image["file"], image))
        # Newest first by date, ties in file order: our lists order by date,
        # then by id descending, so the file's last article goes in first.
        for n, item in enumerate(reversed(data["articles"]), 1):
            load_article(item, types, topics, regions, authors, photos)
            if n % 200 == 0:
                log(f"  {n} / {len(data['articles'])} articles")
    return len(data["articles"])


def vocabulary_term(model, item):
    term = model.objects.filter(name__iexact=item["name"]).first()
    if term is None:
        fields = {"slug": item["slug"]}
        if model is PublicationType:
            fields["plural"] = item["name"] + "s"
        term = model.objects.create(name=item["name"], **fields)
    return term


def load_author(item):
    author, _ = Author.objects.update_or_create(
        slug=item["slug"],
        defaults={"name": item["name"], "role": item["job_title"], "bio": item["bio"]},
    )
    return author


def load_photo(file_path, item):
    photo = Photo(alt_text=item["title"], caption=item["title"], credit="Benchmark data set")
    with file_path.open("rb") as image:
        photo.image.save(file_path.name, File(image), save=False)
    photo.save()  # makes the renditions, as an upload does
    return photo


def load_article(item, types, topics, regions, authors, photos):
    day = datetime.fromisoformat(item["date"]).date()
    published_at = timezone.make_aware(datetime.combine(day, PUBLISHED_AT))
    lead_photo = photos[item["lead_image"]] if item.get("lead_image") else None
    if lead_photo is not None:
        # One photo object per image: the data set's per-article caption and
        # credit go on a copy that shares the stored files.
        lead_photo = Photo.objects.create(
            image=lead_photo.image.name,
            width=lead_photo.width,
            height=lead_photo.height,
            renditions=lead_photo.renditions,
            alt_text=item["lead_image_caption"],
            caption=item["lead_image_caption"],
            credit=item["lead_image_credit"],
        )
    article = Article.objects.create(
        title=item["title"],
        slug=item["slug"],
        summary=item["summary"],
        body=ARTICLE_LINK.sub(r'<a href="/publications/\1/"', item["body_html"]),
        publication_type=types[item["type"]],
        lead_photo=lead_photo,
        status=Article.Status.PUBLISHED,
        published_at=published_at,
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=authors[byline["author"]], position=position)
        for position, byline in enumerate(item["authors"])
    )
    article.topics.add(*(topics[slug] for slug in item["topics"]))
    article.regions.add(*(regions[slug] for slug in item["regions"]))
    return article
