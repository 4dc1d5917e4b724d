"""Workflow emails, through Django's email framework.

- An item submitted for review: the editors (whoever holds
  articles.publish_article).
- An item returned to its author, scheduled or published: its authors' staff
  accounts (who created it, and whoever submitted it for review).

Nobody is told of their own step, staff without an email address are left
out, and anyone can turn the emails off (NotificationSetting, on the page
`settings_view` draws). A message says what happened, by whom and when, with
the note, and links to the item in the admin.

Sending never blocks or fails a save: the message is queued with Django's
tasks framework (settings.TASKS) only once the change has committed, a
failure to queue or to send is logged, and the save stands.
"""

import logging
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.tasks import task
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import NotificationSetting, State, Transition
from articles.times import long_time
from usip_cms.text import isolate

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[USIP CMS] "


def transition_recorded(transition, step_name):
    """Queue the emails for a transition once its transaction commits."""
    # robust: an error here is logged by Django and the request goes on.
    transaction.on_commit(partial(queue, transition.pk, step_name), robust=True)


def queue(transition_id, step_name):
    try:
        send_transition_emails.enqueue(transition_id, step_name)
    except Exception:
        logger.exception("Workflow emails for transition %s could not be queued", transition_id)


@task
def send_transition_emails(transition_id, step_name):
    """Send what the transition calls for; returns how many messages went out."""
    transition = (
        Transition.objects.select_related("article", "user").filter(pk=transition_id).first()
    )
    if transition is None:
        return 0
    sent = 0
    for message in messages_for(transition, step_name):
        try:
            sent += message.send()
        except Exception:
            logger.exception(
                "Workflow email about “%s” to %s could not be sent", transition.article, message.to
            )
    return sent


def editors():
    perm = Permission.objects.get(content_type__app_label="articles", codename="publish_article")
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__permissions=perm) | Q(user_permissions=perm)
    )


def authors_of(article):
    """The staff accounts behind an item: who created it and who submitted it."""
    submitters = article.transitions.filter(to_state=State.REVIEW).values("user")
    return get_user_model().objects.filter(Q(pk=article.created_by_id) | Q(pk__in=submitters))


def reachable(users, actor):
    """users who want workflow emails and can get them, the actor left out."""
    return (
        users.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(pk=getattr(actor, "pk", None))
        .exclude(notification_setting__emails=False)
        .distinct()
        .order_by("pk")
    )


def messages_for(transition, step_name):
    article, actor = transition.article, transition.user
    # The article's title, isolated: an override in it stays in it.
    title = isolate(str(article))
    who = actor.get_username() if actor else "Someone"
    when = long_time(transition.created_at)
    if State.TRASH in (transition.from_state, transition.to_state):
        return []  # moved to or out of the trash: nothing the workflow asks anyone to do
    if transition.to_state == State.REVIEW:
        recipients = editors()
        subject = f"Waiting for review: {title}"
        what = f"{who} submitted “{title}” for review on {when}."
    elif transition.to_state == State.SCHEDULED:
        recipients = authors_of(article)
        subject = f"Scheduled: {title}"
        goes_live = long_time(article.published_at)
        what = f"{who} scheduled “{title}” on {when}: it goes live on {goes_live}."
    elif transition.to_state == State.PUBLISHED:
        recipients = authors_of(article)
        subject = f"Published: {title}"
        address = settings.SITE_URL + article.get_absolute_url()
        what = f"{who} published “{title}” on {when}. It is at {address}"
    elif step_name == "return":
        recipients = authors_of(article)
        subject = f"Returned to you: {title}"
        what = f"{who} returned “{title}” to its author on {when}."
    else:
        return []
    link = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    opt_out = settings.SITE_URL + reverse("admin:notifications")
    note = f"\n\nNote from {who}:\n{transition.note}" if transition.note else ""
    body = (
        f"{what}{note}\n\nOpen it in the admin: {link}\n\n"
        f"You get these emails as staff of {settings.SITE_NAME}. "
        f"Turn them off at {opt_out}\n"
    )
    return [
        EmailMessage(SUBJECT_PREFIX + subject, body, to=[user.email])
        for user in reachable(recipients, actor)
    ]


class SettingForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ("emails",)


def settings_view(request, admin_site):
    """The signed-in user's own choice: workflow emails on or off."""
    setting, _ = NotificationSetting.objects.get_or_create(user=request.user)
    # An unticked box sends nothing: an empty POST is still a choice.
    form = SettingForm(request.POST if request.method == "POST" else None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        state = "on" if setting.emails else "off"
        messages.success(request, f"Workflow emails are {state}.")
        return redirect("admin:notifications")
    context = {
        **admin_site.each_context(request),
        "title": "Your workflow emails",
        "form": form,
        "has_email": bool(request.user.email),
    }
    return TemplateResponse(request, "admin/notifications.html", context)
