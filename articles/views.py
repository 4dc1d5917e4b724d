from django.db.models import prefetch_related_objects
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.generic import DetailView

from articles import sharing
from articles.models import CARD_PREFETCHES, LATEST_COUNT, Article

RELATED_COUNT = 3


class Gone(Exception):
    """The article was public and is in the trash now (articles.trash)."""


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
                return articles.not_trashed().get(slug=slug)
            except Article.DoesNotExist:
                pass
        if Article.objects.in_trash().filter(slug=slug, status=Article.Status.PUBLISHED).exists():
            raise Gone
        raise Http404("No publication at this address.")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Gone:
            # Said without the title: what was withdrawn is not repeated.
            return TemplateResponse(request, "410.html", status=410)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = self.is_preview
        article = self.object
        # The article's own tags first: the page shows them and related_to()
        # ranks by them.
        prefetch_related_objects([article], "topics", "regions")
        published = Article.objects.published().select_related("publication_type").defer("body")
        context["related"] = list(published.related_to(article, RELATED_COUNT))
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


class SharedArticleView(ArticleDetailView):
    """An unpublished article through a share link (articles.sharing), for outside reviewers.

    Marked as a draft, noindex, and private, no-store: neither the page
    cache nor any other cache keeps it (caching.can_store leaves out a
    response with its own Cache-Control), and no referrer carries the
    address on.
    """

    is_preview = True

    def get(self, request, *args, **kwargs):
        link = sharing.find(self.kwargs["token"])
        if link is None:
            raise Http404("No such link.")
        if reason := sharing.ended(link):
            context = {"gone_heading": "This link has ended", "gone_text": reason}
            return keep_private(TemplateResponse(request, "410.html", context, status=410))
        sharing.opened(link)
        self.link = link
        return keep_private(super().get(request, *args, **kwargs))

    def get_object(self, queryset=None):
        return Article.objects.select_related("publication_type", "lead_photo").get(
            pk=self.link.article_id
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "shared": True}


def keep_private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
