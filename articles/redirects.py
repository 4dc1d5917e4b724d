"""Old addresses that answer 301 with where the content is now.

A redirect answers only where the site has no page (the response would be
404, or 410 for an article in the trash), so it never shadows a live page,
not even one that appears after the redirect was made. The rules, for the
admin's form, the CSV import and slug changes alike (`check`):

- the old address is a path of this site (a full URL of the previous site is
  cut to its path), and no page answers there now;
- the new address is a path of this site or an article: a URL naming another
  host is refused, so the site never sends readers elsewhere;
- chains collapse: A → B and then B → C makes A → C, and a new A → B where B
  already redirects to C is stored as A → C; so no reader follows two hops;
- no loops: an address never leads back to itself.

Changing the slug of a published article makes a redirect from its old
address to the article itself (it follows the article wherever it moves
next), and the new address stops being redirected anywhere.

The 301s are stored by the page cache like pages (caching.can_store knows
them by `response.site_redirect`). A stored 301 shows the redirects and,
since it answers only where no page does, whatever could make a page appear
there: a change to any redirect, or a new page, drops it
(usip_cms/cache_keys.py).
"""

import csv
import io
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from articles.models import Article, Redirect
from usip_cms import page_keys
from usip_cms.text import CONTROL_CHARACTERS

MAX_LENGTH = Redirect._meta.get_field("old_path").max_length
# Whitespace inside an address, and the control characters of usip_cms.text.
INVISIBLE = re.compile(r"\s|" + CONTROL_CHARACTERS.pattern)


class RedirectMiddleware:
    """Answers a GET that found no page with the redirect stored for its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (404, 410) or request.method not in ("GET", "HEAD"):
            return response
        found = (
            Redirect.objects.select_related("target_article")
            .filter(old_path__in={request.get_full_path(), request.path})
            .order_by("-old_path")  # the one naming the query string first
            .first()
        )
        if found is None:
            return response
        redirect = HttpResponsePermanentRedirect(found.target)
        redirect.site_redirect = True
        page_keys.shows(page_keys.all_of(Redirect), *page_keys.default_keys())
        return redirect


def site_path(value, *, own_host_only):
    """The path (with query string) that value names on this site.

    A full URL is cut to its path; with own_host_only it must name this
    site's own host (SITE_URL), since a redirect must not send readers away.
    """
    value = (value or "").strip()
    if INVISIBLE.search(value):
        # A line break, a tab or a control character is never part of an
        # address: it comes from a broken CSV quote or a paste.
        raise ValidationError("An address has no space, line break or control character in it.")
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. "http://[::1/x": an unclosed IPv6 host
        raise ValidationError(f"“{value}” is not a web address.") from None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "") or not parts.netloc:
            raise ValidationError(f"“{value}” is not a web address.")
        if own_host_only and parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
            raise ValidationError(
                f"“{value}” is on another site ({parts.netloc}): a redirect may only lead "
                "to an address on this site."
            )
        path = parts.path or "/"
        value = f"{path}?{parts.query}" if parts.query else path
    if not value.startswith("/") or value.startswith("//"):
        raise ValidationError(f"“{value}” is not a path on this site: start it with one /.")
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"Keep the address under {MAX_LENGTH} characters.")
    return value


def page_at(path):
    """Whether a page of the site answers at path now (a redirect there would shadow it)."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    slug = match.kwargs.get("slug")
    if match.view_name == "articles:detail":
        return Article.objects.not_trashed().filter(slug=slug).exists()
    # A landing page or feed of a term (its view carries the scope it serves):
    # only a public term has one. Asked of the view, since articles imports
    # none of the listings (tests/test_architecture.py).
    scope = getattr(match.func, "view_initkwargs", {}).get("scope") or getattr(
        match.func, "scope", None
    )
    if slug is not None and scope is not None:
        return scope.model.objects.public().filter(slug=slug).exists()
    return True


def check(old_path, target_path="", target_article=None, exclude_pk=None):
    """The redirect as it will be stored: (old path, target path, target article),
    collapsed through any redirect at its target; ValidationError if it breaks a rule."""
    old_path = site_path(old_path, own_host_only=False)
    if page_at(old_path):
        raise ValidationError(
            f"A page of the site answers at {old_path}: a redirect would hide it."
        )
    if target_article is None:
        target_path = site_path(target_path, own_host_only=True)
        onward = Redirect.objects.filter(old_path=target_path).exclude(pk=exclude_pk).first()
        if onward is not None:  # A → B where B → C: store A → C
            target_path, target_article = onward.target_path, onward.target_article
    if target_article is not None:
        target_path = ""
        if target_article.get_absolute_url() == old_path:
            raise ValidationError(f"{old_path} is that article's own address.")
    elif target_path == old_path:
        raise ValidationError(f"{old_path} would redirect to itself.")
    return old_path, target_path, target_article


@transaction.atomic
def save(redirect):
    """Store a checked redirect, pointing the redirects that led to its old path at its target."""
    onward = Redirect.objects.filter(old_path=redirect.target_path or None).first()
    if onward is not None and onward.target != redirect.old_path:
        # Stored since the check (rows of one CSV file): collapse here too.
        redirect.target_path, redirect.target_article = onward.target_path, onward.target_article
    redirect.save()
    Redirect.objects.filter(target_path=redirect.old_path).exclude(pk=redirect.pk).update(
        target_path=redirect.target_path, target_article=redirect.target_article
    )
    return redirect


def slug_changed(article, old_path, user=None):
    """The article left old_path: keep it answering, and free the new address."""
    Redirect.objects.filter(old_path=article.get_absolute_url()).delete()
    Redirect.objects.update_or_create(
        old_path=old_path,
        defaults={
            "target_article": article,
            "target_path": "",
            "origin": Redirect.Origin.SLUG,
            "created_by": user,
        },
    )
    # Redirects to the old path by hand follow the article too.
    Redirect.objects.filter(target_path=old_path).update(target_path="", target_article=article)


def parse_csv(upload):
    """(rows, errors) of a CSV of old address, new address pairs; a header row is allowed.

    Rows are checked together: every error is listed with its line, and
    nothing is stored unless there is none.
    """
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8."]
    rows, errors, seen = [], [], {}
    try:
        lines = list(enumerate(csv.reader(io.StringIO(text)), start=1))
    except csv.Error as error:  # a field longer than csv's limit, a NUL byte
        return [], [f"The file is not a CSV of addresses ({error})."]
    for line, fields in lines:
        if not any(field.strip() for field in fields):
            continue
        if len(fields) < 2:
            errors.append(f"Line {line}: two columns are needed, the old address and the new.")
            continue
        old, new = fields[0].strip(), fields[1].strip()
        if line == 1 and not old.startswith(("/", "http")):
            continue  # a header row
        try:
            old_path = site_path(old, own_host_only=False)
            if old_path in seen:
                raise ValidationError(f"{old_path} is also on line {seen[old_path]}.")
            seen[old_path] = line
            rows.append((line, *check(old_path, new)))
        except ValidationError as error:
            errors.append(f"Line {line}: {' '.join(error.messages)}")
    errors += loops(rows)
    return rows, errors


def loops(rows):
    """Errors for rows that, with the stored redirects, lead back to where they start."""
    leads = dict(
        Redirect.objects.filter(target_article__isnull=True).values_list("old_path", "target_path")
    )
    leads.update({old: target for _, old, target, article in rows if article is None})
    errors = []
    for line, start, target, article in rows:
        seen = {start}
        while article is None and target in leads and target not in seen:
            seen.add(target)
            target = leads[target]
        if target in seen:
            errors.append(f"Line {line}: {start} leads back to itself through {target}.")
    return errors


@transaction.atomic
def import_rows(rows, user):
    """Store checked rows (replacing redirects from the same old addresses); returns how many."""
    for _line, old_path, target_path, target_article in rows:
        redirect = Redirect.objects.filter(old_path=old_path).first() or Redirect(
            old_path=old_path, created_by=user
        )
        redirect.target_path, redirect.target_article = target_path, target_article
        redirect.origin = Redirect.Origin.IMPORT
        save(redirect)
    return len(rows)
