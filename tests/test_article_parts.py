"""The article page's own parts (articles/page_parts.py): kept between
requests, never stale after any kind of change to what they show, kept
through a change to anything else, never kept for a preview.

The page cache is off here (as in every test unless turned on), so each
article page is made anew; the default cache (local memory) holds the parts.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author, Photo
from publications.models import PublicationType, Region, Topic
from tests.factories import (
    get_page,
    make_article,
    make_author,
    make_edition,
    make_photo,
    make_series,
)
from usip_cms import caching

pytestmark = pytest.mark.django_db

MALI = "/publications/malis-transition/"


@pytest.fixture
def mali():
    return make_article(
        "Mali's Transition", slug="malis-transition", summary="A year of talks.",
        authors=[make_author("Kadiatou Keita", role="a USIP expert on the Sahel")],
        topics=["Global Policy"], regions=["Mali"], lead_photo=make_photo(),
        published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip


def kept_then(client, parts_made, url=MALI):
    """Load the page until its parts are kept, and clear the record."""
    first = get_page(client, url).text
    parts_made.clear()
    assert get_page(client, url).text == first
    assert parts_made == []
    return first


def test_the_parts_are_made_once_then_the_same_page_is_served_from_them(client, mali, parts_made):
    first = get_page(client, MALI).text
    assert parts_made == ["Mali's Transition"]
    assert "Kadiatou Keita" in first and "A year of talks." in first
    assert '<script type="application/ld+json">' in first
    parts_made.clear()
    assert get_page(client, MALI).text == first
    assert parts_made == []


def test_an_edit_of_the_article_is_seen(client, mali, parts_made):
    kept_then(client, parts_made)
    mali.summary = "Elections are set for February."
    mali.body = "<p>The vote was moved.</p>"
    mali.save()
    page = get_page(client, MALI).text
    assert "Elections are set for February." in page and "The vote was moved." in page
    assert '"description": "Elections are set for February."' in page  # JSON-LD
    assert parts_made == ["Mali's Transition"]


def test_an_edit_by_update_is_seen_in_the_articles_own_row(client, mali, parts_made):
    kept_then(client, parts_made)
    Article.objects.filter(pk=mali.pk).update(title="Mali Votes")  # no signal
    page = get_page(client, MALI).text
    assert "<h1>Mali Votes</h1>" in page
    assert '<meta property="og:title" content="Mali Votes">' in page


def test_renditions_remade_by_update_are_seen(client, mali, parts_made):
    kept_then(client, parts_made)
    renditions = [{**r, "jpeg": r["jpeg"].replace(".jpg", "-v2.jpg")} for r in
                  mali.lead_photo.renditions]  # fmt: skip
    # As manage.py renditions writes them.
    Photo.objects.filter(pk=mali.lead_photo_id).update(renditions=renditions)
    assert "-v2.jpg" in get_page(client, MALI).text


def test_an_author_rename_and_a_new_byline_are_seen(client, mali, parts_made):
    kept_then(client, parts_made)
    author = Author.objects.get(name="Kadiatou Keita")
    author.name = "Kadiatou Keïta-Traoré"
    author.save()
    page = get_page(client, MALI).text
    assert "Kadiatou Keïta-Traoré" in page and "Kadiatou Keita<" not in page
    assert '<meta name="citation_author" content="Kadiatou Keïta-Traoré">' in page
    mali.authors.add(make_author("Oumar Ba"), through_defaults={"position": 1})
    assert ">Oumar Ba</a>" in get_page(client, MALI).text


def test_a_tag_added_and_a_term_renamed_are_seen(client, mali, parts_made):
    kept_then(client, parts_made)
    mali.topics.add(Topic.objects.get_or_create(name="Reconciliation", slug="reconciliation")[0])
    page = get_page(client, MALI).text
    assert '<meta property="article:tag" content="Reconciliation">' in page
    assert 'href="/topics/reconciliation/"' in page
    parts_made.clear()
    topic = Topic.objects.get(name="Global Policy")
    topic.name = "World Policy"
    topic.save()
    page = get_page(client, MALI).text
    assert '<meta property="article:tag" content="World Policy">' in page
    assert parts_made == ["Mali's Transition"]
    parts_made.clear()
    region = Region.objects.get(name="Mali")
    region.name = "Republic of Mali"
    region.save()
    assert "Republic of Mali" in get_page(client, MALI).text
    assert parts_made == ["Mali's Transition"]


def test_a_type_and_a_series_renamed_are_seen(client, parts_made):
    series = make_series()
    make_article(
        "Security Sector Reform", slug="ssr", type_name="Special Report", series=series,
        series_number=530,
    )  # fmt: skip
    kept_then(client, parts_made, "/publications/ssr/")
    series.name = "Flagship Reports"
    series.save()
    assert ">Flagship Reports</a>, SR" in get_page(client, "/publications/ssr/").text
    kind = PublicationType.objects.get(name="Special Report")
    kind.name = "Study"
    kind.save()
    page = get_page(client, "/publications/ssr/").text
    assert '<a href="/types/special-report/">Study</a>' in page


def test_a_pdf_edition_added_shows_its_download(client, mali, parts_made):
    kept_then(client, parts_made)
    edition = make_edition(mali)
    page = get_page(client, MALI).text
    assert edition.get_absolute_url() in page
    assert '"encodingFormat": "application/pdf"' in page


def test_a_region_joining_a_sub_region_changes_the_related_ranking(client, mali, parts_made):
    horn = Region.objects.get(name="Horn of Africa")
    neighbour = horn.members.first()
    make_article("Drought in the Horn", slug="horn", regions=[neighbour.name], type_name="Report")
    make_article("Youth in Colombia", slug="colombia", regions=["Colombia"], topics=["Youth"])
    page = kept_then(client, parts_made)
    assert "Drought in the Horn" not in page[: page.index("Latest Publications")]
    horn.members.add(Region.objects.get(name="Mali"))
    page = get_page(client, MALI).text
    related = page[page.index("Related Publications") : page.index("Latest Publications")]
    assert "Drought in the Horn" in related and "Youth in Colombia" not in related


def test_a_translation_published_shows_with_the_parts_kept(client, mali, parts_made):
    kept_then(client, parts_made)
    make_article(
        "La transition au Mali", slug="transition-mali", language="fr", translation_of=mali,
        topics=["Global Policy"], regions=["Mali"],
    )  # fmt: skip
    page = get_page(client, MALI).text
    assert '<link rel="alternate" hreflang="fr" href="http://' in page
    assert "Also available in:" in page and 'href="/publications/transition-mali/"' in page
    assert '"workTranslation"' in page
    assert parts_made == []  # what depends on other articles is made with the page


def test_an_unrelated_change_keeps_the_parts(client, mali, parts_made):
    other = make_article("Colombia's Peace Accord", authors=[make_author("Diego Rivera")])
    kept_then(client, parts_made)
    other.summary = "A new summary."
    other.save()
    author = Author.objects.get(name="Diego Rivera")
    author.name = "Diego Rivera Ospina"
    author.save()
    make_article("A draft", status=Article.Status.DRAFT, topics=["Global Policy"])
    get_page(client, MALI)
    assert parts_made == []


def test_a_preview_is_never_kept(admin_client, parts_made):
    draft = make_article("Draft on Mali", slug="draft-mali", status=Article.Status.DRAFT)
    get_page(admin_client, "/publications/draft-mali/")
    # A draft's tag changes no key and leaves its row as it was: only a part
    # made anew shows it.
    draft.topics.add(Topic.objects.get_or_create(name="Reconciliation", slug="reconciliation")[0])
    page = get_page(admin_client, "/publications/draft-mali/").text
    assert 'href="/topics/reconciliation/"' in page
    assert parts_made == ["Draft on Mali", "Draft on Mali"]
    draft.status = Article.Status.PUBLISHED
    draft.save()
    parts_made.clear()
    kept_then(admin_client, parts_made, "/publications/draft-mali/")  # staff read kept parts


def test_without_a_cache_every_worker_shares_the_parts_are_made_each_time(
    settings, client, mali, parts_made
):
    settings.FRAGMENT_CACHE = False
    get_page(client, MALI)
    get_page(client, MALI)
    assert parts_made == ["Mali's Transition", "Mali's Transition"]


def test_expire_pages_drops_the_parts_too(client, mali, parts_made):
    kept_then(client, parts_made)
    caching.bump()  # what manage.py expire_pages does (a deploy with new templates)
    get_page(client, MALI)
    assert parts_made == ["Mali's Transition"]


def test_with_the_cache_down_the_parts_are_made_and_the_page_served(
    hanging_cache, client, mali, parts_made
):
    get_page(client, MALI)
    hanging_cache.hung = True
    parts_made.clear()
    page = get_page(client, MALI).text
    assert "Kadiatou Keita" in page and parts_made == ["Mali's Transition"]
