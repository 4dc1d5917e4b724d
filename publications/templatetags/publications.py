from django import template

from articles.models import Article

register = template.Library()

LATEST_COUNT = 5


@register.inclusion_tag("includes/latest_publications.html")
def latest_publications(exclude=None, count=LATEST_COUNT):
    """The “Latest Publications” cards: the newest published items.

    Three queries whatever the count: articles with their types, bylines with
    authors, topics.
    """
    articles = Article.objects.published().newest_first().for_cards()
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"articles": articles[:count]}


@register.filter
def long_date(value):
    """“Friday, November 22, 2024”, in the site's time zone."""
    if value is None:
        return ""
    return template.defaultfilters.date(value, "l, F j, Y")
