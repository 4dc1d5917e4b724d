"""Articles, their authors and their photos.

An article's public visibility is decided in one place only:
ArticleQuerySet.published(). Every public page, list, feed and sitemap goes
through it.
"""

import math
from functools import cached_property
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_info, gettext_lazy, to_locale
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles import identifiers, pdfs
from articles.images import (
    PORTRAIT_WIDTHS,
    RENDITION_DIR,
    RENDITION_WIDTHS,
    RandomName,
    delete_renditions,
    make_renditions,
    make_social_image,
    narrowest,
    srcset,
)
from articles.names import contains_words, split_name
from articles.sanitize import clean_html, plain_text
from articles.times import short_time
from publications.models import PublicationType, Region, Series, TermQuerySet, Topic


def made_by(help_text=""):
    """Who made a record (kept when the user goes): authors change only their own."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


WORDS_PER_MINUTE = 230
# How many of the newest articles on each shared tag related_and_newest() considers.
RELATED_POOL = 500
# What each thing shared with an article adds to a related article's score:
# a region outweighs a topic, and a region next door (through a sub-region
# such as the Sahel) outweighs one shared topic too.
RELATED_WEIGHTS = {
    "region": 6,
    "neighbour": 4,
    "topic": 2,
    "parent": 1,
    "type": 1,
}
# How many cards "Latest Publications" shows, on the home and article pages.
LATEST_COUNT = 5
# Key takeaways: how many points, and how long each may be.
TAKEAWAYS_MAX = 8
TAKEAWAY_MAX_LENGTH = 300


class RenditionsOnSave:
    """Keeps a model's renditions in step with its image.

    Renditions are made on save, once per new image, never on a page view;
    removing the image removes them. A model names its image field, the JSON
    field holding the renditions, their folder and widths.
    """

    image_field = "image"
    renditions_field = "renditions"
    rendition_folder = RENDITION_DIR
    rendition_widths = RENDITION_WIDTHS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_image_name = self._image_name()

    def _image_name(self):
        # Read the stored value, not the descriptor: a deferred field stays unloaded.
        value = self.__dict__.get(self.image_field)
        return getattr(value, "name", value) or ""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.image_field not in update_fields:
            return
        image = getattr(self, self.image_field)
        renditions = getattr(self, self.renditions_field)
        if image and (image.name != self._saved_image_name or not renditions):
            renditions = make_renditions(
                self,
                field=self.image_field,
                folder=self.rendition_folder,
                widths=self.rendition_widths,
            )
        elif not image and renditions:
            delete_renditions(self, folder=self.rendition_folder)
            renditions = []
        if renditions != getattr(self, self.renditions_field):
            setattr(self, self.renditions_field, renditions)
            super().save(update_fields=[self.renditions_field])
        self._saved_image_name = image.name or ""


class Author(RenditionsOnSave, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    created_by = made_by(
        "Who added the record: an author may change it until a published article "
        "carries it (articles.admin_roles)."
    )
    family_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="For citations, only when the name is not “given names, then family name”: "
        "e.g. “Xi” for Xi Jinping, “De Niro” for Robert De Niro. Write it as in the name.",
    )
    role = models.CharField(
        "role line",
        max_length=300,
        blank=True,
        help_text="Completes the sentence “NAME is …” at the end of articles, e.g. "
        "“a USIP security governance expert based in Mali”. No full stop.",
    )
    bio = models.TextField(blank=True)
    portrait = models.ImageField(
        upload_to=RandomName("portraits"),
        blank=True,
        width_field="portrait_width",
        height_field="portrait_height",
        help_text="A JPEG, PNG or WebP, at least 480 pixels wide, shown in a 160-pixel circle. "
        "It is stored re-encoded, without its metadata.",
    )
    portrait_width = models.PositiveIntegerField(editable=False, null=True)
    portrait_height = models.PositiveIntegerField(editable=False, null=True)
    portrait_renditions = models.JSONField(
        default=list,
        editable=False,
        help_text="Resized WebP and JPEG copies of the portrait, made once when it changes.",
    )

    image_field = "portrait"
    renditions_field = "portrait_renditions"
    rendition_folder = f"{RENDITION_DIR}/authors"
    rendition_widths = PORTRAIT_WIDTHS

    # public(): a person is public once they have a published byline, like a term.
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("publications:author", args=[self.slug])

    def clean(self):
        if self.family_name and not contains_words(self.name, self.family_name):
            raise ValidationError(
                {"family_name": "Write the family name as it appears in the name above."}
            )

    @property
    def name_parts(self):
        """Given names, particle, family name and suffix, for citations."""
        return split_name(self.name, self.family_name)

    @property
    def role_sentence(self):
        """“is a USIP security governance expert based in Mali.”"""
        return f"is {self.role.rstrip('.')}." if self.role else ""

    @property
    def author_line(self):
        """“Kadiatou Keita is a USIP security governance expert based in Mali.”"""
        return f"{self.name} {self.role_sentence}" if self.role else ""

    @property
    def portrait_avif_srcset(self):
        return srcset(self.portrait_renditions, "avif")

    @property
    def portrait_webp_srcset(self):
        return srcset(self.portrait_renditions, "webp")

    @property
    def portrait_jpeg_srcset(self):
        return srcset(self.portrait_renditions, "jpeg")

    @property
    def portrait_fallback(self):
        """The narrowest JPEG rendition: the img's src, width and height."""
        return narrowest(self.portrait_renditions)


class Photo(RenditionsOnSave, models.Model):
    image = models.ImageField(
        upload_to=RandomName("photos"), width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. "
        "Required unless the photo is marked decorative.",
    )
    is_decorative = models.BooleanField(
        default=False, help_text="Tick only if the photo adds nothing to the text."
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown under the photo. Do not put the credit here.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Photographer and agency, e.g. “Finbarr O'Reilly/The New York Times”. "
        "Shown in brackets after the caption.",
    )
    renditions = models.JSONField(
        default=list,
        editable=False,
        help_text="Resized WebP and JPEG copies, made once when the image changes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    uploaded_by = made_by(
        "Who uploaded the photo: an author may change it until a published article "
        "shows it (articles.admin_roles)."
    )
    focal_x = models.FloatField(
        "focal point, across",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Where the subject is, from the left edge (0) to the right (1). Crops "
        "keep it in view. Click the picture to set it.",
    )
    focal_y = models.FloatField(
        "focal point, down",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Where the subject is, from the top (0) to the bottom (1).",
    )
    social_image = models.JSONField(
        default=dict,
        editable=False,
        help_text="A 1200×630 JPEG cut around the focal point, for social cards "
        "({name, width, height}); made when the image or the focal point changes.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(is_decorative=True),
                name="photo_has_alt_text_or_is_decorative",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._social_source = self._social_key()

    def __str__(self):
        return self.caption[:80] or self.alt_text[:80] or self.image.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # After the renditions: the social card is cut from the widest one.
        if self.renditions and (not self.social_image or self._social_key() != self._social_source):
            old = self.social_image.get("name")
            self.social_image = make_social_image(self)
            models.Model.save(self, update_fields=["social_image"])
            if old and old != self.social_image["name"]:
                default_storage.delete(old)
        self._social_source = self._social_key()

    def _social_key(self):
        # From the loaded values only: a deferred field must not cost a query.
        loaded = self.__dict__
        renditions = loaded.get("renditions") or []
        widest = max(renditions, key=lambda entry: entry["width"])["jpeg"] if renditions else ""
        return widest, loaded.get("focal_x"), loaded.get("focal_y")

    @property
    def social(self):
        """The social card's {url, width, height}: the cut one, or the photo itself."""
        if self.social_image:
            return {**self.social_image, "url": default_storage.url(self.social_image["name"])}
        return {"url": self.image.url, "width": self.width, "height": self.height}

    @property
    def focal_classes(self):
        """CSS classes placing crops on the focal point (fx-0 … fx-10, fy-0 … fy-10):
        classes, since the Content Security Policy allows no inline style."""
        return f"fx-{round(self.focal_x * 10)} fy-{round(self.focal_y * 10)}"

    @property
    def is_portrait(self):
        return bool(self.width and self.height and self.height > self.width)

    def srcset(self, fmt):
        return srcset(self.renditions, fmt)

    @property
    def avif_srcset(self):
        return self.srcset("avif")

    @cached_property
    def sources(self):
        """The <source>s of a <picture>, best format first: [{"type", "srcset"}].

        AVIF where its renditions exist, then WebP; the img itself names the JPEGs.
        """
        found = [(f"image/{fmt}", self.srcset(fmt)) for fmt in ("avif", "webp")]
        return [{"type": kind, "srcset": value} for kind, value in found if value]

    @cached_property
    def fallback(self):
        """The narrowest JPEG rendition ({"url", "width", "height"}), or None."""
        return narrowest(self.renditions) if self.renditions else None

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def jpeg_srcset(self):
        return self.srcset("jpeg")

    @property
    def caption_with_credit(self):
        """“Caption text. (Credit)” as the page shows it."""
        if self.credit:
            return f"{self.caption} ({self.credit})".strip()
        return self.caption


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "topic tagging"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_topic"),
        ]
        indexes = [
            # Articles with a given topic, by id: the topic filter and landing
            # page, and related_and_newest()'s ranking (index-only, no table reads).
            models.Index(fields=["tag", "content_object"], name="tagged_topic_tag_article_idx"),
        ]


class TaggedRegion(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_regions"
    )
    tag = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = "region tagging"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_region"),
        ]
        indexes = [
            # Articles with a given region, by id: the region filter and landing
            # page, and related_and_newest()'s ranking (index-only, no table reads).
            models.Index(fields=["tag", "content_object"], name="tagged_region_tag_article_idx"),
        ]


def validate_takeaways(value):
    """Key takeaways: a list of up to TAKEAWAYS_MAX short plain-text points."""
    if not isinstance(value, list) or not all(isinstance(point, str) for point in value):
        raise ValidationError("Key takeaways are a list of short texts.", code="takeaways")
    if len(value) > TAKEAWAYS_MAX:
        raise ValidationError(
            "Keep to %(max)s key takeaways; this has %(count)s.",
            code="takeaways_count",
            params={"max": TAKEAWAYS_MAX, "count": len(value)},
        )
    for number, point in enumerate(value, start=1):
        if len(point) > TAKEAWAY_MAX_LENGTH:
            raise ValidationError(
                "Point %(number)s has %(length)s characters; keep each to %(max)s.",
                code="takeaway_length",
                params={"number": number, "length": len(point), "max": TAKEAWAY_MAX_LENGTH},
            )


class State(models.TextChoices):
    """An article's place in the workflow, as staff see it (Article.state).

    Scheduled is published status with a time still to come; the trash keeps
    whatever status the article had.
    """

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    TRASH = "trash", "In the trash"


def default_language():
    """The language of a new article: the site's (settings.LANGUAGE_CODE), as a
    bare BCP 47 language tag, "en" for "en-us"."""
    return to_locale(settings.LANGUAGE_CODE).split("_")[0]


def language_info(tag):
    """Django's facts on a BCP 47 tag (name, name_local, bidi), by its longest
    known prefix; for an unknown language, the tag itself, left to right."""
    parts = tag.lower().split("-")
    for end in range(len(parts), 0, -1):
        try:
            return get_language_info("-".join(parts[:end]))
        except KeyError:
            continue
    return {"code": tag, "name": tag, "name_local": tag, "bidi": False}


class ArticleQuerySet(models.QuerySet):
    def in_language(self, tag):
        """Articles in the language tag names: fr gives fr, fr-CA…; pt-BR only pt-BR."""
        return self.filter(Q(language__iexact=tag) | Q(language__istartswith=f"{tag}-"))

    def translations_of(self, article):
        """The other members of article's translation group (the original and
        its translations), in this queryset, with what a link to each needs;
        one query."""
        group = self.filter(translation_group(article))
        group = group.only("slug", "title", "language", "translation_of")
        return group.exclude(pk=article.pk).order_by(*TRANSLATION_ORDER)

    def published(self):
        """The one rule for what readers may see.

        Published status, a publication time that has come, and not in the
        trash. A future time means scheduled: the article appears by itself
        once the time passes, with no job needed to flip it. An article moved
        to the trash leaves every public surface at once (its page says 410).
        """
        return self.not_trashed().filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def scheduled(self, now=None):
        """Published status with a time still to come: each goes live by itself then."""
        return self.not_trashed().filter(
            status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now()
        )

    def not_trashed(self):
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def signed_off(self):
        """Published or scheduled: an editor has let them go, so authors change
        neither them nor the photos and author records they show."""
        return self.filter(status=Article.Status.PUBLISHED)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_cards(self):
        """What a publication card shows: type, lead photo, authors in order, topics.

        The type and the photo (its renditions make the thumbnail) come in the
        same query as the articles; cards never show the body, the largest
        column by far.
        """
        return self.card_rows().prefetch_related(*CARD_PREFETCHES)

    def card_rows(self):
        """What a card shows from the article's own row and its type and photo
        (CARD_RELATED), without the body: for pages whose cards come from the
        fragment cache, whose cards tag fetches the bylines and topics of the
        cards it does not hold (usip_cms/fragments.py)."""
        return self.select_related(*CARD_RELATED).defer("body")

    def featured(self):
        """The articles of this queryset that editors put on the home page, in
        their order (publications.Featured); published() keeps the rule."""
        return self.filter(featured__isnull=False).order_by("featured__position", "featured__pk")

    def with_photo(self):
        return self.filter(lead_photo__isnull=False)

    def related_and_newest(self, article, limit, weights, newest):
        """({article id: score} of the candidates most related to article, a few
        more than limit; [the ids of the `newest` newest of these articles but
        article]), in one query. Some of the scored may be unpublished: load
        them through this queryset, then best_related() keeps the best limit.

        Each candidate scores the weights (related_weights(): RELATED_WEIGHTS
        for every topic and region it shares with the article, or that is
        near one of the article's regions), plus RELATED_WEIGHTS["type"] for
        the same publication type.

        Candidates are the RELATED_POOL newest articles on each of those tags,
        so the cost stays flat however large the archive and however common
        the tag: an index-only scan per tag on (tag, article). The newest come
        from this queryset's own query (Article.objects.published() on the
        article page), which keeps the one publication rule; asking for them
        here saves the page a round trip, and lets it load both by id.
        """
        latest = self.newest_first().exclude(pk=article.pk).values_list("pk", flat=True)
        latest_sql, latest_params = latest[:newest].query.get_compiler(using=self.db).as_sql()
        pools, params = [], []
        for model, tags in ((TaggedTopic, weights["topic"]), (TaggedRegion, weights["region"])):
            for tag, weight in tags.items():
                pools.append(
                    f"SELECT * FROM (SELECT content_object_id AS article_id,"  # noqa: S608
                    f" {int(weight)} AS weight FROM {model._meta.db_table} WHERE tag_id = %s"
                    f" ORDER BY content_object_id DESC LIMIT {RELATED_POOL}) pool{len(pools)}"
                )
                params.append(tag)
        # The SQL Django compiled for the newest; its values stay parameters.
        newest_cte = f"newest (id) AS ({latest_sql})"
        query = f"WITH {newest_cte} SELECT id, NULL FROM newest"  # noqa: S608
        query_params = [*latest_params]
        if pools:
            # Some of the best-scored may be unpublished: take a few more than needed.
            query = f"""
                WITH ranked (article_id, score) AS (
                    SELECT hit.article_id, SUM(hit.weight)
                        + CASE WHEN candidate.publication_type_id = %s
                          THEN {RELATED_WEIGHTS["type"]} ELSE 0 END
                    FROM ({" UNION ALL ".join(pools)}) hit
                    JOIN {Article._meta.db_table} candidate ON candidate.id = hit.article_id
                    WHERE hit.article_id <> %s
                    GROUP BY hit.article_id, candidate.publication_type_id
                    ORDER BY 2 DESC, hit.article_id DESC
                    LIMIT %s
                ), {newest_cte}
                SELECT article_id, score FROM ranked UNION ALL SELECT id, NULL FROM newest
            """  # noqa: S608 (table names come from the models, values are parameters)
            query_params = [article.publication_type_id, *params, article.pk, limit * 4,
                            *latest_params]  # fmt: skip
        with connections[self.db].cursor() as cursor:
            cursor.execute(query, query_params)
            rows = cursor.fetchall()
        scores = {pk: score for pk, score in rows if score is not None}
        return scores, [pk for pk, score in rows if score is None]

    def about(self, term):
        """Articles about a topic, a region (with the countries it contains), a
        publication type, by an author or in a series: the one narrowing of the
        filters, the landing pages and the feeds."""
        if isinstance(term, Region):
            return self.in_region(term)
        if isinstance(term, Topic):
            return self.filter(tagged_topics__tag=term)
        if isinstance(term, PublicationType):
            return self.filter(publication_type=term)
        if isinstance(term, Author):
            return self.filter(bylines__author=term)
        if isinstance(term, Series):
            return self.filter(series=term)
        raise TypeError(f"Articles cannot be about {term!r}.")

    def search(self, query, about=()):
        """The articles matching a reader's words, best first (articles.search),
        and about each topic or region of `about` (as about() would narrow them).

        Each carries search_rank and search_snippet (the matched words marked,
        read through Article.highlight); a query with no words matches nothing.
        """
        from articles.search import search

        return search(self, query, about)

    def in_region(self, region):
        """Articles tagged with the region (or its id) or any country it contains."""
        # A subquery, not a join: no duplicates to remove, so no DISTINCT over
        # whole rows (which made the paginator's count slow on a large archive).
        tagged = TaggedRegion.objects.filter(tag__in=Region.objects.within(region).values("pk"))
        return self.filter(pk__in=tagged.values("content_object"))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the address: /publications/SLUG/. Changing it "
        "after publication breaks links.",
    )
    summary = models.TextField(
        max_length=1000,
        blank=True,
        help_text="One paragraph shown on cards, in feeds and to search engines. "
        "Required to publish.",
    )
    body = ProseEditorField(
        blank=True,
        sanitize=True,
        # What the editor offers; articles.sanitize enforces the same on save.
        extensions={
            "Bold": True,
            "Italic": True,
            "Subscript": True,
            "Superscript": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "HardBreak": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
            "History": True,
            "Menu": True,
        },  # fmt: skip
        help_text="Headings, paragraphs, lists, links and quotes. Scripts, styles "
        "and unknown markup are removed when saved.",
    )
    lead_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    authors = models.ManyToManyField(Author, through="ArticleAuthor", related_name="articles")
    publication_type = models.ForeignKey(
        PublicationType, on_delete=models.PROTECT, related_name="articles"
    )
    topics = TaggableManager(
        "topics", through=TaggedTopic, blank=True, related_name="articles",
        help_text="Issue areas, e.g. Global Policy. Pick from the list where you can.",
    )  # fmt: skip
    regions = TaggableManager(
        "regions", through=TaggedRegion, blank=True, related_name="articles",
        help_text="Countries first (Mali), or a region or sub-region when the piece "
        "covers it as a whole. A country is found under its region and sub-regions.",
    )  # fmt: skip
    key_takeaways = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_takeaways],
        help_text="Short points shown in a box near the top of the page, in order.",
    )
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="For numbered publications: the series, e.g. Special Reports.",
    )
    series_number = models.PositiveIntegerField(
        "number in the series",
        null=True,
        blank=True,
        help_text="493 makes “SR 493” in the Special Reports.",
    )
    isbn = models.CharField(
        "ISBN",
        max_length=13,
        blank=True,
        validators=[identifiers.normalize_isbn],
        help_text="ISBN-13 or ISBN-10, with or without hyphens; kept as 13 digits.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[identifiers.normalize_doi],
        help_text="E.g. 10.1234/sr.535 (a https://doi.org/ link is fine too).",
    )
    language = models.CharField(
        max_length=35,
        default=default_language,
        validators=[identifiers.normalize_language],
        help_text="The language the article is written in, as a BCP 47 tag: en, fr, ar, "
        "fa-AF (Dari), pt-BR…",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="For a translation: the original article. The original and its "
        "translations link to each other on their pages.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        help_text="A time in the future schedules the article: it goes live by itself then.",
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one at each save from the admin; a form opened at an "
        "older version cannot overwrite a newer save.",
    )
    created_by = made_by()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    trashed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the article was moved to the trash: readers get 410 Gone, and "
        "editors may restore it for TRASH_DAYS days.",
    )
    trashed_by = made_by("Who moved the article to the trash.")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
        ]
        indexes = [
            # ArticleQuerySet.published().newest_first(): every list, card and feed.
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["series", "series_number"],
                name="unique_article_series_number",
                violation_error_message="Another article already has this number in this series.",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, series_number__isnull=True)
                | Q(series__isnull=False, series_number__isnull=False),
                name="article_series_has_number",
                violation_error_message="A series needs a number, and a number its series.",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remember_address()

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        self.word_count = len(plain_text(self.body).split())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "word_count"}
        super().save(*args, **kwargs)
        if self._public_slug and self._public_slug != self.slug:
            from articles import redirects

            old_address = reverse("articles:detail", args=[self._public_slug])
            redirects.slug_changed(self, old_address)
        self._remember_address()

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        self.clean_translation()
        series = self.series if self.series_id else None
        if series and self.series_number is None:
            raise ValidationError({"series_number": f"Give its number in the {series}."})
        if self.series_number is not None and not series:
            raise ValidationError({"series": "Choose the series this number belongs to."})
        if (
            series
            and self.publication_type_id
            and series.publication_type_id != self.publication_type_id
        ):
            raise ValidationError(
                {
                    "series": f"The {series} series holds {series.publication_type} publications: "
                    "change the type or choose another series."
                }
            )

    def _remember_address(self):
        # Where readers found the article as loaded: a new slug keeps that
        # address answering (articles.redirects.slug_changed).
        # Read from the loaded values only: a deferred field must not cost a query.
        loaded = self.__dict__
        public = (
            all(name in loaded for name in ("slug", "status", "published_at", "trashed_at"))
            and loaded["slug"]
            and self.state == State.PUBLISHED
        )
        self._public_slug = loaded["slug"] if public else None

    def clean_translation(self):
        if not self.translation_of_id:
            return
        original = self.translation_of
        if original.translation_of_id:
            # A group has one original: a translation of a translation joins
            # the group of the original.
            original = self.translation_of = original.translation_of
        if self.pk and original.pk == self.pk:
            raise ValidationError({"translation_of": "An article cannot translate itself."})
        if self.pk and self.translations.exists():
            raise ValidationError(
                {"translation_of": "This article has translations of its own: it is an original."}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": f"The original is in the same language ({self.language})."}
            )

    @property
    def language_name(self):
        """The language's name in itself, as a link label: “Français”, “العربيّة”."""
        name = language_info(self.language)["name_local"]
        return name[:1].upper() + name[1:]

    @property
    def text_direction(self):
        """ "rtl" for Arabic, Dari, Hebrew, Urdu…, else "ltr"."""
        return "rtl" if language_info(self.language)["bidi"] else "ltr"

    @property
    def ordered_authors(self):
        # bylines is prefetched by for_cards(); sorting here keeps it one query.
        return [b.author for b in sorted(self.bylines.all(), key=lambda b: b.position)]

    @property
    def report_number(self):
        """“SR 493”, from the series and the number; "" when not in a series."""
        if self.series_id and self.series_number is not None:
            return self.series.number(self.series_number)
        return ""

    @property
    def is_report(self):
        """Cited and described as a report: a report type, or a numbered publication."""
        return self.publication_type.is_report or bool(self.series_id)

    @property
    def full_edition(self):
        """The full report's PDF edition, or None (from the prefetched editions)."""
        return next((e for e in self.editions.all() if e.kind == Edition.Kind.FULL), None)

    @property
    def isbn_hyphenated(self):
        return identifiers.hyphenate_isbn(self.isbn)

    @property
    def doi_url(self):
        return identifiers.doi_url(self.doi)

    @property
    def highlight(self):
        """The search snippet as HTML: the text escaped, only the marks live."""
        from articles.search import highlight

        return highlight(getattr(self, "search_snippet", ""))

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def publishing_problems(self, authors):
        """Why the article cannot be published yet: {field name: message}, empty when it can.

        The one readiness rule, for the change form and the bulk publish
        action alike. authors is the byline to check (ordered_authors for a
        stored article); None leaves the byline out, for the change form,
        whose byline inline checks it with the authors it is about to save.
        """
        problems = {}
        if not self.summary.strip():
            problems["summary"] = "A summary is needed to publish: cards and feeds show it."
        if authors is not None and not authors:
            problems["authors"] = "Add at least one author before publishing."
        return problems

    @property
    def state(self):
        """Where the article is in the workflow: a State (articles.workflow names them)."""
        if self.trashed_at is not None:
            return State.TRASH
        if self.status == Article.Status.PUBLISHED:
            if self.published_at and self.published_at > timezone.now():
                return State.SCHEDULED
            return State.PUBLISHED
        return State(self.status)

    @property
    def is_scheduled(self):
        """Whether ArticleQuerySet.scheduled() holds this article (for the admin's lists)."""
        return Article.objects.filter(pk=self.pk).scheduled().exists() if self.pk else False


class ArticleAuthor(models.Model):
    """One author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the byline; lower comes first."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "author"
        verbose_name_plural = "authors (in byline order)"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


COVER_DIR = "edition-covers"


def edition_path(edition, filename):
    return pdfs.stored_name(filename, edition.sha256)


class Edition(models.Model):
    """A PDF of an article: the designed full report, its summary, a translation, an annex.

    The file is checked (articles.pdfs) and its page count, size, digest and
    cover images are read once, when a new file is saved. Readers get it from
    EditionFileView, at an address that changes with the file.
    """

    class Kind(models.TextChoices):
        # Lazy: the download box shows them in the article page's language.
        FULL = "full", gettext_lazy("Full report")
        SUMMARY = "summary", gettext_lazy("Summary")
        TRANSLATION = "translation", gettext_lazy("Translation")
        ANNEX = "annex", gettext_lazy("Annex")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editions")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.FULL)
    language = models.CharField(
        max_length=35,
        default="en",
        validators=[identifiers.normalize_language],
        help_text="A BCP 47 tag: en, fr, ar, pt-BR, zh-Hans…",
    )
    title = models.CharField(
        "title of this PDF",
        max_length=300,
        blank=True,
        help_text="Leave empty to use the article's title.",
    )
    file = models.FileField(
        "PDF",
        upload_to=edition_path,
        max_length=300,
        help_text="A PDF without JavaScript, forms, attachments or passwords.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the download box; lower comes first."
    )
    page_count = models.PositiveIntegerField(default=0, editable=False)
    size = models.PositiveBigIntegerField("size in bytes", default=0, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    covers = models.JSONField(
        default=list,
        editable=False,
        help_text="The first page as WebP and JPEG images, made once when the file changes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "PDF edition"
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(kind="full"),
                name="one_full_report_per_article",
                violation_error_message="An article has one full report; "
                "make the others translations, summaries or annexes.",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_file_name = self.file.name

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language}) of {self.article}"

    def save(self, *args, **kwargs):
        new_file = bool(self.file) and not self.file._committed
        if new_file:
            # Checked by the admin form already (which hands its result over);
            # anything else that saves a file is checked here.
            info = self.__dict__.pop("checked_pdf", None) or pdfs.check_pdf(self.file)
            self.page_count, self.size, self.sha256 = info.page_count, info.size, info.sha256
        super().save(*args, **kwargs)
        if new_file:
            try:
                # Made here, once per new file, never on a page view, under
                # new random names (articles.images): new addresses too.
                self.cover_source = ContentFile(pdfs.png_bytes(info.cover), name="cover.png")
                self.covers = make_renditions(
                    self, field="cover_source", folder=COVER_DIR, widths=pdfs.COVER_WIDTHS
                )
                super().save(update_fields=["covers"])
            except Exception:
                # Nothing half-made is left behind: the caller's transaction
                # drops the row, and the files go here.
                self.file.storage.delete(self.file.name)
                delete_renditions(self, folder=COVER_DIR)
                raise
            finally:
                self.cover_source = None
            old = self._saved_file_name
            if old and old != self.file.name:
                storage = self.file.storage
                transaction.on_commit(lambda: storage.delete(old), using=kwargs.get("using"))
        self._saved_file_name = self.file.name

    def get_absolute_url(self):
        return reverse("articles:edition", args=[self.article.slug, self.pk, self.digest])

    @property
    def digest(self):
        """The start of the file's SHA-256: part of its address, so a new file has a new one."""
        return self.sha256[:12]

    @property
    def file_slug(self):
        """The name a download is saved under: the article's slug, the kind, the language."""
        parts = [self.article.slug]
        if self.kind != self.Kind.FULL:
            parts.append(self.kind)
        if self.kind == self.Kind.TRANSLATION or not self.language.startswith("en"):
            parts.append(self.language)
        return slugify("-".join(parts))[:120]

    @property
    def display_title(self):
        return self.title or self.article.title

    @property
    def language_name(self):
        return identifiers.language_name(self.language)

    @property
    def webp_srcset(self):
        return srcset(self.covers, "webp")

    @property
    def jpeg_srcset(self):
        return srcset(self.covers, "jpeg")

    @property
    def cover(self):
        """The narrowest cover as {"url", "width", "height"} (JPEG), or None."""
        return narrowest(self.covers) if self.covers else None


class SearchDocument(models.Model):
    """An article's searchable text, one column per weight (articles.search).

    Rebuilt by articles.search on every change that affects it; the database
    indexes it (a weighted tsvector with a GIN index on PostgreSQL, an FTS5
    table kept in step by triggers on SQLite).
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField(help_text="Weight A.")
    summary = models.TextField(blank=True, help_text="Weight B.")
    people = models.TextField(blank=True, help_text="The byline's names: weight C.")
    terms = models.TextField(
        blank=True, help_text="Topic and region names, with the regions containing them: weight C."
    )
    body = models.TextField(blank=True, help_text="The body as plain text: weight D.")
    facets = models.TextField(
        blank=True,
        default="",
        help_text="The topics and regions the article is about, one per line"
        " (“topic 7”, “region 3”, with the regions containing its own): lexemes of"
        " the PostgreSQL vector that no reader's words can make, for the facets.",
    )

    class Meta:
        ordering = ["article"]

    def __str__(self):
        return self.title


class SearchWord(models.Model):
    """A word of a title, a name or a term: the vocabulary of “Did you mean”."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class Revision(models.Model):
    """A saved state of an article: who saved it, when, and what changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(help_text="The article's fields, tags and byline at this point.")
    changed = models.JSONField(default=list, help_text="Names of the fields that changed.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # An article's history, newest first (the revisions page).
            models.Index(fields=["article", "-created_at"], name="revision_article_newest_idx"),
        ]

    def __str__(self):
        return f"{self.article} at {short_time(self.created_at)}"


class Transition(models.Model):
    """An article moved from one workflow state to another: who, when, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    user = made_by("Who took the step.")
    created_at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=12, choices=State)
    to_state = models.CharField(max_length=12, choices=State)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="The publication time set, when published or scheduled."
    )
    note = models.TextField(
        max_length=2000, blank=True, help_text="Why, e.g. what to change before it is resubmitted."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # An article's history, and the dashboard's “waiting since”.
            models.Index(fields=["article", "-created_at"], name="transition_article_newest_idx"),
        ]

    def __str__(self):
        return f"{self.article}: {self.get_from_state_display()} → {self.get_to_state_display()}"


class ReviewNote(models.Model):
    """A dated remark of staff on an article, shown beside its form and in its history."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_notes")
    user = made_by("Who wrote the note.")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=2000, help_text="Plain text.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note on {self.article} at {short_time(self.created_at)}"


class ShareLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """An address that shows an unpublished article to someone without an account.

    The address carries a public selector and a secret (articles.sharing):
    only a hash of the secret is stored, so the table alone opens nothing.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    selector = models.CharField(
        max_length=24, unique=True, editable=False, help_text="Finds the link; not secret."
    )
    secret_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the secret part of the address."
    )
    created_by = made_by("Who made the link.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="After this the link says it has expired.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = made_by("Who revoked the link (none when publishing ended it).")
    open_count = models.PositiveIntegerField(default=0, help_text="How often it was opened.")
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Share link for {self.article} made {self.created_at:%Y-%m-%d}"


class Redirect(models.Model):
    """An old address of the site answering 301 with where its content is now.

    It answers only where the site has no page (articles.redirects), so it
    never hides a live one. A redirect made by a slug change points at the
    article itself and follows its later moves.
    """

    class Origin(models.TextChoices):
        SLUG = "slug", "Slug changed"
        MANUAL = "manual", "Added by hand"
        IMPORT = "import", "Imported"

    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="A path on this site, starting with /, e.g. /publications/2019/05/old-title "
        "(a full URL of the previous site is cut to its path).",
    )
    target_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="Send readers to this article, wherever it moves later…",
    )
    target_path = models.CharField(
        "new address",
        max_length=500,
        blank=True,
        help_text="…or to this path on this site, e.g. /topics/gender/.",
    )
    origin = models.CharField(max_length=8, choices=Origin, default=Origin.MANUAL)
    created_by = made_by()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_article__isnull=True) & ~Q(target_path=""))
                | (Q(target_article__isnull=False) & Q(target_path="")),
                name="redirect_has_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.target}"

    @property
    def target(self):
        if self.target_article_id:
            return self.target_article.get_absolute_url()
        return self.target_path


class NotificationSetting(models.Model):
    """A staff member's choice about workflow emails (articles.notifications)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    emails = models.BooleanField(
        "email me about the workflow",
        default=True,
        help_text="Items submitted for review (editors); your items returned, scheduled or "
        "published (authors).",
    )

    class Meta:
        ordering = ["user"]

    def __str__(self):
        return f"Notifications of {self.user}: {'on' if self.emails else 'off'}"


@receiver(post_delete, sender=Edition)
def remove_edition_files(sender, instance, using, **kwargs):
    """A deleted edition's PDF and covers go too, once the deletion is committed
    (also when its article is deleted)."""
    name, storage = instance.file.name, instance.file.storage
    # The instance's pk is cleared once the deletion is done: keep a copy.
    covers_of = Edition(pk=instance.pk)

    def remove():
        if name:
            storage.delete(name)
        delete_renditions(covers_of, folder=COVER_DIR)

    transaction.on_commit(remove, using=using)


# What cards read from the articles' own query: the type and the lead photo.
CARD_RELATED = ("publication_type", "lead_photo")


# What cards need besides those: bylines with their authors, and topics.
# Used by ArticleQuerySet.for_cards() and by pages that load several lists of
# cards and fetch these for all of them at once.
# The order of a translation group's members on a page ("Also available in").
TRANSLATION_ORDER = ("language", "pk")


def translation_group(article):
    """A filter for article's translation group: the original and its translations."""
    original = article.translation_of_id or article.pk
    return Q(pk=original) | Q(translation_of=original)


def translations_among(candidates, article):
    """The other members of article's translation group among candidates
    (loaded with translation_group(article) in their filter), in order."""
    original = article.translation_of_id or article.pk
    found = [
        a for a in candidates
        if a.pk != article.pk and original in (a.pk, a.translation_of_id)
    ]  # fmt: skip
    return sorted(found, key=attrgetter(*TRANSLATION_ORDER))


def related_weights(article, regions):
    """{"topic": {id: weight}, "region": {id: weight}}: what ranks articles
    related to article (ArticleQuerySet.related_and_newest()).

    RELATED_WEIGHTS for every topic of the article, every region of it, every
    region near one of them (a country sharing a sub-region with it: an
    article on Mali counts those on Niger or Burkina Faso through the Sahel,
    more than one that only shares a topic; the sub-region itself; a
    country's sub-regions' members), and the region a country belongs to. A
    region counts once, at its best weight. Reads the article's topics
    (prefetch them); regions are its own from Region.objects.with_neighbours().
    """
    weights = {"topic": {}, "region": {}}
    for topic in article.topics.all():
        weights["topic"][topic.pk] = RELATED_WEIGHTS["topic"]
    by_region = weights["region"]

    def weigh(pk, weight):
        if pk is not None and weight > by_region.get(pk, 0):
            by_region[pk] = weight

    for region in regions:
        weigh(region.pk, RELATED_WEIGHTS["region"])
        for pk in region.neighbour_ids:
            weigh(pk, RELATED_WEIGHTS["neighbour"])
        weigh(region.parent_id, RELATED_WEIGHTS["parent"])
    return weights


def best_related(candidates, score, limit):
    """The limit best of candidates (articles loaded from ArticleQuerySet.
    related_and_newest()'s ids, and maybe others), best score first, then newest."""

    def rank(a):
        return (-score[a.pk], -(a.published_at.timestamp() if a.published_at else 0), -a.pk)

    return sorted((a for a in candidates if a.pk in score), key=rank)[:limit]


CARD_PREFETCHES = (
    Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
    "topics",
)
