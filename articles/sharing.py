"""Share links: an unpublished article shown to an outside reviewer without an account.

The address is /shared/<selector>.<secret>/. Both parts are random
(`secrets`); the selector finds the row, the secret (256 bits) is the key,
and only its SHA-256 is stored, compared with `hmac.compare_digest`. So the
database alone opens no link, and a guess at a secret learns nothing from
timing. The whole address is shown once, to the editor who made it.

A link shows the article as it is saved now, marked as a draft, never
indexed and never stored by any cache. It ends when it expires, when an
editor revokes it, or when the article is published (or moved to the
trash); an ended link answers 410 and names nothing of the article.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import ShareLink, State
from articles.times import long_time

DEFAULT_DAYS = 7
MAX_DAYS = 90
# Where a share link may lead: what is not public yet.
SHAREABLE = {State.DRAFT, State.REVIEW, State.SCHEDULED}


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def make_link(article, user, days=DEFAULT_DAYS):
    """A new link to article for days; returns (link, its path), the path shown once."""
    selector, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        article=article,
        selector=selector,
        secret_hash=digest(secret),
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return link, reverse("articles:shared", args=[f"{selector}.{secret}"])


def find(token):
    """The link the token opens, or None (unknown, or a wrong secret: told apart by nothing)."""
    selector, _, secret = token.partition(".")
    link = ShareLink.objects.select_related("article").filter(selector=selector).first()
    # Compared even when no link was found, so both cases take the same time.
    stored = link.secret_hash if link else digest("")
    if not hmac.compare_digest(stored, digest(secret)) or link is None:
        return None
    return link


def ended(link, now=None):
    """Why the link shows nothing any more, in words that name nothing of the article; or ''."""
    now = now or timezone.now()
    if link.revoked_at is not None or link.article.state not in SHAREABLE:
        return "This review link has been withdrawn."
    if link.expires_at <= now:
        return f"This review link expired on {long_time(link.expires_at)}."
    return ""


def opened(link):
    ShareLink.objects.filter(pk=link.pk).update(
        open_count=F("open_count") + 1, last_opened_at=timezone.now()
    )


def revoke(link, user):
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
