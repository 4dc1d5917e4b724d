from functools import wraps

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from articles import citations, page_parts, sharing
from articles.models import (
    LATEST_COUNT,
    Article,
    ArticleAuthor,
    Edition,
    best_related,
    translation_group,
    translations_among,
)
from usip_cms import page_keys

RELATED_COUNT = 3
# A versioned address never changes what it serves: keep it a year.
IMMUTABLE = "public, max-age=31536000, immutable"
PREVIEW = "private, no-store"


def find_article(request, slug, articles):
    """(article, is_preview): the published article at slug, or for staff any article.

    Readers get only published articles (404 otherwise, Gone for one that
    was public and is in the trash). Staff with view_article may open
    unpublished ones, which are then a preview.
    """
    try:
        return articles.published().get(slug=slug), False
    except Article.DoesNotExist:
        pass
    if request.user.has_perm("articles.view_article"):
        try:
            return articles.not_trashed().get(slug=slug), True
        except Article.DoesNotExist:
            pass
    if Article.objects.in_trash().filter(slug=slug, status=Article.Status.PUBLISHED).exists():
        raise Gone
    raise Http404("No publication at this address.")


def mark_preview(response):
    """Keep a staff preview out of search engines and shared caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = PREVIEW
    return response


class Gone(Exception):
    """The article was public and is in the trash now (articles.trash)."""


def gone_page(request):
    # Said without the title: what was withdrawn is not repeated.
    return TemplateResponse(request, "410.html", status=410)


def answers_gone(view):
    """A function view whose article may be in the trash: 410 then, not an error."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Gone:
            return gone_page(request)

    return inner


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
        # Its bylines, tags and editions: with its own parts (articles/page_parts.py).
        articles = Article.objects.select_related("publication_type", "lead_photo", "series")
        article, is_preview = find_article(self.request, self.kwargs["slug"], articles)
        self.is_preview = self.is_preview or is_preview
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Gone:
            return gone_page(request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = self.is_preview
        article = self.object
        # Its header, body, metadata and what ranks its related articles:
        # kept with the article, unless it is a preview (articles/page_parts.py).
        # Their HTML is template output (SafeString, which the cache keeps as it is).
        context["parts"] = parts = page_parts.own_parts(article, keep=not self.is_preview)
        published = Article.objects.published().card_rows()
        newest = published.newest_first().exclude(pk=article.pk)
        with page_keys.choosing():  # the ranking weighs more candidates than it keeps
            score, latest = published.related_and_newest(
                article, RELATED_COUNT, parts["weights"], LATEST_COUNT
            )
            # In one query, by id (an index lookup whatever the archive's size):
            # the related candidates, the latest publications, and the
            # published members of its translation group.
            by_id = Q(pk__in=[*score, *latest]) | translation_group(article)
            candidates = list(newest.filter(by_id))
        context["related"] = best_related(candidates, score, RELATED_COUNT)
        # The newest of the published are all among the candidates, and newer
        # than any other of them.
        context["latest"] = candidates[:LATEST_COUNT]
        # "Also available in", and the hreflang links.
        context["translations"] = translations_among(candidates, article)
        # The related and latest cards, the translations' links: the newest publications.
        shown = context["related"] + context["latest"] + context["translations"]
        page_keys.shows(page_keys.NEWEST, *map(page_keys.key, shown))
        # The cards' bylines and topics are fetched by the cards tag, one query
        # each for the cards the fragment cache does not hold (usip_cms/fragments.py).
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Rendered now, in the article's language: its dates (and Django's
        # own strings) follow it. The admin and other pages stay in English.
        with translation.override(self.object.language):
            response.render()
        return mark_preview(response) if context["is_preview"] else response


@require_safe
@answers_gone
def edition_file(request, slug, pk, digest):
    """An edition's PDF, inline, at an address that changes when the file does.

    An address with an older digest (a replaced file) is sent on to the
    current one, so links and citations made before the change still work.
    """
    article, is_preview = find_article(request, slug, Article.objects.all())
    edition = get_object_or_404(Edition.objects.filter(article=article), pk=pk)
    edition.article = article
    if digest != edition.digest:
        return redirect(edition.get_absolute_url())
    try:
        pdf = edition.file.open("rb")
    except FileNotFoundError:
        raise Http404("This PDF is missing from storage.") from None
    response = FileResponse(
        pdf, content_type="application/pdf", filename=f"{edition.file_slug}.pdf"
    )
    # FileResponse writes `inline; filename="…"`. The type is never guessed:
    # the file was checked as a PDF when it was uploaded.
    response["X-Content-Type-Options"] = "nosniff"
    if is_preview:
        return mark_preview(response)
    response["Cache-Control"] = IMMUTABLE
    return response


# extension: (MIME type, writer)
CITATION_FORMATS = {
    "bib": ("application/x-bibtex", citations.bibtex),
    "ris": ("application/x-research-info-systems", citations.ris),
    "json": ("application/vnd.citationstyles.csl+json", citations.csl_json),
}


@require_safe
@answers_gone
def citation(request, slug, extension):
    """The article's citation as a BibTeX, RIS or CSL-JSON download (never HTML)."""
    if extension not in CITATION_FORMATS:
        raise Http404("Citations come as .bib, .ris or .json.")
    articles = Article.objects.select_related("publication_type", "series").prefetch_related(
        Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
        "topics",
        Prefetch("editions", queryset=Edition.objects.filter(kind=Edition.Kind.FULL)),
    )
    article, is_preview = find_article(request, slug, articles)
    mime_type, write = CITATION_FORMATS[extension]
    response = HttpResponse(write(article), content_type=f"{mime_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{article.slug}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return mark_preview(response) if is_preview else response


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
        return Article.objects.select_related("publication_type", "lead_photo", "series").get(
            pk=self.link.article_id
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "shared": True}


def keep_private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
