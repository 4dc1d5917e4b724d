"""The read-only JSON API at /api/v1/: published content for other sites and apps.

Built on django-ninja: the OpenAPI 3 schema (/api/v1/openapi.json) is made
from the response schemas and parameters below, so the documentation
(/api/v1/docs, Swagger UI served from our own static files) cannot drift
from the code; tests/test_api_schema.py has schemathesis check the running
API against it.

Every article comes through Article.objects.published(), every term through
its model's objects.public(): the API shows exactly what the pages show. The
list filters are the list page's own form (PublicationFilterForm), so a
filter means the same on /publications/ and here.

Responses are public pages like any other (namespace "api" in
usip_cms/caching.py): cached, dropped on any change, with an ETag for 304s.
Any origin may read them (CorsMiddleware, no credentials). Errors are JSON:
{"status": 404, "message": "…"}, plus "field" when a parameter is at fault:
400 for an unknown parameter or a malformed value (page_size over the cap),
404 for a well-formed filter that names nothing public (topic=no-such-topic).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import set_response_etag
from django.utils.http import http_date
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from articles.citations import csl_item
from articles.models import CARD_PREFETCHES, Article, Author
from publications.forms import LANGUAGE_PATTERN, PublicationFilterForm, menu_vocabularies
from publications.models import PublicationType, Region, Series, Topic
from usip_cms.site import absolute_url

API_PREFIX = "/api/"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Preflight answers are kept a day by the browser.
CORS_MAX_AGE = 86400


class ApiError(Exception):
    """An answer other than 200, sent as {"status", "message"[, "field"]}."""

    def __init__(self, status, message, field=None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


# --- Shapes (the schema) -------------------------------------------------------


class Error(Schema):
    status: int
    message: str
    field: str | None = None


class Term(Schema):
    slug: str
    name: str
    url: str


class TopicOut(Term):
    description: str
    publications: str


class RegionOut(Term):
    kind: str
    iso_code: str
    description: str
    parent: str | None
    members: list[str]
    publications: str


class TypeOut(Term):
    plural: str
    description: str
    is_report: bool
    publications: str


class SeriesOut(Term):
    prefix: str
    description: str
    type: str
    publications: str


class Image(Schema):
    width: int
    height: int
    webp: str
    jpeg: str


class Byline(Term):
    role: str
    author_line: str


class AuthorOut(Byline):
    api_url: str
    bio: str
    portrait: list[Image]
    publications: str


class AuthorPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[AuthorOut]


class Photo(Schema):
    alt: str
    is_decorative: bool
    caption: str
    credit: str
    width: int | None
    height: int | None
    original: str
    renditions: list[Image]


class SeriesNumber(Schema):
    slug: str
    name: str
    number: int
    label: str


class EditionOut(Schema):
    kind: str
    language: str
    title: str
    url: str
    pages: int
    size: int


class Translation(Schema):
    slug: str
    title: str
    language: str
    url: str
    api_url: str


class PublicationSummary(Schema):
    slug: str
    title: str
    language: str
    summary: str
    url: str
    api_url: str
    type: Term
    authors: list[Byline]
    topics: list[Term]
    series: SeriesNumber | None
    published_at: datetime
    updated_at: datetime


class PublicationDetail(PublicationSummary):
    body: str
    word_count: int
    reading_minutes: int
    regions: list[Term]
    lead_photo: Photo | None
    key_takeaways: list[str]
    editions: list[EditionOut]
    citation: dict[str, Any]
    translation_of: str | None
    translations: list[Translation]


class PublicationPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[PublicationSummary]


ERRORS = {400: Error, 404: Error}

# --- The API -------------------------------------------------------------------


class PublicApi(NinjaAPI):
    def create_response(self, request, data, *args, **kwargs):
        # An ETag on every answer, so a client (or a cache) that has it gets a
        # 304 from ConditionalGetMiddleware; the page cache keeps it as it is.
        response = super().create_response(request, data, *args, **kwargs)
        if response.status_code == 200:
            set_response_etag(response)
        return response


api = PublicApi(
    title=f"{settings.SITE_NAME} publications API",
    version="1",
    description="Published analysis, reports and briefs, their authors and vocabularies. "
    "Read-only, open to any origin. Dates are ISO 8601 with their zone; addresses are absolute.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request, status, message, field=None):
    body = Error(status=status, message=message, field=field)
    return api.create_response(request, body.model_dump(exclude_none=True), status=status)


@api.exception_handler(ApiError)
def api_error(request, exc):
    return error_response(request, exc.status, exc.message, exc.field)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(request, 404, str(exc) or "Not found.")


@api.exception_handler(NinjaValidationError)
def invalid_parameter(request, exc):
    # ninja's 422 with pydantic's details becomes our 400 naming the parameter.
    first = exc.errors[0] if exc.errors else {}
    field = str(first.get("loc", ["", ""])[-1]) or None
    return error_response(request, 400, first.get("msg", "Invalid parameter."), field)


def api_url(name, *args):
    return absolute_url(reverse(f"api:{name}", args=args))


def list_url(**query):
    """The API's publication list narrowed to one term: …/publications/?topic=slug."""
    key, value = next(iter(query.items()))
    return f"{api_url('publications')}?{key}={value}"


def check_parameters(request, allowed):
    """An unknown parameter is a mistake to report, not to ignore."""
    for name in request.GET:
        if name not in allowed:
            raise ApiError(400, f"Unknown parameter “{name}”.", name)


def paginate(request, queryset, page, page_size, shape):
    """One page: {count, next, previous, results (each item through shape)};
    a page past the last is a 404."""
    count = queryset.count()
    start = (page - 1) * page_size
    if page > 1 and start >= count:
        raise ApiError(404, f"There is no page {page}.", "page")
    items = list(queryset[start : start + page_size])

    def page_link(number):
        query = request.GET.copy()
        query["page"] = number
        return absolute_url(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "next": page_link(page + 1) if start + page_size < count else None,
        "previous": page_link(page - 1) if page > 1 else None,
        "results": [shape(item) for item in items],
    }


def term(obj):
    return {"slug": obj.slug, "name": obj.name, "url": absolute_url(obj.get_absolute_url())}


def images(renditions):
    return [
        {
            "width": entry["width"],
            "height": entry["height"],
            "webp": absolute_url(default_storage.url(entry["webp"])),
            "jpeg": absolute_url(default_storage.url(entry["jpeg"])),
        }
        for entry in sorted(renditions, key=lambda entry: entry["width"])
    ]


def byline(author):
    return {**term(author), "role": author.role, "author_line": author.author_line}


def summary(article):
    series = None
    if article.series_id:
        series = {
            "slug": article.series.slug,
            "name": article.series.name,
            "number": article.series_number,
            "label": article.report_number,
        }
    return {
        "slug": article.slug,
        "title": article.title,
        "language": article.language,
        "summary": article.summary,
        "url": absolute_url(article.get_absolute_url()),
        "api_url": api_url("publication", article.slug),
        "type": term(article.publication_type),
        "authors": [byline(author) for author in article.ordered_authors],
        "topics": [term(topic) for topic in article.topics.all()],
        "series": series,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def photo(photo):
    if photo is None or not photo.image:
        return None
    return {
        "alt": "" if photo.is_decorative else photo.alt_text,
        "is_decorative": photo.is_decorative,
        "caption": photo.caption,
        "credit": photo.credit,
        "width": photo.width,
        "height": photo.height,
        "original": absolute_url(photo.image.url),
        "renditions": images(photo.renditions),
    }


def detail(article, translations):
    original = next((o for o in translations if o.pk == article.translation_of_id), None)
    return {
        **summary(article),
        "body": article.body,
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "regions": [term(region) for region in article.regions.all()],
        "lead_photo": photo(article.lead_photo),
        "key_takeaways": article.key_takeaways,
        "editions": [
            {
                "kind": edition.kind,
                "language": edition.language,
                "title": edition.display_title,
                "url": absolute_url(edition.get_absolute_url()),
                "pages": edition.page_count,
                "size": edition.size,
            }
            for edition in article.editions.all()
        ],
        "citation": csl_item(article),
        # The original's slug, when it is published; the group's other published members.
        "translation_of": original.slug if original else None,
        "translations": [
            {
                "slug": other.slug,
                "title": other.title,
                "language": other.language,
                "url": absolute_url(other.get_absolute_url()),
                "api_url": api_url("publication", other.slug),
            }
            for other in translations
        ],
    }


def author_out(author):
    return {
        **byline(author),
        "api_url": api_url("author", author.slug),
        "bio": author.bio,
        "portrait": images(author.portrait_renditions),
        "publications": list_url(author=author.slug),
    }


# The list's filters: the list page's form, plus paging.
FILTERS = tuple(PublicationFilterForm.base_fields)
PAGING = ("page", "page_size")


def published_articles():
    """Published articles with what a summary shows: a card's, and the series."""
    return (
        Article.objects.published()
        .select_related("publication_type", "series")
        .prefetch_related(*CARD_PREFETCHES)
    )


@api.get(
    "/publications/",
    response={200: PublicationPage, **ERRORS},
    url_name="publications",
    summary="Published publications, newest first",
)
def publications(
    request,
    q: str = Query(None, max_length=200, description="Words in the title or summary."),
    type: str = Query(None, description="A publication type's slug (see /types/)."),
    topic: str = Query(None, description="A topic's slug (see /topics/)."),
    region: str = Query(
        None, description="A region's slug; a region includes its countries and sub-regions."
    ),
    series: str = Query(None, description="A series' slug (see /series/)."),
    author: str = Query(None, description="An author's slug (see /authors/)."),
    year: int = Query(None, ge=1900, le=2999, description="The year of publication."),
    language: str = Query(
        None,
        max_length=35,
        pattern=LANGUAGE_PATTERN.replace("\\Z", "$"),
        description="A BCP 47 language tag: fr gives fr, fr-CA…",
    ),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    check_parameters(request, FILTERS + PAGING)
    articles = published_articles().defer("body").newest_first()
    filters = {key: value for key, value in request.GET.items() if key in FILTERS}
    if filters:
        form = PublicationFilterForm(filters, vocabularies=menu_vocabularies())
        if not form.is_valid():
            # Well-formed (the schema has checked) but naming nothing public,
            # like a broken link to the list page: 404, with the field.
            field = next(iter(form.errors))
            raise ApiError(404, f"No such {field}: “{filters[field]}”.", field)
        articles = form.filter(articles)
    return paginate(request, articles, page, page_size, summary)


@api.get(
    "/publications/{slug}",
    response={200: PublicationDetail, **ERRORS},
    url_name="publication",
    summary="One publication: everything its page shows",
)
def publication(request, slug: str, response: HttpResponse):
    check_parameters(request, ())
    articles = (
        published_articles().select_related("lead_photo").prefetch_related("regions", "editions")
    )
    try:
        article = articles.get(slug=slug)
    except Article.DoesNotExist:
        raise ApiError(404, "No publication at this address.") from None
    translations = list(Article.objects.published().translations_of(article))
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return detail(article, translations)


@api.get(
    "/authors/",
    response={200: AuthorPage, **ERRORS},
    url_name="authors",
    summary="People with a published byline, by name",
)
def authors(
    request,
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    check_parameters(request, PAGING)
    return paginate(request, Author.objects.public(), page, page_size, author_out)


@api.get(
    "/authors/{slug}", response={200: AuthorOut, **ERRORS}, url_name="author", summary="One author"
)
def author(request, slug: str):
    check_parameters(request, ())
    try:
        return author_out(Author.objects.public().get(slug=slug))
    except Author.DoesNotExist:
        raise ApiError(404, "No author at this address.") from None


@api.get("/topics/", response={200: list[TopicOut], **ERRORS}, url_name="topics")
def topics(request):
    check_parameters(request, ())
    return [
        {**term(t), "description": t.description, "publications": list_url(topic=t.slug)}
        for t in Topic.objects.public()
    ]


@api.get(
    "/regions/",
    response={200: list[RegionOut], **ERRORS},
    url_name="regions",
    summary="Regions, sub-regions and countries, with the tree",
)
def regions(request):
    check_parameters(request, ())
    public = list(Region.objects.public().prefetch_related("members"))
    slugs = {r.pk: r.slug for r in public}
    return [
        {
            **term(r),
            "kind": r.kind,
            "iso_code": r.iso_code,
            "description": r.description,
            "parent": slugs.get(r.parent_id),
            # Only public members: a country with nothing published has no page.
            "members": [slugs[m.pk] for m in r.members.all() if m.pk in slugs],
            "publications": list_url(region=r.slug),
        }
        for r in public
    ]


@api.get("/types/", response={200: list[TypeOut], **ERRORS}, url_name="types")
def types(request):
    check_parameters(request, ())
    return [
        {
            **term(t),
            "plural": t.plural,
            "description": t.description,
            "is_report": t.is_report,
            "publications": list_url(type=t.slug),
        }
        for t in PublicationType.objects.public()
    ]


@api.get("/series/", response={200: list[SeriesOut], **ERRORS}, url_name="series")
def series_list(request):
    check_parameters(request, ())
    return [
        {
            **term(s),
            "prefix": s.prefix,
            "description": s.description,
            "type": s.publication_type.slug,
            "publications": list_url(series=s.slug),
        }
        for s in Series.objects.public().select_related("publication_type")
    ]


def api_not_found(request, rest=""):
    """Any other address under /api/v1/: a JSON 404 like the API's own."""
    return error_response(
        request, 404, "No such address in the API; see /api/v1/docs for what there is."
    )


class CorsMiddleware:
    """The API may be read from any origin (no credentials), and is kept by caches.

    Above ConditionalGetMiddleware, so a 304 carries the headers too, and
    above ReadOnlyPublicMiddleware, so a preflight (OPTIONS) is answered
    here, not refused.
    """

    HEADERS = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag",
    }
    PREFLIGHT = {
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept",
        "Access-Control-Max-Age": str(CORS_MAX_AGE),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request):
            for name, value in self.HEADERS.items():
                response.headers[name] = value
        return response

    def process_view(self, request, view, args, kwargs):
        if request.method == "OPTIONS" and is_api(request):
            response = HttpResponse(status=204, headers=self.PREFLIGHT)
            response.headers["Allow"] = self.PREFLIGHT["Access-Control-Allow-Methods"]
            return response
        return None


def is_api(request):
    # By address, not by resolved view: a page from the page cache is sent
    # before any URL is resolved.
    return request.path.startswith(API_PREFIX)
