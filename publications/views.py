from django.db.models import Case, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from articles.models import Article, Author
from publications.forms import PublicationFilterForm, load_vocabularies
from publications.models import PublicationType, Region, Topic

LIST_PAGE_SIZE = 20


class PublishedArticlesMixin:
    """A paginated list of published articles as cards, newest first.

    Every list page (all publications and each landing page) is this mixin
    with a narrower queryset; the published() rule is applied here, once.
    """

    paginate_by = LIST_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return self.narrow(Article.objects.published()).newest_first().for_cards()

    def narrow(self, articles):
        return articles


class HomeView(TemplateView):
    template_name = "publications/home.html"


class PublicationListView(PublishedArticlesMixin, ListView):
    """“View All Publications”: filters by words, type, topic, region, author, year."""

    template_name = "publications/publication_list.html"

    def get(self, request, *args, **kwargs):
        self.form = PublicationFilterForm(request.GET or None, vocabularies=load_vocabularies())
        if self.form.is_bound and not self.form.is_valid():
            # A filter naming something that does not exist is a broken link.
            raise Http404("Unknown filter: " + ", ".join(self.form.errors))
        return super().get(request, *args, **kwargs)

    def narrow(self, articles):
        if self.form.is_bound:
            return self.form.filter(articles)
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["form"] = self.form
        context["filter_query"] = query.urlencode()
        context["is_filtered"] = any(v for k, v in self.request.GET.items() if k != "page")
        return context


class LandingMixin(PublishedArticlesMixin):
    """A vocabulary term's page: the term, then its publications."""

    model = None
    template_name = "publications/landing.html"

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_object_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_object_queryset(self):
        return self.model.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["kind"] = self.model._meta.verbose_name
        return context


class TopicView(LandingMixin, ListView):
    model = Topic

    def narrow(self, articles):
        return articles.filter(topics=self.object)


class RegionView(LandingMixin, ListView):
    model = Region
    template_name = "publications/region.html"

    def get_object_queryset(self):
        return Region.objects.select_related("parent")

    def narrow(self, articles):
        return articles.in_region(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A region lists its countries, a sub-region its members, a country
        # the sub-regions it belongs to: all three come from one query.
        region = self.object
        neighbours = (
            Region.objects.filter(Q(parent=region) | Q(sub_regions=region) | Q(members=region))
            .annotate(
                relation=Case(
                    When(parent=region, then=Value("country")),
                    When(sub_regions=region, then=Value("country")),
                    default=Value("sub-region"),
                )
            )
            .order_by("name")
            .distinct()
        )
        context["countries"] = [r for r in neighbours if r.relation == "country"]
        context["sub_regions"] = [r for r in neighbours if r.relation == "sub-region"]
        return context


class TypeView(LandingMixin, ListView):
    model = PublicationType

    def narrow(self, articles):
        return articles.filter(publication_type=self.object)


class AuthorView(LandingMixin, ListView):
    model = Author
    template_name = "publications/author.html"

    def narrow(self, articles):
        return articles.filter(bylines__author=self.object)


class TopicIndexView(ListView):
    template_name = "publications/topic_index.html"
    queryset = Topic.objects.all()
    context_object_name = "topics"


class RegionIndexView(ListView):
    template_name = "publications/region_index.html"
    queryset = Region.objects.filter(kind=Region.Kind.REGION).prefetch_related("countries")
    context_object_name = "regions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sub_regions"] = Region.objects.filter(
            kind=Region.Kind.SUB_REGION
        ).prefetch_related("members")
        return context
