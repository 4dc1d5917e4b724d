from collections import namedtuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Cast, ExtractYear

from articles.models import Article, Author
from articles.search import FACETS, clean_query, newest_matches
from publications.models import Region
from publications.scopes import SCOPES
from usip_cms import page_keys

Term = namedtuple("Term", "pk slug name rank")
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z"
REGION_GROUPS = ("Regions", "Sub-regions", "Countries")  # by rank


def load_vocabularies():
    """Every public type, topic, region and series, and the years that have
    publications, as {"type": [term…], …, "year": [2024, 2023…]}, in one query.

    The filter menus need all four lists; a UNION keeps the page at one
    query for them instead of four.
    """

    def terms(vocabulary, rank):
        return (
            SCOPES[vocabulary]
            .model.objects.public()
            .order_by()
            .annotate(vocabulary=Value(vocabulary, output_field=CharField()), rank=rank)
            .values_list("vocabulary", "pk", "slug", "name", "rank")
        )

    region_rank = Case(
        When(kind=Region.Kind.REGION, then=Value(0)),
        When(kind=Region.Kind.SUB_REGION, then=Value(1)),
        default=Value(2),
    )
    # Years in the site's time zone, as the year filter reads them.
    year = ExtractYear("published_at")
    years = (
        Article.objects.published()
        .order_by()
        .annotate(
            vocabulary=Value("year", output_field=CharField()),
            year=year,
            label=Cast(year, output_field=CharField()),
            rank=Value(0, output_field=IntegerField()),
        )
        .values_list("vocabulary", "year", "label", "label", "rank")
        .distinct()
    )
    rows = (
        terms("type", F("position"))
        .union(
            terms("topic", Value(0)),
            terms("region", region_rank),
            terms("series", Value(0)),
            years,
            all=True,
        )
        .order_by()
    )
    vocabularies = {"type": [], "topic": [], "region": [], "series": [], "year": []}
    for vocabulary, pk, slug, name, rank in sorted(rows, key=lambda row: (row[4], row[3])):
        if vocabulary == "year":
            vocabularies["year"].append(pk)
        else:
            vocabularies[vocabulary].append(Term(pk, slug, name, rank))
    vocabularies["year"].sort(reverse=True)
    return vocabularies


# What the menus show: which terms are public (and the years), and their names.
MENU_KEYS = (
    page_keys.PUBLIC,
    *(page_keys.all_of(scope.model) for name, scope in SCOPES.items() if name != "author"),
)


def menu_vocabularies():
    """load_vocabularies(), made once per change to what the menus show
    (kept by the shell's fragment cache under MENU_KEYS)."""
    return page_keys.kept("menus", MENU_KEYS, load_vocabularies)


class QueryField(forms.CharField):
    """A reader's words: a query past articles.search.QUERY_LIMIT is cut, not refused."""

    def to_python(self, value):
        return clean_query(super().to_python(value))


class PublicationFilterForm(forms.Form):
    """The filters of the all-publications list, read from the query string.

    Each field takes a slug so that every combination has a readable, stable
    address such as /publications/?topic=global-policy&year=2024.
    """

    q = QueryField(label="Words", required=False)
    type = forms.ChoiceField(required=False)
    topic = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    series = forms.ChoiceField(required=False)
    author = forms.SlugField(required=False)
    # The years that have publications, newest first (load_vocabularies).
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    # A BCP 47 language tag: fr gives French (fr, fr-CA…); see in_language().
    language = forms.RegexField(regex=LANGUAGE_PATTERN, required=False, max_length=35)

    def __init__(self, *args, vocabularies, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.terms = {
            name: {t.slug: t for t in terms}
            for name, terms in vocabularies.items()
            if name in SCOPES
        }
        self.fields["type"].choices = [("", "All types")] + [
            (t.slug, t.name) for t in vocabularies["type"]
        ]
        self.fields["topic"].choices = [("", "All topics")] + [
            (t.slug, t.name) for t in vocabularies["topic"]
        ]
        groups = [
            (group, [(t.slug, t.name) for t in vocabularies["region"] if t.rank == rank])
            for rank, group in enumerate(REGION_GROUPS)
        ]
        self.fields["region"].choices = [("", "All regions")] + [g for g in groups if g[1]]
        self.fields["series"].choices = [("", "All series")] + [
            (t.slug, t.name) for t in vocabularies["series"]
        ]
        self.fields["year"].choices = [("", "All years")] + [
            (year, str(year)) for year in vocabularies["year"]
        ]

    def clean_author(self):
        # Someone with no published byline yet is treated like no one, so the
        # answer does not tell whether the person exists.
        slug = self.cleaned_data["author"]
        if not slug:
            return None
        try:
            return Author.objects.public().get(slug=slug)
        except Author.DoesNotExist:
            raise ValidationError("No such author.") from None

    def clean(self):
        # A chosen slug (one of the menus', so a public term) becomes its term,
        # made from the menu's row: no query.
        data = super().clean()
        for vocabulary, terms in self.terms.items():
            if data.get(vocabulary):
                term = terms[data[vocabulary]]
                data[vocabulary] = SCOPES[vocabulary].model(
                    pk=term.pk, slug=term.slug, name=term.name
                )
        return data

    def filter(self, articles):
        data = self.cleaned_data
        words = data.get("q")
        # With words, the topic and region are looked up with them in the
        # search index (articles.search.FACETS); without, through the tags.
        indexed = [data[scope] for scope in FACETS if words and data.get(scope)]
        for scope in SCOPES:  # type, topic, region, author, series: each is a term or None
            if data.get(scope) and data[scope] not in indexed:
                articles = articles.about(data[scope])
        if data.get("year"):
            articles = articles.filter(published_at__year=data["year"])
        if data.get("language"):
            articles = articles.in_language(data["language"])
        if words:
            # Last: the other filters narrow the matches before the words' pool is cut.
            articles = self.match_words(articles, words, indexed)
        return articles

    def match_words(self, articles, query, about):
        # Listed newest first: the newest matches, bounded (articles.search.POOL).
        return newest_matches(articles, query, about)


class SearchForm(PublicationFilterForm):
    """The search page's words and facets: the list's filters, plus an order."""

    sort = forms.ChoiceField(
        required=False, choices=[("", "Relevance"), ("newest", "Newest first")]
    )

    def match_words(self, articles, query, about):
        # Ranked by relevance; the search page cuts its own pool (ranked_ids).
        return articles.search(query, about)
