"""Fragments kept between pages (usip_cms/fragments.py): cards and the filter
menus are never stale after any kind of change, an unrelated change keeps
them, and a cache that fails costs only the time to make them.

The page cache is off here (as in every test unless turned on), so each page
is made anew; the default cache (local memory) holds the fragments. The
`made` fixture records which cards and menus each request had to make.
"""

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article, Author, Photo
from publications.models import PublicationType, Topic
from tests.factories import get_page, jpeg_bytes, make_article, make_author, make_photo
from usip_cms import caching, fragments

pytestmark = pytest.mark.django_db

LIST = "/publications/"


@pytest.fixture
def made(monkeypatch):
    """What the pages made instead of reusing: {"cards": [title…], "menus": n}."""
    from publications import forms

    record = {"cards": [], "menus": 0}
    render_cards = fragments.render_cards
    load_vocabularies = forms.load_vocabularies

    def spying_render_cards(lists, render, *args, **kwargs):
        def spying_render(article, eager):
            record["cards"].append(article.title)
            return render(article, eager)

        return render_cards(lists, spying_render, *args, **kwargs)

    def spying_load_vocabularies():
        record["menus"] += 1
        return load_vocabularies()

    monkeypatch.setattr(fragments, "render_cards", spying_render_cards)
    monkeypatch.setattr(forms, "load_vocabularies", spying_load_vocabularies)

    def clear():
        record["cards"].clear()
        record["menus"] = 0

    record["clear"] = clear
    return record


@pytest.fixture
def desk():
    """Two articles with nothing in common, each with its own author, topic and type."""
    mali = make_article(
        "Mali's Transition", slug="malis-transition", authors=[make_author("Kadiatou Keita")],
        topics=["Global Policy"], regions=["Mali"], lead_photo=make_photo(),
        published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    colombia = make_article(
        "Colombia's Peace Accord", slug="colombias-peace-accord", type_name="Report",
        authors=[make_author("Diego Rivera")], topics=["Reconciliation"], regions=["Colombia"],
        published_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    return mali, colombia


def shown(client, url=LIST):
    return get_page(client, url).content.decode()


def kept_then(client, made, url=LIST):
    """Load the page twice (the second time, every card and menu is kept), and
    start recording what the next request makes."""
    shown(client, url)
    made["clear"]()
    shown(client, url)
    assert made["cards"] == [] and made["menus"] == 0
    made["clear"]()


def test_cards_and_menus_are_made_once_then_kept(client, desk, made):
    shown(client)
    assert sorted(made["cards"]) == ["Colombia's Peace Accord", "Mali's Transition"]
    assert made["menus"] == 1
    made["clear"]()
    assert "Kadiatou Keita" in shown(client)
    assert made["cards"] == [] and made["menus"] == 0


def test_the_same_cards_serve_every_page_that_shows_them(client, desk, made):
    shown(client, "/publications/colombias-peace-accord/")  # Mali in its latest publications
    made["clear"]()
    shown(client, "/topics/global-policy/")  # the same card: heading 3, first (eager) here
    made["clear"]()
    shown(client, "/regions/mali/")
    assert made["cards"] == []


def test_search_results_reuse_the_lists_cards_and_keep_their_own_snippets(client, desk, made):
    shown(client)
    made["clear"]()
    page = shown(client, "/search/?q=accord")
    assert made["cards"] == []  # the list's (second, not eager) card of the accord
    assert '<p class="snippet">' in page and "<mark>Accord</mark>" in page
    author = Author.objects.get(name="Diego Rivera")
    author.name = "Diego Rivera Ospina"
    author.save()
    assert "Diego Rivera Ospina" in shown(client, "/search/?q=accord")
    assert made["cards"] == ["Colombia's Peace Accord"]


def test_an_article_edit_remakes_its_card_only(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.summary = "Elections are set for February."
    mali.save()
    assert "Elections are set for February." in shown(client)
    assert made["cards"] == ["Mali's Transition"]
    assert made["menus"] == 0


def test_an_edit_by_update_is_seen_in_the_articles_own_row(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    Article.objects.filter(pk=mali.pk).update(title="Mali Votes")  # no signal
    assert "Mali Votes" in shown(client)
    assert made["cards"] == ["Mali Votes"]


def test_an_author_rename_remakes_their_cards(client, desk, made):
    kept_then(client, made)
    author = Author.objects.get(name="Kadiatou Keita")
    author.name = "Kadiatou Keïta-Traoré"
    author.save()
    page = shown(client)
    assert "Kadiatou Keïta-Traoré" in page
    assert made["cards"] == ["Mali's Transition"]


def test_a_byline_change_remakes_the_card(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.authors.add(make_author("Oumar Ba"), through_defaults={"position": 1})
    assert "<bdi>Kadiatou Keita</bdi>; <bdi>Oumar Ba</bdi>" in shown(client)
    assert made["cards"] == ["Mali's Transition"]


def test_a_term_rename_remakes_the_cards_and_the_menus(client, desk, made):
    kept_then(client, made)
    topic = Topic.objects.get(name="Global Policy")
    topic.name = "World Policy"
    topic.save()
    page = shown(client)
    assert page.count("World Policy") == 2  # the card's tag and the topic menu
    assert "Global Policy" not in page
    assert made["menus"] == 1


def test_a_tag_added_to_an_article_shows_on_its_card(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.topics.add(Topic.objects.get(name="Reconciliation"))
    page = shown(client)
    mali_card = page[page.index("Mali&#x27;s Transition") :]
    assert "/topics/reconciliation/" in mali_card[: mali_card.index("</article>")]
    assert made["cards"] == ["Mali's Transition"]


def test_a_photo_change_remakes_the_cards_showing_it(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    old = mali.lead_photo.fallback["url"]
    photo = Photo.objects.get(pk=mali.lead_photo_id)
    upload = jpeg_bytes(color=(200, 30, 30))
    photo.image = SimpleUploadedFile("new.jpg", upload, "image/jpeg")
    photo.save()
    page = shown(client)
    assert old not in page
    assert photo.fallback["url"] in page
    assert made["cards"] == ["Mali's Transition"]


def test_remade_renditions_written_by_update_are_seen(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    renditions = [{**r, "jpeg": r["jpeg"].replace(".jpg", "-v2.jpg")} for r in
                  mali.lead_photo.renditions]  # fmt: skip
    # As manage.py renditions writes them.
    Photo.objects.filter(pk=mali.lead_photo_id).update(renditions=renditions)
    assert "-v2.jpg" in shown(client)
    assert made["cards"] == ["Mali's Transition"]


def test_a_type_change_and_a_type_rename_show_on_the_card(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.publication_type = PublicationType.objects.get(name="Peace Brief")
    mali.save()
    assert '<a href="/types/peace-brief/">Peace Brief</a>' in shown(client)
    made["clear"]()
    kind = PublicationType.objects.get(name="Peace Brief")
    kind.name = "Brief"
    kind.save()
    assert '<a href="/types/peace-brief/">Brief</a>' in shown(client)
    assert sorted(made["cards"]) == ["Colombia's Peace Accord", "Mali's Transition"]


def test_unpublished_edited_as_a_draft_then_published_again_shows_the_edit(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.status = Article.Status.DRAFT
    mali.save()
    assert "Mali&#x27;s Transition" not in shown(client)
    Author.objects.filter(name="Kadiatou Keita").update(name="K. Keita")  # a draft's: no signal
    mali.summary = "Rewritten while withdrawn."
    mali.save()  # a draft: invalidates nothing
    mali.status = Article.Status.PUBLISHED
    mali.save()
    page = shown(client)
    assert "Rewritten while withdrawn." in page and "K. Keita" in page


def test_the_search_page_and_the_api_share_the_kept_menus_and_see_a_rename(client, desk, made):
    search = "/search/?q=transition"
    api = "/api/v1/publications/?topic=global-policy"
    kept_then(client, made, search)
    assert client.get(api).status_code == 200
    assert made["menus"] == 0  # the facets' and the filters' terms: the list's menus

    topic = Topic.objects.get(name="Global Policy")
    topic.name, topic.slug = "World Policy", "world-policy"
    topic.save()
    page = shown(client, search)
    assert "World Policy" in page and "Global Policy" not in page
    assert made["menus"] == 1
    assert client.get(api).status_code == 404  # the old slug names nothing now
    assert client.get("/api/v1/publications/?topic=world-policy").status_code == 200
    assert made["menus"] == 1


def test_an_article_in_the_trash_leaves_every_list_and_the_menus(client, desk, made):
    mali, _colombia = desk
    kept_then(client, made)
    mali.trashed_at = timezone.now()
    mali.save()
    page = shown(client)
    assert "Mali&#x27;s Transition" not in page
    assert "Global Policy" not in page  # no other published article uses it
    assert made["menus"] == 1


def test_an_unrelated_change_keeps_the_fragments(client, desk, made):
    _mali, colombia = desk
    kept_then(client, made)
    colombia.summary = "A new summary."
    colombia.save()
    make_article("Draft", status=Article.Status.DRAFT, topics=["Global Policy"])
    shown(client)
    assert made["cards"] == ["Colombia's Peace Accord"]
    assert made["menus"] == 0


def test_a_scheduled_article_joins_the_menus_when_it_is_due(client, desk, made, clock):
    make_article("Youth Voices", topics=["Youth"], published_at=clock.now + timedelta(hours=1))
    assert "Youth" not in shown(client)
    clock.advance(hours=2)
    page = shown(client)
    assert "Youth Voices" in page
    assert '<option value="youth">Youth</option>' in page


def test_without_a_cache_every_worker_shares_nothing_is_kept(settings, client, desk, made):
    # Each worker would keep its own copies and never see another's invalidations.
    settings.FRAGMENT_CACHE = False
    shown(client)
    made["clear"]()
    author = Author.objects.get(name="Kadiatou Keita")
    author.name = "Kadiatou Keïta"
    author.save()
    assert "Kadiatou Keïta" in shown(client)
    assert len(made["cards"]) == 2 and made["menus"] == 1


def test_expire_pages_drops_the_fragments_too(client, desk, made):
    kept_then(client, made)
    caching.bump()  # what manage.py expire_pages does (a deploy with new templates)
    shown(client)
    assert len(made["cards"]) == 2 and made["menus"] == 1


def test_fragments_are_used_with_the_page_cache_on_too(page_cache, client, desk, made):
    shown(client, "/topics/global-policy/")
    made["clear"]()
    shown(client, "/regions/mali/")  # not in the page cache: made, with the kept card
    assert made["cards"] == []


def test_with_the_cache_down_everything_is_made_and_the_page_served(
    hanging_cache, client, desk, made, caplog
):
    shown(client)
    made["clear"]()
    hanging_cache.hung = True
    with caplog.at_level(logging.WARNING, logger="usip_cms.fragments"):
        page = shown(client)
    assert "Mali&#x27;s Transition" in page and "Kadiatou Keita" in page
    assert len(made["cards"]) == 2 and made["menus"] == 1
    # The breaker is open: the next pages do not wait for the cache at all.
    calls = hanging_cache.calls
    shown(client)
    assert hanging_cache.calls == calls


def test_a_change_made_while_the_cache_was_down_is_not_hidden_by_a_kept_card(
    hanging_cache, client, desk, made
):
    shown(client)
    hanging_cache.hung = True
    author = Author.objects.get(name="Kadiatou Keita")
    author.name = "Kadiatou Keïta"
    author.save()  # its new versions miss the cache: the outbox keeps the change
    hanging_cache.hung = False
    caching.health.paused_until = None  # the pause is over
    page = shown(client)
    assert "Kadiatou Keïta" in page


def test_a_card_made_on_a_french_page_is_not_shown_on_an_english_one(client):
    # The French page writes its cards' dates and labels in French.
    when = timezone.now() - timedelta(days=3)
    original = make_article("Sahel original", topics=["Gender"], published_at=when)
    make_article(
        "Sahel en français", slug="sahel-fr", language="fr", translation_of=original,
        topics=["Gender"], published_at=when,
    )  # fmt: skip
    make_article("Gender elsewhere", topics=["Gender"], authors=[make_author("Ana Ruiz")])
    french = get_page(client, "/publications/sahel-fr/").text
    assert "Par: <bdi>Ana Ruiz</bdi>" in french

    english = get_page(client, LIST).text
    assert "By: <bdi>Ana Ruiz</bdi>" in english and "Par:" not in english
