"""The editors' dashboard on the admin's index, and the queue counts in its header.

Waiting for review (oldest first, with how long each has waited), scheduled
(in date order, with a warning for any that fails the readiness check,
Article.publishing_problems(): it goes live at its time all the same, since
published() is status and date), the user's own drafts, and what was
published last. Seven short queries, and one for the counts.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, State, Transition

LISTED = 10


def counts(user, now=None):
    now = now or timezone.now()
    return Article.objects.not_trashed().aggregate(
        review=Count("pk", filter=Q(status=Article.Status.REVIEW)),
        scheduled=Count("pk", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)),
        mine=Count("pk", filter=Q(status=Article.Status.DRAFT, created_by=user)),
    )


def waiting_since():
    """When each article last went into review (its latest transition to it)."""
    into_review = Transition.objects.filter(article=OuterRef("pk"), to_state=State.REVIEW)
    return Subquery(into_review.order_by("-created_at").values("created_at")[:1])


def panels(user, now=None):
    now = now or timezone.now()
    articles = Article.objects.not_trashed().select_related("created_by").defer("body")
    review = list(
        articles.filter(status=Article.Status.REVIEW)
        .annotate(waiting_since=waiting_since())
        .order_by("waiting_since", "updated_at")[:LISTED]
    )
    for article in review:
        # Put in review before transitions were recorded: the last save is the best guess.
        article.waiting_since = article.waiting_since or article.updated_at
    scheduled = articles.scheduled(now).prefetch_related("bylines__author")
    scheduled = list(scheduled.order_by("published_at", "pk")[:LISTED])
    for article in scheduled:
        # It will go live at its time, ready or not: say what is missing now.
        article.problems = list(article.publishing_problems(article.ordered_authors).values())
    mine = list(
        articles.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")[
            :LISTED
        ]
    )
    recent = list(Article.objects.published().defer("body").newest_first()[:LISTED])
    return {
        "review": review,
        "scheduled": scheduled,
        "mine": mine,
        "recent": recent,
        "now": now,
    }
