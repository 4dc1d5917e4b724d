"""The publication vocabularies: types, topics, regions and report series.

Topics and regions are two separate django-taggit tag models, so a topic can
never be used as a region or the other way round. The through models that
attach them to articles live in the articles app, which keeps this module free
of any import of articles (no import cycle; tests/test_architecture.py checks).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from taggit.models import NaturalKeyManager, TagBase


class TermQuerySet(models.QuerySet):
    """A vocabulary (or the authors): public once a published article uses a term.

    The articles are reached through the relation the articles app declares
    to the term (every term model has the reverse relation ``articles``), so
    the rule is Article.objects.published() itself and this module still
    imports nothing from articles.
    """

    def used(self):
        """Terms that a published article carries itself."""
        return self.filter(Exists(self.published_articles()))

    def public(self):
        """The terms readers may see: menus, indexes, landing pages, feeds, sitemaps."""
        return self.used()

    def published_articles(self):
        """The published articles carrying the term of the outer query (OuterRef("pk"))."""
        relation = self.model._meta.get_field("articles")
        published = relation.related_model.objects.published()
        return published.filter(**{relation.field.name: OuterRef("pk")})


class TagQuerySet(TermQuerySet):
    """Topics and regions: terms of a tagging table indexed on (tag, article)."""

    def used(self):
        # A tag is on thousands of articles: for EXISTS, PostgreSQL reads all
        # of a tag's taggings (20 ms for the topics at 100,000 articles).
        # Asking for the newest published article walks the (tag, article)
        # index from the top and stops at the first one (0.3 ms).
        newest = self.published_articles().order_by("-pk").values("pk")[:1]
        return self.alias(newest_published=Subquery(newest)).filter(newest_published__isnull=False)


class PublicationType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    plural = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown as the heading of the type's page, e.g. “Special Reports”.",
    )
    description = models.TextField(blank=True)
    is_report = models.BooleanField(
        default=False,
        help_text="Reports are described to search engines as schema.org Report "
        "and may carry a report number.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in menus and filters; lower comes first."
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("publications:type", args=[self.slug])


class Series(models.Model):
    """A numbered series of publications, such as the Special Reports (SR 493)."""

    name = models.CharField(max_length=100, unique=True, help_text="E.g. “Special Reports”.")
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    prefix = models.CharField(
        "number prefix",
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Za-z]*$",
                "Letters only, starting with a capital, e.g. “SR” or “PW”.",
            )
        ],
        help_text="Goes before the number: “SR” makes “SR 493”.",
    )
    publication_type = models.ForeignKey(
        PublicationType,
        on_delete=models.PROTECT,
        related_name="series",
        help_text="The type of every publication in the series.",
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "series"
        verbose_name_plural = "series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("publications:series", args=[self.slug])

    def number(self, number):
        """The report number as printed: “SR 493”."""
        return f"{self.prefix} {number}"


class Topic(TagBase):
    description = models.TextField(blank=True)

    # Keeps taggit's natural keys (dumpdata/loaddata by name).
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"

    def get_absolute_url(self):
        return reverse("publications:topic", args=[self.slug])


class RegionQuerySet(TagQuerySet):
    def within(self, region):
        """The region (a Region or its id) and every region it contains.

        A continent contains its countries (parent), a cross-border sub-region
        such as the Sahel contains its member countries (members).
        """
        region_id = getattr(region, "pk", region)
        return self.filter(
            Q(pk=region_id) | Q(parent=region_id) | Q(sub_regions=region_id)
        ).distinct()

    def public(self):
        """A region is public if it or anything it contains has a published
        article: Africa and the Sahel are public once an article tagged Mali is."""
        used = self.model.objects.used()
        return self.filter(
            Q(pk__in=used.values("pk"))
            | Q(pk__in=used.values("parent"))
            | Q(pk__in=used.values("sub_regions"))
        )


class Region(TagBase):
    class Kind(models.TextChoices):
        REGION = "region", "Region"
        SUB_REGION = "sub-region", "Sub-region"
        COUNTRY = "country", "Country"

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.COUNTRY)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countries",
        limit_choices_to={"kind": "region"},
        help_text="For a country: the region it belongs to (Mali → Africa).",
    )
    members = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="sub_regions",
        limit_choices_to={"kind": "country"},
        help_text="For a sub-region: the countries it groups (Sahel → Mali, Niger…). "
        "A country may belong to several sub-regions.",
    )
    iso_code = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, for countries."
    )
    description = models.TextField(blank=True)

    # Keeps taggit's natural keys (dumpdata/loaddata by name).
    objects = NaturalKeyManager.from_queryset(RegionQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="country"),
                name="region_only_countries_have_parent",
            ),
        ]

    def get_absolute_url(self):
        return reverse("publications:region", args=[self.slug])
