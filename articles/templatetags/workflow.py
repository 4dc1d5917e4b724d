"""The admin's workflow in templates: labelled times, the dashboard, the counts."""

from django import template
from django.utils import timezone

from articles import times

register = template.Library()


@register.filter
def staff_time(value):
    """Dec. 1, 2026, 3:00 p.m. EST: in the site's time zone, named."""
    return times.short_time(value)


@register.filter
def staff_long_time(value):
    """Tuesday, December 1, 2026, 3:00 p.m. EST."""
    return times.long_time(value)


@register.simple_tag
def site_zone():
    """The site's time zone as staff read it, e.g. “EST, America/New_York”."""
    now = timezone.localtime()
    return f"{now.tzname()}, {timezone.get_current_timezone_name()}"


@register.inclusion_tag("admin/articles/workflow_counts.html", takes_context=True)
def workflow_counts(context):
    """The queues in the admin's header: waiting for review, scheduled, my drafts (one query)."""
    from articles import dashboard

    request = context["request"]
    if not request.user.has_perm("articles.view_article"):
        return {"counts": None}
    return {"counts": dashboard.counts(request.user)}


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def editors_dashboard(context):
    """The queues of the admin's index (articles.dashboard)."""
    from articles import dashboard

    return dashboard.panels(context["request"].user)


@register.filter
def waited(value):
    """“3 days”, “5 hours”: how long ago value was."""
    return times.waited(value)
