"""The search page, /search/?q=…: ranked results, facets, suggestions.

The matching is Article.objects.published().search() (articles.search); this
module narrows it by the facets, pages it and says what the reader can do
next. Its queries are fixed whatever the hits (tests/test_query_budget.py),
and so is its work: it ranks, counts, facets and pages only the newest
articles.search.POOL matches, and makes snippets for the page's results only.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from articles.models import Article
from articles.search import (
    FEW_HITS,
    POOL,
    among,
    facet_counts,
    people_named,
    ranked_ids,
    results,
    suggestion,
)
from publications.forms import REGION_GROUPS, SearchForm, menu_vocabularies
from publications.scopes import SCOPES

SEARCH_PAGE_SIZE = 20
FACETS = {"type": "Type", "topic": "Topic", "region": "Region", "year": "Year"}


class SearchView(TemplateView):
    template_name = "publications/search.html"

    def get(self, request, *args, **kwargs):
        self.vocabularies = menu_vocabularies()
        self.form = SearchForm(request.GET or None, vocabularies=self.vocabularies)
        if self.form.is_bound and not self.form.is_valid():
            # A facet naming something that does not exist is a broken link.
            raise Http404("Unknown filter: " + ", ".join(self.form.errors))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.form.cleaned_data if self.form.is_bound else {}
        query = data.get("q", "")
        # The facets and order chosen, kept when the words change.
        kept = [(k, self.request.GET[k]) for k in (*FACETS, "sort") if self.request.GET.get(k)]
        context.update(form=self.form, query=query, kept=kept)
        if not query:
            return context
        published = Article.objects.published()
        matching = self.form.filter(published)
        # The ids of the ranked pool, then the page's cards and snippets, and
        # the facets over the pool: bounded work for any number of matches.
        ids, more = ranked_ids(matching, query, newest=data.get("sort") == "newest")
        page = Paginator(ids, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = results(published, page.object_list, query)
        context.update(
            page_obj=page,
            articles=page.object_list,
            more=more,
            pool=POOL,
            facets=self.facets(facet_counts(among(published, ids)), data),
            people=list(people_named(query)),
            terms=self.terms_named(query),
            links=self.links(data),
        )
        if page.paginator.count < FEW_HITS:
            context["did_you_mean"] = suggestion(published, query)
        return context

    def current(self, **changes):
        """The current address's query string with changes (None removes a key)."""
        params = {k: v for k, v in self.request.GET.items() if k != "page" and v}
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return urlencode(params)

    def links(self, data):
        return {
            "relevance": self.current(sort=None),
            "newest": self.current(sort="newest"),
            "paging": self.current(),
        }

    def facets(self, counts, data):
        """[(vocabulary, label, [(group, [(name, count, link, chosen)…])…])…]: the
        terms with hits, each a link narrowing the search (or, once chosen,
        widening it again)."""
        facets = []
        for vocabulary in ("type", "topic", "region"):
            chosen = data.get(vocabulary)
            groups = {}
            for term in self.vocabularies[vocabulary]:
                n = counts[vocabulary].get(term.pk)
                if not n:
                    continue
                is_chosen = bool(chosen) and chosen.pk == term.pk
                link = self.current(**{vocabulary: None if is_chosen else term.slug})
                group = REGION_GROUPS[term.rank] if vocabulary == "region" else ""
                groups.setdefault(group, []).append((term.name, n, link, is_chosen))
            facets.append((vocabulary, FACETS[vocabulary], list(groups.items())))
        years = [
            (str(year), n, self.current(year=None if year == data.get("year") else year),
             year == data.get("year"))
            for year, n in sorted(counts["year"].items(), reverse=True)
        ]  # fmt: skip
        facets.append(("year", FACETS["year"], [("", years)] if years else []))
        return facets

    def terms_named(self, query):
        """The public topics, regions and types named by the whole query (no query)."""
        wanted = query.casefold()
        return [
            {
                "kind": SCOPES[vocabulary].label,
                "name": term.name,
                "url": reverse(f"publications:{vocabulary}", args=[term.slug]),
            }
            for vocabulary, terms in self.vocabularies.items()
            if vocabulary in SCOPES  # the years are numbers, not terms
            for term in terms
            if term.name.casefold() == wanted
        ]
