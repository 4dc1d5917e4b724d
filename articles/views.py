from django.db.models import prefetch_related_objects
from django.http import Http404
from django.views.generic import DetailView

from articles.models import CARD_PREFETCHES, LATEST_COUNT, Article
from usip_cms import cache_keys

RELATED_COUNT = 3


class ArticleDetailView(DetailView):
    """The policy brief page.

    Readers get only published articles. Staff may open any article at its
    address to preview it; the page is then marked as a preview and kept out
    of search engines and shared caches.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    # Set by get_object() for staff viewing unpublished work, or up front by
    # the admin's preview of an unsaved form.
    is_preview = False

    def get_object(self, queryset=None):
        # Bylines and topics are fetched below together with the cards'.
        articles = Article.objects.select_related("publication_type", "lead_photo")
        slug = self.kwargs["slug"]
        try:
            return articles.published().get(slug=slug)
        except Article.DoesNotExist:
            pass
        if self.request.user.has_perm("articles.view_article"):
            try:
                self.is_preview = True
                return articles.get(slug=slug)
            except Article.DoesNotExist:
                pass
        raise Http404("No publication at this address.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = self.is_preview
        article = self.object
        # The article's own tags first: the page shows them and related_to()
        # ranks by them.
        prefetch_related_objects([article], "topics", "regions")
        published = Article.objects.published().select_related("publication_type").defer("body")
        with cache_keys.choosing():  # related_to() weighs more than it keeps
            context["related"] = list(published.related_to(article, RELATED_COUNT))
        # The related and latest cards: the newest publications.
        cache_keys.shows(cache_keys.NEWEST, *map(cache_keys.key, context["related"]))
        context["latest"] = list(published.newest_first().exclude(pk=article.pk)[:LATEST_COUNT])
        # One query each for the bylines and the topics of every card shown.
        cards = [*context["related"], *context["latest"]]
        prefetch_related_objects([article, *cards], CARD_PREFETCHES[0])
        prefetch_related_objects(cards, *CARD_PREFETCHES[1:])
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Cache-Control"] = "private, no-store"
        return response
