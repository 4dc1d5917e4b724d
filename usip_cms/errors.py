"""Error pages: a database outage answers 503, and keeps an editor's text.

Django turns an exception raised anywhere (a view, any middleware, the
session or user lookup) into handler500's response, calling it while the
exception is being handled. server_error() looks at that exception: a lost
or refused database connection is an outage, not a bug, and gets a 503 with
Retry-After. Nothing here touches the database, which is down.

An editor's POST to the admin that fails this way gets a page saying the save
failed, with every posted field in a form that re-posts it unchanged (the
CSRF token in it stays valid: it is checked against the CSRF cookie, not the
database), and the text fields shown so they can be copied.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

# Connection lost, refused or timed out. IntegrityError, ProgrammingError and
# the like are bugs, and stay 500s.
DATABASE_OUTAGE = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 30

# Posted fields that are the form's machinery, not what the editor wrote.
NOT_TEXT = ("csrfmiddlewaretoken",)
MANAGEMENT_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


@requires_csrf_token
def server_error(request):
    """handler500: 503 for a database outage, Django's 500 page otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request):
    if request.method == "POST" and request.path.startswith(reverse("admin:index")):
        template, context = "admin/save_failed.html", kept_form(request)
    else:
        template, context = "503.html", {}
    try:
        response = render(request, template, context, status=503)
    except Exception:  # the error page itself must not fail
        response = HttpResponse(
            "The site is briefly unavailable. Please try again in a minute.",
            content_type="text/plain; charset=utf-8",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def kept_form(request):
    """The posted fields: those with words in them shown (and re-posted) in
    read-only text boxes, the rest re-posted as they came. Passwords are
    neither shown nor sent back; files cannot be, and are named."""
    shown, hidden = [], []
    for name, values in request.POST.lists():
        if "password" in name:
            continue
        for value in values:
            is_text = (
                name not in NOT_TEXT
                and not name.startswith("_")
                and not name.endswith(MANAGEMENT_SUFFIXES)
                and any(character.isalpha() for character in value)
            )
            (shown if is_text else hidden).append((name, value))
    return {
        # Long text (the body) gets a tall box, a title a short one.
        "shown": [(name, value, 12 if len(value) > 200 else 2) for name, value in shown],
        "action": request.get_full_path(),
        "hidden": hidden,
        "files": [file.name for file in request.FILES.values()],
        "retry_after": RETRY_AFTER_SECONDS,
    }
