"""Times shown to staff: always in the site's time zone, always with its name.

An editor in another zone reads “3:00 p.m. EST” and knows what it means; a
bare “15:00” (or UTC, which Python formats by default) is a trap when the
time is a schedule.
"""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import ngettext

LONG = "l, F j, Y, g:i a T"  # Tuesday, December 1, 2026, 3:00 p.m. EST
SHORT = "N j, Y, g:i a T"  # Dec. 1, 2026, 3:00 p.m. EST (DATETIME_FORMAT too: usip_cms/formats)


def long_time(value):
    return date_format(timezone.localtime(value), LONG) if value else "—"


def short_time(value):
    return date_format(timezone.localtime(value), SHORT) if value else "—"


def waited(since, now=None):
    """How long ago, in the largest whole unit that fits: “3 days”, “5 hours”, “12 minutes”."""
    seconds = max(0, int(((now or timezone.now()) - since).total_seconds()))
    if seconds >= 86400:
        return ngettext("%(n)d day", "%(n)d days", seconds // 86400) % {"n": seconds // 86400}
    if seconds >= 3600:
        return ngettext("%(n)d hour", "%(n)d hours", seconds // 3600) % {"n": seconds // 3600}
    if seconds >= 60:
        return ngettext("%(n)d minute", "%(n)d minutes", seconds // 60) % {"n": seconds // 60}
    return "less than a minute"
