"""The editors' dashboard on the admin's index, and the queue counts in its header.

Waiting for review (oldest first, with how long each has waited), scheduled
(in date order, with a warning for any whose time has passed without going
live: it fails the publication rule), the user's own drafts, and what was
published last. Four short queries, and one for the counts.
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
    articles = Article.objects.not_trashed().select_related("created_by")
    review = list(
        articles.filter(status=Article.Status.REVIEW)
        .annotate(waiting_since=waiting_since())
        .order_by("waiting_since", "updated_at")[:LISTED]
    )
    for article in review:
        # Put in review before transitions were recorded: the last save is the best guess.
        article.waiting_since = article.waiting_since or article.updated_at
    scheduled = list(
        articles.scheduled(now).prefetch_related("bylines").order_by("published_at", "pk")[:LISTED]
    )
    for article in scheduled:
        # It will go live at its time, ready or not: say what is missing now.
        article.problems = list(article.publishing_problems(article.ordered_authors).values())
    # Published status and a time that has come, yet not live: it fails the
    # publication rule (published()), so readers do not see it.
    stuck = list(
        articles.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
        .exclude(pk__in=Article.objects.published().values("pk"))
        .order_by("published_at", "pk")[:LISTED]
    )
    mine = list(
        articles.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")[
            :LISTED
        ]
    )
    recent = list(Article.objects.published().newest_first()[:LISTED])
    return {
        "review": review,
        "scheduled": scheduled,
        "stuck": stuck,
        "mine": mine,
        "recent": recent,
        "now": now,
    }
