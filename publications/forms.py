from django import forms
from django.db.models import Q

from articles.models import Author
from publications.models import PublicationType, Region, Topic


class PublicationFilterForm(forms.Form):
    """The filters of the all-publications list, read from the query string.

    Each field takes a slug so that every combination has a readable, stable
    address such as /publications/?topic=global-policy&year=2024.
    """

    q = forms.CharField(label="Words", required=False, max_length=200)
    type = forms.ModelChoiceField(
        PublicationType.objects.all(), to_field_name="slug", required=False, empty_label="All types"
    )
    topic = forms.ModelChoiceField(
        Topic.objects.all(), to_field_name="slug", required=False, empty_label="All topics"
    )
    region = forms.ModelChoiceField(
        Region.objects.order_by("kind", "name"),
        to_field_name="slug",
        required=False,
        empty_label="All regions",
    )
    author = forms.ModelChoiceField(
        Author.objects.all(), to_field_name="slug", required=False, empty_label="All authors"
    )
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)

    def filter(self, articles):
        data = self.cleaned_data
        if data.get("q"):
            for word in data["q"].split():
                articles = articles.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        if data.get("type"):
            articles = articles.filter(publication_type=data["type"])
        if data.get("topic"):
            articles = articles.filter(topics=data["topic"])
        if data.get("region"):
            articles = articles.in_region(data["region"])
        if data.get("author"):
            articles = articles.filter(bylines__author=data["author"])
        if data.get("year"):
            articles = articles.filter(published_at__year=data["year"])
        return articles
