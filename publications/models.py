"""The publication vocabularies: types, topics and regions.

Topics and regions are two separate django-taggit tag models, so a topic can
never be used as a region or the other way round. The through models that
attach them to articles live in the articles app, which keeps this module free
of any import of articles (no import cycle; tests/test_architecture.py checks).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
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
        relation = self.model._meta.get_field("articles")
        published = relation.related_model.objects.published()
        # EXISTS: the database stops at the first published article of each term.
        return self.filter(Exists(published.filter(**{relation.field.name: OuterRef("pk")})))

    def public(self):
        """The terms readers may see: menus, indexes, landing pages, feeds, sitemaps."""
        return self.used()


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


class Topic(TagBase):
    description = models.TextField(blank=True)

    # Keeps taggit's natural keys (dumpdata/loaddata by name).
    objects = NaturalKeyManager.from_queryset(TermQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"

    def get_absolute_url(self):
        return reverse("publications:topic", args=[self.slug])


class RegionQuerySet(TermQuerySet):
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
