"""The publication vocabularies: types, topics, regions and report series.

Topics and regions are two separate django-taggit tag models, so a topic can
never be used as a region or the other way round. The through models that
attach them to articles live in the articles app, which keeps this module free
of any import of articles (no import cycle; tests/test_architecture.py checks).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import ngettext
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

    def about_count(self):
        """A subquery: how many published articles the outer term's page lists."""
        return count_of(self.published_articles())

    def most_used(self, limit):
        """The limit public terms with the most published articles, each with
        article_count (what its landing page counts), most first (one query)."""
        return (
            self.public()
            .annotate(article_count=self.about_count())
            .order_by("-article_count", "name")[:limit]
        )


def count_of(queryset):
    """A subquery counting the rows of queryset (one aggregate, no GROUP BY)."""
    counted = (
        queryset.order_by()
        .annotate(all=Value(1, output_field=IntegerField()))
        .values("all")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


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

    def with_neighbours(self):
        """Each region with neighbour_ids, a list of the ids of the regions it
        shares a sub-region with: a country's sub-regions and their other
        members (Mali → the Sahel, Niger, Burkina Faso…), a sub-region's
        members. For ranking related articles (articles.models.related_weights);
        one query with the regions themselves.
        """
        outer = OuterRef("pk")
        neighbours = (
            Region.objects.filter(
                Q(sub_regions=outer) | Q(members=outer) | Q(sub_regions__members=outer)
            )
            .exclude(pk=outer)
            .order_by()
            .annotate(all=Value(1, output_field=IntegerField()))
            .values("all")
            .annotate(ids=StringAgg(Cast("pk", CharField()), Value(","), distinct=True))
            .values("ids")
        )
        return self.annotate(neighbour_list=Subquery(neighbours, output_field=CharField()))

    def about_count(self):
        """A subquery: the published articles tagged with the outer region or
        anything it contains, as Article.objects.in_region() counts them."""
        tagged = self.model._meta.get_field("tagged_articles").related_model.objects.filter(
            Q(tag=OuterRef(OuterRef("pk")))
            | Q(tag__parent=OuterRef(OuterRef("pk")))
            | Q(tag__sub_regions=OuterRef(OuterRef("pk")))
        )
        published = self.model._meta.get_field("articles").related_model.objects.published()
        return count_of(published.filter(pk__in=tagged.values("content_object")))

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

    @property
    def neighbour_ids(self):
        """The ids RegionQuerySet.with_neighbours() found (empty without it)."""
        found = getattr(self, "neighbour_list", None) or ""
        return [int(pk) for pk in found.split(",") if pk]


# The home page leads with one featured item and shows this many in all.
FEATURED_LIMIT = 4


class FeaturedQuerySet(models.QuerySet):
    def public(self):
        """The chosen items readers may see: those whose article is published."""
        articles = self.model._meta.get_field("article").related_model.objects
        return self.filter(article__in=articles.published().values("pk"))


class Featured(models.Model):
    """An article the editors put at the top of the home page.

    The first by position is the home page's lead story (large picture,
    summary and authors); the next ones are shown beside it. Only published
    articles appear; with nothing chosen the home page leads with the newest
    publications that have a photo.
    """

    # A string reference: this module imports nothing from articles.
    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="featured",
        help_text="A published article (one that is not published yet appears once it is).",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the home page; the lowest is the lead story."
    )

    objects = FeaturedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "featured item"
        verbose_name_plural = "featured items (home page)"

    def __str__(self):
        return f"{self.position}. {self.article}"

    def clean(self):
        others = Featured.objects.exclude(pk=self.pk)
        if others.count() >= FEATURED_LIMIT:
            raise ValidationError(
                ngettext(
                    "The home page features at most %(limit)d item; remove one first.",
                    "The home page features at most %(limit)d items; remove one first.",
                    FEATURED_LIMIT,
                )
                % {"limit": FEATURED_LIMIT}
            )
