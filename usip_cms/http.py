"""Rules every request meets before a view: methods, size, and who is asking.

- Public pages are read-only: anything but GET and HEAD gets 405 with an
  Allow header, whatever the view (feeds, sitemaps and media included).
- A request larger than the site takes gets a 413 page that says the limit,
  rather than Django's bare "Bad Request (400)".
- The client's address, for login throttling, is the one the TLS proxy saw.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

READ_METHODS = ("GET", "HEAD")
# URL namespaces whose views take other methods (forms, with CSRF checks).
WRITABLE_NAMESPACES = {"admin"}


class ReadOnlyPublicMiddleware:
    """405 for any method but GET and HEAD outside the admin.

    Checked in process_view, once the URL is resolved (an unknown address
    stays a 404) and before the CSRF check: a POST to a public page is
    refused for what it is, not for a missing token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method in READ_METHODS:
            return None
        if request.resolver_match.namespace in WRITABLE_NAMESPACES:
            return None
        response = HttpResponseNotAllowed(READ_METHODS)
        response.content = b"This address can only be read (GET or HEAD).\n"
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response


class RequestSizeMiddleware:
    """A clear 413 for a request over REQUEST_MAX_BYTES or over Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE (the form's fields, files not counted).

    The first is judged by Content-Length before anything is read. The second
    is found when the form is parsed, which the CSRF check does next: parsing
    it here, first, turns Django's RequestDataTooBig (a bare 400) into the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return too_large(
                request,
                f"This request is {filesizeformat(length)}; the site takes up to "
                f"{filesizeformat(settings.REQUEST_MAX_BYTES)} at once, files included.",
            )
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 -- parsed now, so an oversized form is caught here
        except RequestDataTooBig:
            return too_large(
                request,
                f"The text of this form is over "
                f"{filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}, the most the site "
                "takes in one form (files not counted).",
            )
        return None


def too_large(request, reason):
    return render(request, "413.html", {"reason": reason}, status=413)


def client_address(request):
    """The client's IP address (settings.AXES_CLIENT_IP_CALLABLE).

    Behind the TLS proxy (BEHIND_TLS_PROXY) REMOTE_ADDR is the proxy; the
    client is the last address in X-Forwarded-For, the one the proxy added.
    Addresses before it came from the client and could be made up.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")
