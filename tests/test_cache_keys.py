"""A change drops only the cached pages that show what it changed
(usip_cms/cache_keys.py); every other page stays cached.

Each test caches a set of pages, makes one change, then checks that the
pages showing it are made anew (and show it) and the others are still
served from the cache (X-Cache: HIT). tests/test_caching.py checks that no
kind of change is ever missed; tests/test_front_cache.py checks the same
keys through Varnish.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author
from publications.models import Topic
from tests.factories import (
    get_page,
    make_article,
    make_author,
    make_edition,
    make_series,
    served_from_cache,
    two_desks,
)
from usip_cms import caching

pytestmark = pytest.mark.django_db

MALI = "/publications/malis-transition/"
COLOMBIA = "/publications/colombias-peace-accord/"
# Pages that show nothing of the Mali article.
COLOMBIA_DESK = [
    COLOMBIA,
    "/topics/reconciliation/",
    "/topics/reconciliation/rss/",
    "/regions/colombia/",
    "/regions/americas/",
    "/people/diego-rivera/",
    "/types/report/",
]
# Pages that show the newest publications.
LISTS = ["/", "/publications/", "/feeds/rss/", "/feeds/atom/", "/sitemap-articles.xml"]
MALI_DESK = [
    MALI,
    "/topics/global-policy/",
    "/topics/global-policy/atom/",
    "/regions/mali/",
    "/regions/africa/",
    "/people/kadiatou-keita/",
    "/types/analysis/",
]


def cache_pages(client, urls):
    for url in urls:
        get_page(client, url)
    assert all(served_from_cache(client, url) for url in urls)


def still_cached(client, urls):
    return [url for url in urls if not served_from_cache(client, url)]


def test_an_edit_leaves_the_pages_that_do_not_show_the_article_cached(any_page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, [*MALI_DESK, *COLOMBIA_DESK, "/publications/"])

    mali.title = "Mali Votes"
    mali.save()

    for url in [MALI, "/topics/global-policy/", "/people/kadiatou-keita/", "/publications/"]:
        assert "Mali Votes" in get_page(client, url).text, url
    assert still_cached(client, COLOMBIA_DESK) == []


def test_saving_drafts_invalidates_nothing(page_cache, client):
    two_desks()
    pages = [*LISTS, *MALI_DESK, *COLOMBIA_DESK, "/topics/", "/regions/"]
    cache_pages(client, pages)

    # Everything an author does before publishing: a new author record, a
    # draft with its byline and tags, edits, review.
    newcomer = make_author("Amara Diallo", slug="amara-diallo")
    draft = make_article(
        "Unreleased Findings", slug="unreleased", status=Article.Status.DRAFT,
        published_at=None, authors=[newcomer, Author.objects.get(slug="kadiatou-keita")],
        topics=["Global Policy", "Youth"], regions=["Mali"],
    )  # fmt: skip
    draft.body = "<p>Second thoughts.</p>"
    draft.save()
    draft.topics.remove(Topic.objects.get(name="Youth"))
    newcomer.role = "a researcher on the Sahel"
    newcomer.save()
    draft.status = Article.Status.REVIEW
    draft.save()

    assert still_cached(client, pages) == []
    assert client.get("/publications/unreleased/").status_code == 404


def test_publishing_drops_the_lists_feeds_sitemap_and_its_terms_and_authors_pages(
    any_page_cache, client
):
    two_desks()
    cache_pages(client, [*LISTS, "/sitemap.xml", *MALI_DESK, *COLOMBIA_DESK])
    draft = make_article(
        "Sahel Mediation Resumes", slug="sahel-mediation", status=Article.Status.DRAFT,
        published_at=None, authors=[Author.objects.get(slug="kadiatou-keita")],
        topics=["Global Policy"], regions=["Mali"],
    )  # fmt: skip

    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()

    for url in [*LISTS, *MALI_DESK]:
        page = get_page(client, url).text
        assert "Sahel Mediation Resumes" in page or "sahel-mediation" in page, url
    assert not served_from_cache(client, "/sitemap.xml")  # the articles' last change
    # The Colombia article's page shows the newest publications too; the
    # Colombia desk's lists do not.
    assert "Sahel Mediation Resumes" in get_page(client, COLOMBIA).text
    assert still_cached(client, COLOMBIA_DESK[1:]) == []


def test_unpublishing_drops_the_article_from_every_page_that_showed_it(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, [*LISTS, *MALI_DESK, *COLOMBIA_DESK[1:]])

    mali.status = Article.Status.DRAFT
    mali.save()

    # Its term pages are gone with it: it was their only article.
    for url in MALI_DESK:
        assert client.get(url).status_code == 404, url
    for url in ["/", "/publications/", "/feeds/rss/"]:
        assert "Mali&#x27;s Transition" not in get_page(client, url).text, url
    assert "malis-transition" not in get_page(client, "/sitemap-articles.xml").text
    assert still_cached(client, COLOMBIA_DESK[1:]) == []


def test_deleting_an_article_drops_it_from_its_lists(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, [MALI, "/publications/", "/topics/global-policy/", *COLOMBIA_DESK[1:]])

    mali.delete()

    assert client.get(MALI).status_code == 404
    assert "Mali&#x27;s Transition" not in get_page(client, "/publications/").text
    assert client.get("/topics/global-policy/").status_code == 404  # its only article
    assert still_cached(client, COLOMBIA_DESK[1:]) == []


def test_a_new_topic_moves_a_published_article_into_that_topics_pages(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, ["/topics/reconciliation/", "/topics/economics/", "/regions/colombia/"])

    mali.topics.add(Topic.objects.get(name="Reconciliation"))

    assert "Mali&#x27;s Transition" in get_page(client, "/topics/reconciliation/").text
    assert still_cached(client, ["/topics/economics/", "/regions/colombia/"]) == []

    mali.topics.remove(Topic.objects.get(name="Reconciliation"))

    assert "Mali&#x27;s Transition" not in get_page(client, "/topics/reconciliation/").text


def test_a_new_byline_puts_the_article_on_the_authors_page(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, ["/people/diego-rivera/", MALI, "/topics/economics/"])

    ArticleAuthor.objects.create(
        article=mali, author=Author.objects.get(slug="diego-rivera"), position=1
    )

    assert "Mali&#x27;s Transition" in get_page(client, "/people/diego-rivera/").text
    assert "Diego Rivera" in get_page(client, MALI).text
    assert still_cached(client, ["/topics/economics/"]) == []


def test_renaming_an_author_changes_their_articles_and_no_one_elses(page_cache, client):
    two_desks()
    cache_pages(client, [MALI, "/topics/global-policy/", *COLOMBIA_DESK])

    keita = Author.objects.get(slug="kadiatou-keita")
    keita.name = "Kadiatou Keïta-Traoré"
    keita.save()

    for url in [MALI, "/topics/global-policy/", "/people/kadiatou-keita/"]:
        assert "Kadiatou Keïta-Traoré" in get_page(client, url).text, url
    assert still_cached(client, COLOMBIA_DESK) == []


def test_a_new_caption_changes_only_the_article_with_the_photo(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, [MALI, *COLOMBIA_DESK])

    photo = mali.lead_photo
    photo.caption = "Voters queue in Bamako."
    photo.save()

    assert "Voters queue in Bamako." in get_page(client, MALI).text
    assert still_cached(client, COLOMBIA_DESK) == []


def test_a_search_finds_an_article_whose_title_now_matches(page_cache, client):
    _mali, colombia = two_desks()
    assert "Colombia&#x27;s" not in get_page(client, "/publications/?q=ceasefire").text

    colombia.title = "Colombia's Ceasefire"
    colombia.save()

    assert "Colombia&#x27;s Ceasefire" in get_page(client, "/publications/?q=ceasefire").text


def test_scheduling_an_article_sooner_ends_the_life_of_the_pages_it_will_join(
    page_cache, client, clock
):
    two_desks()
    scheduled = make_article("Scheduled Brief", topics=["Global Policy"],
                             published_at=clock.now + timedelta(days=1))  # fmt: skip
    cache_pages(client, ["/publications/", "/topics/global-policy/"])

    scheduled.published_at = clock.now + timedelta(seconds=30)
    scheduled.save()

    for url in ["/publications/", "/topics/global-policy/"]:
        page = get_page(client, url)
        assert page["Cache-Control"].endswith("s-maxage=30"), url
    clock.advance(seconds=30)
    for url in ["/publications/", "/topics/global-policy/", "/feeds/rss/"]:
        assert "Scheduled Brief" in get_page(client, url).text, url


def test_a_page_made_while_a_change_is_saved_is_not_kept(page_cache, client, monkeypatch):
    """The list is read, then another app server saves a new title before the
    page is finished: the page shows the old title, so no cache may keep it."""
    mali, _colombia = two_desks()
    from publications.views import PublicationListView

    make_context = PublicationListView.get_context_data

    def edited_meanwhile(view, **kwargs):
        context = make_context(view, **kwargs)
        list(context["articles"])
        Article.objects.filter(pk=mali.pk).update(title="Mali Votes")
        caching.new_generation(keys={f"article:{mali.pk}"})  # that server's change
        return context

    monkeypatch.setattr(PublicationListView, "get_context_data", edited_meanwhile)
    made_meanwhile = get_page(client, "/publications/")
    monkeypatch.undo()

    assert "Mali Votes" not in made_meanwhile.text
    assert made_meanwhile["Cache-Control"] == "private, no-cache"
    assert "Mali Votes" in get_page(client, "/publications/").text


def test_an_edit_of_a_related_article_shows_on_the_pages_that_list_it(page_cache, client):
    two_desks()
    niger = make_article("Niger After the Coup", topics=["Global Policy"],
                         published_at=timezone.now() - timedelta(days=20))  # fmt: skip
    assert "Niger After the Coup" in get_page(client, MALI).text  # a related card
    cache_pages(client, [MALI, COLOMBIA])

    niger.title = "Niger, a Year On"
    niger.save()

    assert "Niger, a Year On" in get_page(client, MALI).text
    assert still_cached(client, [COLOMBIA]) == []


def test_another_app_server_serves_the_page_and_sees_what_changed(
    redis_page_cache, client, monkeypatch
):
    """Each process remembers the keys of the pages it stored, to fetch their
    versions with the page; one that never saw the page reads them from it."""
    mali, _colombia = two_desks()
    cache_pages(client, [MALI, COLOMBIA])

    monkeypatch.setattr(caching, "remembered_keys", {})  # another app server
    assert still_cached(client, [MALI, COLOMBIA]) == []

    mali.title = "Mali Votes"
    mali.save()
    monkeypatch.setattr(caching, "remembered_keys", {})  # and another

    assert "Mali Votes" in get_page(client, MALI).text
    assert still_cached(client, [COLOMBIA]) == []


def test_numbering_an_article_in_a_series_puts_it_on_the_series_page(page_cache, client):
    _mali, colombia = two_desks()
    series = make_series(type_name="Report")
    make_article("Sudan's War", type_name="Report", series=series, series_number=1)
    cache_pages(client, ["/series/special-reports/", "/topics/global-policy/", MALI])
    assert "Colombia&#x27;s Peace Accord" not in get_page(client, "/series/special-reports/").text

    colombia.series, colombia.series_number = series, 2
    colombia.save()

    assert "Colombia&#x27;s Peace Accord" in get_page(client, "/series/special-reports/").text
    assert still_cached(client, ["/topics/global-policy/", MALI]) == []
    assert "Sudan&#x27;s War" in get_page(client, "/series/special-reports/").text


def test_a_new_pdf_edition_shows_on_its_article_only(page_cache, client):
    mali, _colombia = two_desks()
    cache_pages(client, [MALI, *COLOMBIA_DESK])

    make_edition(mali)

    assert "PDF" in get_page(client, MALI).text
    assert still_cached(client, COLOMBIA_DESK) == []
