from django.db.models import Case, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from articles.models import Article
from publications.feeds import feed_links
from publications.forms import PublicationFilterForm, load_vocabularies
from publications.models import Region, Topic
from publications.scopes import SCOPES
from usip_cms import page_keys

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
        # All publications in order, the filter menus, and what each filter reads.
        page_keys.shows(page_keys.NEWEST, page_keys.PUBLIC)
        if self.form.is_bound:
            data = self.form.cleaned_data
            page_keys.shows(*(page_keys.about(t) for t in map(data.get, SCOPES) if t))
            if data.get("q"):
                page_keys.shows(page_keys.all_of(Article))  # any article's words
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


class LandingView(PublishedArticlesMixin, ListView):
    """A public term's page (topic, region, type or author, as scope says):
    the term, then its publications. A term no published article uses yet
    has no page (404), like one that does not exist."""

    scope = None  # one of publications.scopes.SCOPES, given by publications.urls
    template_name = "publications/landing.html"

    def get(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_object_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_object_queryset(self):
        return self.scope.model.objects.public()

    def get_template_names(self):
        # publications/region.html and author.html add to landing.html.
        return [f"publications/{self.scope.name}.html", self.template_name]

    def narrow(self, articles):
        page_keys.shows(page_keys.about(self.object), page_keys.key(self.object))
        return articles.about(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["kind"] = self.scope.label
        context["feeds"] = feed_links(self.scope, self.object)
        return context


class RegionView(LandingView):
    def get_object_queryset(self):
        return super().get_object_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A region lists its countries, a sub-region its members, a country
        # the sub-regions it belongs to (the public ones): all three come from
        # one query.
        region = self.object
        neighbours = (
            Region.objects.public()
            .filter(Q(parent=region) | Q(sub_regions=region) | Q(members=region))
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


def landing_view(scope):
    """The view of a scope's landing pages."""
    return (RegionView if scope.model is Region else LandingView).as_view(scope=scope)


class TopicIndexView(ListView):
    """/topics/: every public topic."""

    template_name = "publications/topic_index.html"
    context_object_name = "topics"

    def get_queryset(self):
        page_keys.shows(page_keys.PUBLIC)
        return Topic.objects.public()


class RegionIndexView(ListView):
    """/regions/: the public regions with their public countries, then the
    public sub-regions with their public members."""

    template_name = "publications/region_index.html"
    context_object_name = "regions"

    def get_queryset(self):
        page_keys.shows(page_keys.PUBLIC)
        return (
            Region.objects.public()
            .filter(kind=Region.Kind.REGION)
            .prefetch_related(Prefetch("countries", queryset=Region.objects.public()))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sub_regions"] = (
            Region.objects.public()
            .filter(kind=Region.Kind.SUB_REGION)
            .prefetch_related(Prefetch("members", queryset=Region.objects.public()))
        )
        return context
