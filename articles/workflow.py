"""The article workflow: which step each role may take from each state, and
the record of every step.

States are Article.state (draft, in review, scheduled, published, trash).
Steps are the buttons of the article form and the list's bulk actions; the
form and the actions both ask `available()`, so a crafted POST cannot take a
step the buttons do not offer. Every step that changes the state is recorded
as a Transition (who, when, from → to, note), ends the article's share links
once it is published, and tells the people concerned (articles.notifications).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles import notifications
from articles.models import Article, ReviewNote, State, Transition
from articles.times import long_time

EVERY_STATE = frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED, State.PUBLISHED})
NOT_LIVE = frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED})


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    from_states: frozenset
    editors_only: bool = True
    status: str | None = None  # the Article.status it sets; None keeps it
    needs_time: bool = False
    needs_note: bool = False


STEPS = {
    step.name: step
    for step in (
        Step("save", "Save", EVERY_STATE, editors_only=False),
        Step(
            "submit", "Submit for review", frozenset({State.DRAFT}),
            editors_only=False, status=Article.Status.REVIEW,
        ),
        Step("publish", "Publish now", NOT_LIVE, status=Article.Status.PUBLISHED),
        Step(
            "schedule", "Schedule", NOT_LIVE, status=Article.Status.PUBLISHED, needs_time=True
        ),
        Step(
            "return", "Return to author", frozenset({State.REVIEW, State.SCHEDULED}),
            status=Article.Status.DRAFT, needs_note=True,
        ),
        Step(
            "unpublish", "Unpublish", frozenset({State.PUBLISHED, State.SCHEDULED}),
            status=Article.Status.DRAFT,
        ),
    )
}  # fmt: skip

# The name of the form's buttons; the value is a step's name.
STEP_FIELD = "_workflow"


def available(state, editor):
    """The steps open from state to an editor (or to an author, who may also
    change the article: articles.admin_roles decides that)."""
    return [
        step
        for step in STEPS.values()
        if state in step.from_states and (editor or not step.editors_only)
    ]


def take(article, step, publish_at=None, now=None):
    """Set the article's status and date for the step (nothing is saved)."""
    if step.status is None:
        return
    article.status = step.status
    if step.name == "publish":
        article.published_at = now or timezone.now()
    elif step.name == "schedule":
        article.published_at = publish_at


def state_label(article):
    """“Draft”, “Scheduled for Tuesday, December 1, 2026, 3:00 p.m. EST”, “Published …”."""
    state = article.state
    if state == State.SCHEDULED:
        return f"Scheduled for {long_time(article.published_at)}"
    if state == State.PUBLISHED:
        return f"Published {long_time(article.published_at)}"
    if state == State.TRASH:
        return f"In the trash since {long_time(article.trashed_at)}"
    return state.label


@transaction.atomic
def record(article, user, from_state, note="", step_name=""):
    """Note a step that changed the article's state (or a plain note) and
    tell whoever it concerns, once the change commits."""
    to_state = article.state
    note = note.strip()
    if to_state == from_state:
        if note:
            ReviewNote.objects.create(article=article, user=user, text=note)
        return None
    transition = Transition.objects.create(
        article=article,
        user=user,
        from_state=from_state,
        to_state=to_state,
        publish_at=article.published_at if to_state in (State.SCHEDULED, State.PUBLISHED) else None,
        note=note,
    )
    if to_state == State.PUBLISHED:
        # Nobody needs a draft's address once the article itself is public.
        article.share_links.active().update(revoked_at=timezone.now())
    notifications.transition_recorded(transition, step_name)
    return transition


def done_message(article, from_state, step_name):
    """What the editor is told after a save: the step, in words, with the time."""
    state = article.state
    title = f"“{article}”"
    if state == from_state:
        return f"Saved {title}."
    if state == State.REVIEW:
        return f"Submitted {title} for review: the editors are told."
    if state == State.SCHEDULED:
        return f"Scheduled {title} for {long_time(article.published_at)}."
    if state == State.PUBLISHED:
        return f"Published {title}: it is live at {article.get_absolute_url()}"
    if step_name == "return":
        return f"Returned {title} to its author with your note."
    return f"Unpublished {title}: it is a draft again, and readers no longer see it."


def history(article):
    """The article's transitions and notes, newest first (two queries)."""
    items = [
        *article.transitions.select_related("user"),
        *article.review_notes.select_related("user"),
    ]
    return sorted(items, key=lambda item: (item.created_at, item.pk), reverse=True)
