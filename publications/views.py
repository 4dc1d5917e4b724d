from django.db.models import Case, Prefetch, Q, Value, When, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from articles.models import CARD_PREFETCHES, Article
from publications import metadata
from publications.feeds import feed_links
from publications.forms import PublicationFilterForm, menu_vocabularies
from publications.models import FEATURED_LIMIT, Featured, Region, Topic
from publications.scopes import SCOPES
from usip_cms import page_keys
from usip_cms.site import absolute_url
from usip_cms.text import shorten

LIST_PAGE_SIZE = 20
# Home page: "Latest Publications" cards (a multiple of 2 and 3, so the grid's
# rows are full at every width), and the topics and regions offered as entry points.
HOME_LATEST_COUNT = 6
HOME_TERM_COUNT = 8
HOME_DESCRIPTION = (
    "Analysis, reports and briefs from the Institute's experts on preventing, mitigating "
    "and resolving violent conflict around the world."
)
# Longest <title> before " · site name", and meta description (search engines cut the rest).
TITLE_LENGTH = 65
DESCRIPTION_LENGTH = 160


def page_title(name, page_number=1):
    """A page's <title> before the site's name: “Youth – page 2”, at most TITLE_LENGTH."""
    suffix = f" – page {page_number}" if page_number > 1 else ""
    return shorten(name, TITLE_LENGTH - len(suffix)) + suffix


class PublishedArticlesMixin:
    """A paginated list of published articles as cards, newest first.

    Every list page (all publications and each landing page) is this mixin
    with a narrower queryset; the published() rule is applied here, once.
    """

    paginate_by = LIST_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return self.narrow(Article.objects.published()).newest_first().card_rows()

    def narrow(self, articles):
        return articles

    # What the page is called (its <title> and sharing title, before the page number).
    title = ""

    def is_indexable(self):
        """Whether search engines may index this address (filtered lists may not)."""
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_title"] = page_title(self.get_title(), page.number)
        context["page_range"] = list(
            page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        )
        # Page 2 and later are pages of their own, canonical to themselves and
        # indexable; a filtered list is noindex and names no canonical at all
        # (pointing elsewhere would contradict the noindex).
        context["canonical_url"] = None
        if self.is_indexable():
            query = f"?page={page.number}" if page.number > 1 else ""
            context["canonical_url"] = absolute_url(self.request.path + query)
        context["description"] = shorten(self.get_description(), DESCRIPTION_LENGTH)
        context["structured_data"] = self.structured_data(context)
        return context

    def get_title(self):
        return self.title

    description = ""

    def get_description(self):
        return self.description

    def structured_data(self, context):
        return metadata.collection_page(
            context["page_title"],
            context["description"],
            context["canonical_url"],
            context["articles"],
        )


class HomeView(TemplateView):
    """The home page: the editors' featured stories, the latest publications,
    the most-used topics and regions, the feeds.

    The lead story and the ones beside it are the published Featured items in
    their order, then (with fewer than FEATURED_LIMIT chosen) the newest
    publications with a photo, then the newest of all. Seven queries whatever
    the archive: featured, newest with a photo, newest; the cards' bylines and
    topics; the topics and the regions with their counts.
    """

    template_name = "publications/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The editors' choice, the newest, and the counts of the public terms.
        page_keys.shows(page_keys.NEWEST, page_keys.PUBLIC, page_keys.all_of(Featured))
        published = Article.objects.published().card_rows()
        with page_keys.choosing():  # candidates: only the cards shown are keys
            chosen = list(published.featured()[:FEATURED_LIMIT])
            with_photo = list(published.with_photo().newest_first()[:FEATURED_LIMIT])
            newest = list(published.newest_first()[: HOME_LATEST_COUNT + FEATURED_LIMIT])
        stories = []
        for article in [*chosen, *with_photo, *newest]:
            if article not in stories and len(stories) < FEATURED_LIMIT:
                stories.append(article)
        latest = [a for a in newest if a not in stories][:HOME_LATEST_COUNT]
        page_keys.shows(*map(page_keys.key, [*stories, *latest]))
        prefetch_related_objects([*stories, *latest], *CARD_PREFETCHES)
        context["lead"] = stories[0] if stories else None
        context["picks"] = stories[1:]
        context["latest"] = latest
        context["topics"] = Topic.objects.most_used(HOME_TERM_COUNT)
        context["regions"] = Region.objects.exclude(kind=Region.Kind.COUNTRY).most_used(
            HOME_TERM_COUNT
        )
        context["description"] = HOME_DESCRIPTION
        context["structured_data"] = metadata.website()
        return context


class PublicationListView(PublishedArticlesMixin, ListView):
    """“View All Publications”: filters by words, type, topic, region, author, year."""

    template_name = "publications/publication_list.html"
    title = "All Publications"
    description = (
        "Every analysis, report, brief and testimony from our experts on preventing and "
        "resolving violent conflict, newest first: search and filter by topic, region or year."
    )

    def get(self, request, *args, **kwargs):
        self.form = PublicationFilterForm(request.GET or None, vocabularies=menu_vocabularies())
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

    def is_indexable(self):
        # Any filter or search, not an unknown parameter (?utm_source=…).
        return not (self.form.is_bound and any(self.form.cleaned_data.values()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["form"] = self.form
        context["filter_query"] = query.urlencode()
        context["is_filtered"] = not self.is_indexable()
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

    def get_title(self):
        return getattr(self.object, "plural", "") or str(self.object)

    def get_description(self):
        # An author's page describes the person; a term's, as its feed does.
        return getattr(self.object, "author_line", "") or self.scope.feed_description(self.object)

    def structured_data(self, context):
        if self.scope.name == "author":
            return metadata.profile_page(
                self.object, context["canonical_url"], context["description"]
            )
        return super().structured_data(context)

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
