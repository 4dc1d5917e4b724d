from collections import namedtuple

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Q, Value, When

from articles.models import Author
from publications.models import PublicationType, Region, Topic

Term = namedtuple("Term", "pk slug name rank")
REGION_GROUPS = ("Regions", "Sub-regions", "Countries")  # by rank


def load_vocabularies():
    """Every type, topic and region as {"type": [Term…], …}, in one query.

    The filter menus need all three lists; a UNION keeps the page at one
    query for them instead of three.
    """

    def terms(model, vocabulary, rank):
        return (
            model.objects.order_by()
            .annotate(vocabulary=Value(vocabulary, output_field=CharField()), rank=rank)
            .values_list("vocabulary", "pk", "slug", "name", "rank")
        )

    region_rank = Case(
        When(kind=Region.Kind.REGION, then=Value(0)),
        When(kind=Region.Kind.SUB_REGION, then=Value(1)),
        default=Value(2),
    )
    rows = (
        terms(PublicationType, "type", F("position"))
        .union(terms(Topic, "topic", Value(0)), terms(Region, "region", region_rank), all=True)
        .order_by()
    )
    vocabularies = {"type": [], "topic": [], "region": []}
    for vocabulary, pk, slug, name, rank in sorted(rows, key=lambda row: (row[4], row[3])):
        vocabularies[vocabulary].append(Term(pk, slug, name, rank))
    return vocabularies


class PublicationFilterForm(forms.Form):
    """The filters of the all-publications list, read from the query string.

    Each field takes a slug so that every combination has a readable, stable
    address such as /publications/?topic=global-policy&year=2024.
    """

    q = forms.CharField(label="Words", required=False, max_length=200)
    type = forms.ChoiceField(required=False)
    topic = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    author = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)

    def __init__(self, *args, vocabularies, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.terms = {name: {t.slug: t for t in terms} for name, terms in vocabularies.items()}
        self.fields["type"].choices = [("", "All types")] + [
            (t.slug, t.name) for t in vocabularies["type"]
        ]
        self.fields["topic"].choices = [("", "All topics")] + [
            (t.slug, t.name) for t in vocabularies["topic"]
        ]
        self.fields["region"].choices = [("", "All regions")] + [
            (group, [(t.slug, t.name) for t in vocabularies["region"] if t.rank == rank])
            for rank, group in enumerate(REGION_GROUPS)
        ]

    def clean_author(self):
        slug = self.cleaned_data["author"]
        if slug and not Author.objects.filter(slug=slug).exists():
            raise ValidationError("No such author.")
        return slug

    def filter(self, articles):
        data = self.cleaned_data
        for word in data.get("q", "").split():
            articles = articles.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        if data.get("type"):
            articles = articles.filter(publication_type=self.terms["type"][data["type"]].pk)
        if data.get("topic"):
            articles = articles.filter(tagged_topics__tag=self.terms["topic"][data["topic"]].pk)
        if data.get("region"):
            articles = articles.in_region(self.terms["region"][data["region"]].pk)
        if data.get("author"):
            articles = articles.filter(bylines__author__slug=data["author"])
        if data.get("year"):
            articles = articles.filter(published_at__year=data["year"])
        return articles
