"""The trash: a deleted article is kept, out of sight, until it is emptied.

Moving an article to the trash sets `trashed_at`; Article.objects.published()
leaves such articles out, so the article leaves every page, list, feed and
sitemap at once, and its address answers 410 Gone. Nothing else changes:
byline, tags, revisions, share links and whatever else hangs on the article
stay, so a restore (for settings.TRASH_DAYS days) brings all of it back.
Emptying deletes for good, only when an editor asks, and is logged.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import revisions, workflow

logger = logging.getLogger(__name__)


def restorable_until(article):
    return article.trashed_at + timedelta(days=settings.TRASH_DAYS)


def can_restore(article, now=None):
    return article.trashed_at is not None and (now or timezone.now()) < restorable_until(article)


@transaction.atomic
def move_to_trash(article, user):
    from_state = article.state
    article.trashed_at = timezone.now()
    article.trashed_by = user
    article.version += 1
    article.save(update_fields=["trashed_at", "trashed_by", "version", "updated_at"])
    revisions.record(article, user, note="Moved to the trash")
    workflow.record(article, user, from_state, step_name="trash")


@transaction.atomic
def restore(article, user):
    article.trashed_at = None
    article.trashed_by = None
    article.version += 1
    article.save(update_fields=["trashed_at", "trashed_by", "version", "updated_at"])
    revisions.record(article, user, note="Restored from the trash")
    workflow.record(article, user, workflow.State.TRASH, step_name="restore")


def empty(articles, user):
    """Delete for good the given articles that are in the trash; returns how many."""
    trashed = list(articles.in_trash())
    for article in trashed:
        logger.warning(
            "Trash emptied: article %s “%s” (/%s/) deleted for good by %s",
            article.pk, article.title, article.slug, user.get_username(),
        )  # fmt: skip
        article.delete()
    return len(trashed)
