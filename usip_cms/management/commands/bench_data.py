"""`manage.py bench_data --size N`: a large archive for `make bench`;
`manage.py bench_data --dataset PATH`: the side-by-side benchmark's data set
(usip_cms/bench_dataset.py, for `make bench-peers`).

N articles of about 1,200 words (paragraphs drawn from the demo content),
with 300 authors, one to three bylines, topics and countries each, a lead
photo on one in three, a few drafts and a few scheduled ones. Rows go in with
bulk_create, in batches, so 100,000 articles take minutes, not hours; the
bodies are cleaned once per variant, as Article.save would.

Every slug starts with "bench-". The command refuses to empty a database that
holds any other article, and keeps an archive of the right size as it is
(--rebuild to make it again).
"""

import random
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import search
from articles.models import Article, ArticleAuthor, Author, Photo, TaggedRegion, TaggedTopic
from articles.sanitize import clean_html, plain_text
from publications.models import PublicationType, Region, Topic
from usip_cms import bench_dataset, caching
from usip_cms.demo import archive
from usip_cms.demo import content as demo
from usip_cms.demo.photos import draw_lead_photo

PREFIX = "bench-"
BATCH = 2000
AUTHORS = 300
PHOTOS = 4
BODY_VARIANTS = 60
BODY_WORDS = 1200
SCHEDULED = 5
ARCHIVE_YEARS = 12

FIRST_NAMES = ["Amara", "Jonah", "Priya", "Tomasz", "Esther", "Rafael", "Leila", "Kwame", "Mei"]
LAST_NAMES = ["Diallo", "Whitfield", "Raman", "Wierzbicki", "Mwangi", "Quintero", "Haddad", "Chen"]


class Command(BaseCommand):
    help = "Fill the database with SIZE generated articles for the benchmark (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=1000)
        parser.add_argument("--rebuild", action="store_true", help="Make it again even if there.")
        parser.add_argument(
            "--dataset",
            help="Load this dataset.json of ../shared/bench (and its images) into an "
            "empty database instead of generating articles.",
        )

    def handle(self, *args, size, rebuild, dataset=None, **options):
        if dataset:
            return self.load_dataset(dataset)
        others = Article.objects.exclude(slug__startswith=PREFIX)
        if others.exists():
            raise CommandError(
                f"This database holds {others.count()} articles that bench_data did not make. "
                "Run the benchmark on a database of its own (DATABASE_URL)."
            )
        if not rebuild and Article.objects.count() == size:
            self.stdout.write(f"Benchmark data: {size} articles already there.")
            return
        started = timezone.now()
        self.rng = random.Random(size)  # noqa: S311 -- repeatable test data, not secrets
        with transaction.atomic():
            self.empty()
            self.build(size)
            # Bulk inserts send no signals: the search index is built at the end.
            search.reindex(Article.objects.values_list("pk", flat=True))
        caching.new_generation()  # bulk inserts send no signals
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"Benchmark data: {size} articles made in {seconds:.0f} s.")

    def load_dataset(self, path):
        if Article.objects.exists():
            # The data set's slugs are its own: refuse to mix it with anything.
            self.stdout.write(
                f"Data set: the database already holds {Article.objects.count()} "
                "articles; kept as they are."
            )
            return
        count = bench_dataset.load_dataset(path, log=self.stdout.write)
        search.reindex(Article.objects.values_list("pk", flat=True))
        caching.new_generation()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Data set: {count} articles loaded from {path}.")

    def empty(self):
        models = [TaggedTopic, TaggedRegion, ArticleAuthor, Article, Author, Photo]
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in models:
                model.objects.all().delete()

    def build(self, size):
        rng = self.rng
        types = list(PublicationType.objects.all())
        topics = list(Topic.objects.values_list("pk", flat=True))
        countries = list(Region.objects.filter(kind=Region.Kind.COUNTRY).values_list("pk", "name"))
        authors = Author.objects.bulk_create(
            Author(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                slug=f"{PREFIX}author-{n}",
                role="a senior expert on conflict and peacebuilding",
            )
            for n in range(AUTHORS)
        )
        photos = [self.photo(n) for n in range(PHOTOS)]
        bodies = [self.body() for _ in range(BODY_VARIANTS)]
        themes = archive.THEMES

        now = timezone.now()
        step = timedelta(days=365 * ARCHIVE_YEARS) / size
        for start in range(0, size, BATCH):
            articles = []
            for n in range(start, min(start + BATCH, size)):
                theme = rng.choice(themes)
                country_pk, place = rng.choice(countries)
                title = rng.choice(theme["titles"]).format(place=place)
                body, words = bodies[n % BODY_VARIANTS]
                status, published_at = Article.Status.PUBLISHED, now - step * (n + 1)
                if n < SCHEDULED:
                    published_at = now + timedelta(days=n + 1)
                elif n % 200 == 7:
                    status, published_at = Article.Status.DRAFT, None
                article = Article(
                    title=title,
                    slug=f"{PREFIX}{n}-{slugify(title)}"[:200],
                    summary=theme["summary"].format(place=place),
                    body=body,
                    word_count=words,
                    publication_type=types[n % len(types)],
                    lead_photo=photos[n % len(photos)] if n % 3 == 0 else None,
                    status=status,
                    published_at=published_at,
                )
                article.place = country_pk
                articles.append(article)
            Article.objects.bulk_create(articles)
            self.tag(articles, authors, topics)
            self.stdout.write(f"  {start + len(articles)} / {size}")

    def tag(self, articles, authors, topics):
        rng = self.rng
        bylines, topic_tags, region_tags = [], [], []
        for article in articles:
            for position, author in enumerate(rng.sample(authors, rng.choice([1, 1, 2, 3]))):
                bylines.append(ArticleAuthor(article=article, author=author, position=position))
            for topic in rng.sample(topics, rng.randint(1, 3)):
                topic_tags.append(TaggedTopic(content_object=article, tag_id=topic))
            region_tags.append(TaggedRegion(content_object=article, tag_id=article.place))
        ArticleAuthor.objects.bulk_create(bylines, batch_size=5000)
        TaggedTopic.objects.bulk_create(topic_tags, batch_size=5000)
        TaggedRegion.objects.bulk_create(region_tags, batch_size=5000)

    def body(self):
        """About BODY_WORDS words in paragraphs, a heading every four; cleaned once."""
        paragraphs, words = [], 0
        while words < BODY_WORDS:
            if paragraphs and len(paragraphs) % 5 == 4:
                paragraphs.append(f"<h2>{self.rng.choice(HEADINGS)}</h2>")
            paragraph = self.rng.choice(PARAGRAPHS).format(place=self.rng.choice(PLACES))
            paragraphs.append(f"<p>{paragraph}</p>")
            words += len(paragraph.split())
        body = clean_html("\n".join(paragraphs))
        return body, len(plain_text(body).split())

    def photo(self, n):
        photo = Photo(
            alt_text="Dusk over dunes, a patrol in single file on a ridge",
            caption=f"A patrol at dusk, picture {n + 1}.",
            credit="Benchmark/Generated",
        )
        # Photo.save makes the renditions the page's srcset lists, as in production.
        name = f"{PREFIX}{n}.jpg"
        # A named file, so the image field records its width and height.
        photo.image.save(name, ContentFile(draw_lead_photo(), name=name), save=False)
        photo.save()
        return photo


def demo_paragraphs():
    bodies = [demo.MAIN_ARTICLE["body"], *(a["body"] for a in demo.LATEST_ARTICLES)]
    found = [p for body in bodies for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    found += [p for theme in archive.THEMES for p in theme["paragraphs"]]
    # Demo paragraphs may hold "{place}" already; escape other braces.
    return [p.replace("{", "{{").replace("}", "}}").replace("{{place}}", "{place}") for p in found]


PARAGRAPHS = demo_paragraphs()
PLACES = archive.PLACES
HEADINGS = ["Background", "What the Evidence Shows", "Obstacles", "What Comes Next"]
