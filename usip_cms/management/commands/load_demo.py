"""`manage.py load_demo`: fill a development database with demo publications.

Safe to run again: articles and authors are keyed by slug and updated in
place, bylines and tags are set to exactly what usip_cms.demo.content
says, and the lead photo is found again by its caption. The words themselves
live in usip_cms/demo/content.py.
"""

import math
import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, Author, Photo
from publications.models import PublicationType, Region, Topic
from usip_cms.demo import content as demo
from usip_cms.demo.home import load_home
from usip_cms.demo.photos import draw_lead_photo

# (username, group): groups come from articles/migrations/0002_roles.py.
DEMO_ACCOUNTS = [("editor", "Editors"), ("author", "Authors")]

SCHEDULED_AHEAD = timedelta(days=365)


class Command(BaseCommand):
    help = "Load demo publications (idempotent) and, with DEBUG on, demo staff accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the content only; do not create or reset the demo accounts.",
        )

    def handle(self, *args, no_accounts=False, **options):
        # All or nothing: a half-loaded demo is harder to reason about than none.
        with transaction.atomic():
            self.load_vocabularies()
            self.authors = self.load_authors()
            photo = self.load_photo()
            self.created = 0
            self.save_article(demo.MAIN_ARTICLE, lead_photo=photo)
            for data in demo.LATEST_ARTICLES:
                self.save_article(data)
            generated = generated_articles()
            for data in generated:
                self.save_article(data)
            self.save_article(demo.DRAFT_ARTICLE, status=Article.Status.DRAFT, published_at=None)
            self.save_article(
                demo.SCHEDULED_ARTICLE,
                published_at=timezone.now() + SCHEDULED_AHEAD,
            )
            load_home()

        published = 1 + len(demo.LATEST_ARTICLES) + len(generated)
        self.stdout.write(
            f"Demo content: {published + 2} articles ({published} published, 1 draft, "
            f"1 scheduled; {self.created} new), {len(self.authors)} authors, 1 photo."
        )

        if no_accounts:
            self.stdout.write("Demo accounts skipped (--no-accounts).")
        elif not settings.DEBUG:
            # Known usernames with passwords printed to a terminal have no place
            # on a production site.
            self.stderr.write(
                self.style.WARNING("DEBUG is off: demo accounts were not created or reset.")
            )
        else:
            self.load_accounts()

    def load_vocabularies(self):
        """Name → object maps; the names must match the seeded vocabularies."""
        self.types = {t.name: t for t in PublicationType.objects.all()}
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.regions = {r.name: r for r in Region.objects.all()}

    def lookup(self, names, vocabulary, kind):
        try:
            return [vocabulary[name] for name in names]
        except KeyError as error:
            raise CommandError(
                f"Unknown {kind} {error}. Run `manage.py migrate` to seed the vocabularies, "
                "or fix the name in usip_cms/demo/content.py."
            ) from None

    def load_authors(self):
        authors = {}
        for slug, (name, role) in demo.AUTHORS.items():
            authors[slug], _ = Author.objects.update_or_create(
                slug=slug, defaults={"name": name, "role": role}
            )
        return authors

    def load_photo(self):
        data = demo.MAIN_PHOTO
        photo = Photo.objects.filter(caption=data["caption"]).first() or Photo(
            caption=data["caption"]
        )
        photo.alt_text = data["alt_text"]
        photo.credit = data["credit"]
        # Draw the picture only when there is none, or its file has been
        # deleted (a wiped var/media), so reruns add no files.
        if not photo.image or not photo.image.storage.exists(photo.image.name):
            photo.image.save(data["file_name"], ContentFile(draw_lead_photo()), save=False)
        photo.save()
        return photo

    def save_article(
        self, data, *, status=Article.Status.PUBLISHED, published_at=None, lead_photo=None
    ):
        if status == Article.Status.PUBLISHED and published_at is None:
            published_at = data["published_at"]
        (publication_type,) = self.lookup([data["type"]], self.types, "publication type")
        # save() runs, so the body is sanitized and its words counted.
        article, created = Article.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"].strip(),
                "publication_type": publication_type,
                "report_number": data.get("report_number", ""),
                "status": status,
                "published_at": published_at,
                "lead_photo": lead_photo,
            },
        )
        self.created += created

        # Keep existing byline rows, drop authors no longer listed, renumber.
        authors = [self.authors[slug] for slug in data["authors"]]
        article.bylines.exclude(author__in=authors).delete()
        for position, author in enumerate(authors):
            ArticleAuthor.objects.update_or_create(
                article=article, author=author, defaults={"position": position}
            )
        article.topics.set(self.lookup(data["topics"], self.topics, "topic"))
        article.regions.set(self.lookup(data["regions"], self.regions, "region"))
        return article

    def load_accounts(self):
        User = get_user_model()
        for username, group_name in DEMO_ACCOUNTS:
            try:
                group = Group.objects.get(name=group_name)
            except Group.DoesNotExist:
                raise CommandError(
                    f"The {group_name} group is missing. Run `manage.py migrate` first."
                ) from None
            user, _ = User.objects.get_or_create(username=username)
            # A fresh password on every run: nothing guessable is ever stored,
            # and the latest output always holds the working one.
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_active = True
            user.is_staff = True
            user.is_superuser = False
            user.save()
            user.groups.set([group])
            self.stdout.write(f"Log into {settings.SITE_URL}/admin/ as {username} / {password}")


def generated_articles():
    """The archive that makes lists paginate: the same articles on every run."""
    rng = random.Random(demo.GENERATED_SEED)  # noqa: S311 -- repeatable demo data, not secrets
    count = demo.GENERATED_COUNT
    # Every type in turn, shuffled, so each type's page has a few items.
    types = (demo.GENERATED_TYPES * math.ceil(count / len(demo.GENERATED_TYPES)))[:count]
    rng.shuffle(types)
    days = (demo.GENERATED_END.date() - demo.GENERATED_START.date()).days
    titles = set()
    items = []
    while len(items) < count:
        theme = rng.choice(demo.GENERATED_THEMES)
        place = rng.choice(demo.GENERATED_PLACES)
        title = rng.choice(theme["titles"]).format(place=place)
        if title in titles:
            continue
        titles.add(title)
        day = demo.GENERATED_START + timedelta(days=rng.randrange(days + 1))
        paragraphs = [f"<p>{p.format(place=place)}</p>" for p in theme["paragraphs"]]
        paragraphs.insert(-1, "<h2>What Comes Next</h2>")
        items.append(
            {
                "slug": slugify(title)[:200],
                "title": title,
                "type": types[len(items)],
                "published_at": day.replace(
                    hour=rng.randrange(9, 18), minute=rng.choice([0, 15, 30, 45])
                ),
                "authors": rng.sample(demo.GENERATED_AUTHORS, rng.choice([1, 1, 2])),
                "topics": rng.sample(theme["topics"], rng.randint(1, 3)),
                "regions": [place],
                "summary": theme["summary"].format(place=place),
                "body": "\n".join(paragraphs),
            }
        )
    # Special Reports are numbered in date order, below the latest one (SR 535).
    reports = sorted(
        (item for item in items if item["type"] == "Special Report"),
        key=lambda item: item["published_at"],
    )
    for number, item in enumerate(reports, start=510):
        item["report_number"] = f"SR {number}"
    return items
