"""Cards from the fragment cache (usip_cms/fragments.py), in templates.

    {% load fragments %}
    {% cards articles heading_level=3 eager_first=True %}
    {% card_lists related latest heading_level=3 as lists %}  {{ lists.0 }} {{ lists.1 }}
    {% each_card articles as results %}  {% for article, card in results %}…

Each card is publications.cards.card(), made only when the cache has no
current copy; every list of the tag is fetched in one round trip.
"""

from django import template
from django.utils.safestring import mark_safe

from publications.cards import card
from usip_cms import fragments, page_keys

register = template.Library()


def made_cards(lists, heading_level, eager_first=False):
    """The cards of each list, [[html, …], …], in one round trip."""
    # What every card shows besides its article, recorded even when no card is made.
    page_keys.note(*fragments.CARD_KEYS)

    def render(article, eager):
        return card(article, heading_level, eager)

    return fragments.render_cards(lists, render, heading_level, eager_first)


def render_lists(lists, heading_level, eager_first):
    made = made_cards(lists, heading_level, eager_first)
    return [mark_safe("".join(html)) for html in made]  # noqa: S308 - cards, escaped as made


@register.simple_tag
def cards(articles, heading_level=2, eager_first=False):
    """The cards of articles (publications.cards.card() for each)."""
    return render_lists([articles], heading_level, eager_first)[0]


@register.simple_tag
def each_card(articles, heading_level=2):
    """[(article, its card), …], for a page that adds to each card (search
    results and their snippets); one round trip, as for cards."""
    articles = list(articles)
    made = made_cards([articles], heading_level)[0]
    pairs = zip(articles, made, strict=True)
    return [(a, mark_safe(html)) for a, html in pairs]  # noqa: S308 - escaped as made


@register.simple_tag
def card_lists(*lists, heading_level=2, eager_first=False):
    """The cards of several lists at once: [html of the first list, …]."""
    return render_lists(lists, heading_level, eager_first)
