"""Date formats for English: a datetime Django prints by itself (the admin's
readonly fields, its change history) is in the site's zone and names it,
“Dec. 1, 2026, 3:00 p.m. EST”, as articles.times does for the rest."""

from django.conf.locale.en.formats import *  # noqa: F403 -- everything else as Django has it

DATETIME_FORMAT = "N j, Y, g:i a T"
