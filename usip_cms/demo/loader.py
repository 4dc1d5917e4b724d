"""Putting the demo into a database: what `manage.py load_demo` does.

By default the loader creates what is missing and leaves alone what exists, so
`make run` can be run again and again without undoing anyone's work: articles
and authors are found by slug, the accounts by username and the photo by its
file name. A renamed article (same slug) stays renamed, an edited draft keeps
its text, a tag merged away in the admin stays away, and an account keeps its
password, so nobody is logged out. Only what is created is tagged, bylined
and, for an account, given a password (which is printed, once).

With reset=True it does the same and also restores what exists to the demo:
words, bylines, tags, workflow state, and new passwords for the accounts. An
article it changes gets a revision noting the reset, after the editor's own
revisions, so the edited version can be restored from the article's history.
"""

import secrets
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone

from articles import revisions
from articles.models import Article, ArticleAuthor, Author, Photo
from publications.models import PublicationType, Region, Topic
from usip_cms.demo import archive
from usip_cms.demo import content as demo
from usip_cms.demo import search as search_demo
from usip_cms.demo.home import card_pictures, feature_stories
from usip_cms.demo.photos import draw_lead_photo
from usip_cms.demo.reports import load_reports
from usip_cms.demo.translations import load_translations

# (username, group): groups come from articles/migrations/0002_roles.py.
ACCOUNTS = [("editor", "Editors"), ("author", "Authors")]

SCHEDULED_AHEAD = timedelta(days=365)

RESET_NOTE = "The demo text, restored by load_demo --reset"


def demo_articles():
    """Each demo article with the status and publication date it is stored with."""
    published = Article.Status.PUBLISHED
    yield demo.MAIN_ARTICLE, published, demo.MAIN_ARTICLE["published_at"]
    for data in [*demo.LATEST_ARTICLES, *archive.articles(), *search_demo.articles()]:
        yield data, published, data["published_at"]
    yield demo.DRAFT_ARTICLE, Article.Status.DRAFT, None
    yield demo.SCHEDULED_ARTICLE, published, timezone.now() + SCHEDULED_AHEAD


class DemoLoader:
    def __init__(self, *, reset=False):
        self.reset = reset
        # What happened to each demo object: created, kept, restored, unchanged.
        self.outcomes = Counter()
        # Names in the demo that the vocabularies no longer hold.
        self.warnings = []

    def load_content(self):
        """Authors, the photo and the articles; returns a one-line summary."""
        self.types = {t.name: t for t in PublicationType.objects.all()}
        self.vocabularies = {
            "topic": {t.name: t for t in Topic.objects.all()},
            "region": {r.name: r for r in Region.objects.all()},
        }
        self.authors = {
            slug: self.author(slug, name, role) for slug, (name, role) in demo.AUTHORS.items()
        }
        photo = self.demo_photo()
        main_exists = Article.objects.filter(slug=demo.MAIN_ARTICLE["slug"]).exists()
        if photo is None and (self.reset or not main_exists):
            photo = self.create_photo()
        articles = list(demo_articles())
        pictures = card_pictures(articles)
        for data, status, published_at in articles:
            lead_photo = photo if data is demo.MAIN_ARTICLE else pictures.get(data["slug"])
            self.article(data, status, published_at, lead_photo)
        reports = load_reports([data for data, _, _ in articles])
        feature_stories()
        translations = load_translations()

        published = len(articles) - 2
        return (
            f"Demo content: {len(articles)} articles ({published} published, 1 draft, "
            f"1 scheduled), {len(self.authors)} authors and 1 photo: {self.tally()}."
            + (f" Reports: {reports} added (series, numbers, takeaways, PDFs)." if reports else "")
            + (f" Translations: {translations} added (French, Arabic)." if translations else "")
        )

    def tally(self):
        words = {
            "created": "created",
            "restored": "restored to the demo text",
            "unchanged": "already as in the demo",
            "kept": "kept as they are (`manage.py load_demo --reset` restores the demo text)",
        }
        return ", ".join(
            f"{self.outcomes[o]} {text}" for o, text in words.items() if self.outcomes[o]
        )

    def author(self, slug, name, role):
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            self.outcomes["created"] += 1
            return Author.objects.create(slug=slug, name=name, role=role)
        self.keep_or_restore(author, {"name": name, "role": role})
        return author

    def keep_or_restore(self, obj, fields):
        """Leave obj as it is; with reset, give it these field values (saved if one differs)."""
        if not self.reset:
            self.outcomes["kept"] += 1
            return
        changed = {name: value for name, value in fields.items() if getattr(obj, name) != value}
        for name, value in changed.items():
            setattr(obj, name, value)
        if changed:
            obj.save()
        self.outcomes["restored" if changed else "unchanged"] += 1

    def demo_photo(self):
        """The photo the demo made earlier, found by its caption, or None.

        Stored file names are random (articles/images.py), so the demo's own
        caption is what marks it. A photo whose caption an editor changed is
        theirs: it is not found, so not changed, and a reset draws the demo
        photo anew, leaving theirs in the library. The file is drawn again if
        it was deleted (a wiped var/media): that is missing, not edited.
        """
        caption = demo.MAIN_PHOTO["caption"]
        photo = Photo.objects.filter(caption=caption).order_by("pk").first()
        if photo is None:
            return None
        self.keep_or_restore(photo, self.photo_words())
        if not photo.image.storage.exists(photo.image.name):
            self.draw(photo)
            photo.save()
        return photo

    def create_photo(self):
        photo = Photo(**self.photo_words())
        self.draw(photo)
        photo.save()
        self.outcomes["created"] += 1
        return photo

    @staticmethod
    def photo_words():
        return {name: demo.MAIN_PHOTO[name] for name in ("caption", "alt_text", "credit")}

    @staticmethod
    def draw(photo):
        name = demo.MAIN_PHOTO["file_name"]
        # Named, so the image field reads its size now and stores it: a photo
        # without one has its file opened each time it is loaded.
        photo.image.save(name, ContentFile(draw_lead_photo(), name=name), save=False)

    def article(self, data, status, published_at, lead_photo):
        publication_type = self.types.get(data["type"])
        if publication_type is None:
            raise CommandError(
                f"There is no publication type “{data['type']}”. Run `manage.py migrate` to "
                "seed the vocabularies, or fix the name in usip_cms/demo/."
            )
        fields = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"].strip(),
            "publication_type": publication_type,
            "status": status,
            "published_at": published_at,
            "lead_photo": lead_photo,
        }
        article = Article.objects.filter(slug=data["slug"]).first()
        if article is None:
            # save() runs, so the body is sanitized and its words counted.
            article = Article.objects.create(slug=data["slug"], **fields)
            self.relate(article, data)
            self.outcomes["created"] += 1
            return
        if not self.reset:
            self.outcomes["kept"] += 1
            return
        before = revisions.snapshot(article)
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        self.relate(article, data)
        # Compared as stored: the demo's dates are in New York time, the database's in UTC.
        if revisions.snapshot(Article.objects.get(pk=article.pk)) == before:
            self.outcomes["unchanged"] += 1
            return
        # A form opened before the reset cannot save over it, and the history
        # shows the reset after the editor's own revisions.
        article.version += 1
        article.save(update_fields=["version"])
        revisions.record(article, None, note=RESET_NOTE)
        self.outcomes["restored"] += 1

    def relate(self, article, data):
        """Byline and tags exactly as the demo has them."""
        authors = [self.authors[slug] for slug in data["authors"]]
        article.bylines.exclude(author__in=authors).delete()
        for position, author in enumerate(authors):
            ArticleAuthor.objects.update_or_create(
                article=article, author=author, defaults={"position": position}
            )
        article.topics.set(self.terms("topic", data))
        article.regions.set(self.terms("region", data))

    def terms(self, kind, data):
        """The article's topics or regions; a name no longer in the vocabulary is left out."""
        vocabulary = self.vocabularies[kind]
        names = data[f"{kind}s"]
        for name in names:
            if name not in vocabulary:
                self.warnings.append(
                    f"There is no {kind} “{name}” (merged or deleted in the admin, or misspelt "
                    f"in usip_cms/demo/): “{data['title']}” was saved without it."
                )
        return [vocabulary[name] for name in names if name in vocabulary]

    def load_accounts(self):
        """Create the demo staff accounts (reset: restore them); returns lines to print."""
        User = get_user_model()
        lines = []
        for username, group_name in ACCOUNTS:
            try:
                group = Group.objects.get(name=group_name)
            except Group.DoesNotExist:
                raise CommandError(
                    f"The {group_name} group is missing. Run `manage.py migrate` first."
                ) from None
            admin = f"{settings.SITE_URL}/admin/"
            user = User.objects.filter(username=username).first()
            if user is not None and not self.reset:
                # Its password stays, and with it every session it has open.
                lines.append(
                    f"Log into {admin} as {username} with the password printed when the "
                    f"account was made (forgot it? `manage.py changepassword {username}`)"
                )
                continue
            user = user or User(username=username)
            # Random, so nothing guessable is ever stored; printed only now.
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_active = True
            user.is_staff = True
            user.is_superuser = False
            user.save()
            user.groups.set([group])
            lines.append(f"Log into {admin} as {username} / {password}")
        return lines
