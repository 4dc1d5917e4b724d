"""The home page: the editors' featured stories, the latest, entry points, the feeds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from publications.models import FEATURED_LIMIT, Featured
from tests.factories import PageHead, make_article, make_author, make_featured, make_photo

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def lead_and_picks(response):
    context = response.context
    lead = context["lead"]
    return (lead.title if lead else None), [a.title for a in context["picks"]]


def test_the_editors_first_choice_leads_and_the_others_follow_in_their_order(client):
    old = make_article("Old but chosen", published_at=days_ago(300), lead_photo=make_photo())
    second = make_article("Second choice", published_at=days_ago(200))
    third = make_article("Third choice", published_at=days_ago(100))
    make_article("Newest, not chosen", lead_photo=make_photo())
    make_featured(old, third, second)

    response = home(client)

    lead, picks = lead_and_picks(response)
    assert lead == "Old but chosen"
    # Then the fourth place goes to the newest item with a photo.
    assert picks == ["Third choice", "Second choice", "Newest, not chosen"]
    # The lead story shows its picture, type, title, summary and authors.
    html = response.text
    lead = html.split('class="lead-story"')[1].split("</article>")[0]
    assert 'fetchpriority="high"' in lead and 'loading="lazy"' not in lead
    assert ">Analysis</a>" in lead
    assert 'href="/publications/' + old.slug + '/">Old but chosen</a>' in lead
    assert "Summary of Old but chosen." in lead


def test_the_lead_story_names_its_authors(client):
    keita = make_author("Kadiatou Keita")
    make_featured(make_article("Chosen", authors=[keita, make_author("Joseph Sany")]))

    lead = home(client).text.split('class="lead-story"')[1].split("</article>")[0]

    assert "By: <bdi>Kadiatou Keita</bdi>; <bdi>Joseph Sany</bdi>" in lead


def test_with_few_chosen_the_newest_pictured_items_fill_the_places(client):
    chosen = make_article("Chosen", published_at=days_ago(50))
    make_article("Newest, no photo")
    make_article("Newer with photo", published_at=days_ago(2), lead_photo=make_photo())
    make_article("Older with photo", published_at=days_ago(3), lead_photo=make_photo())
    make_featured(chosen)

    lead, picks = lead_and_picks(home(client))

    assert lead == "Chosen"
    assert picks[:2] == ["Newer with photo", "Older with photo"]


def test_with_nothing_chosen_the_newest_item_with_a_photo_leads(client):
    make_article("Newest, no photo")
    make_article("Pictured", published_at=days_ago(5), lead_photo=make_photo())
    make_article("Pictured earlier", published_at=days_ago(9), lead_photo=make_photo())

    assert lead_and_picks(home(client))[0] == "Pictured"


def test_a_chosen_item_that_is_not_published_does_not_show(client):
    draft = make_article("Draft chosen", status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article("Scheduled chosen", published_at=timezone.now() + timedelta(days=3))
    make_article("Public", lead_photo=make_photo())
    make_featured(draft, scheduled)

    response = home(client)

    assert lead_and_picks(response)[0] == "Public"
    assert "Draft chosen" not in response.text and "Scheduled chosen" not in response.text


def test_latest_publications_leave_out_the_stories_above_them(client):
    items = [make_article(f"Item {i}", published_at=days_ago(i)) for i in range(12)]
    make_featured(items[0], items[5])

    response = home(client)

    stories = {response.context["lead"].title, *[a.title for a in response.context["picks"]]}
    latest = [a.title for a in response.context["latest"]]
    assert len(latest) == 6  # full rows of two and of three cards
    assert not stories & set(latest)
    assert latest == sorted(latest, key=lambda t: int(t.split()[1]))


def test_topics_and_regions_are_offered_with_their_counts(client):
    make_article(topics=["Youth"], regions=["Mali"])
    make_article(topics=["Youth"], regions=["Niger"])
    make_article(topics=["Gender"], regions=["Kenya"])
    make_article(topics=["Gender"], status=Article.Status.DRAFT, published_at=None)

    response = home(client)

    topics = [(t.name, t.article_count) for t in response.context["topics"]]
    regions = [(r.name, r.article_count) for r in response.context["regions"]]
    assert topics == [("Youth", 2), ("Gender", 1)]
    # Regions and sub-regions, counted as their pages count: Africa holds all
    # three (Mali, Niger, Kenya), the Sahel two.
    assert regions == [("Africa", 3), ("Sahel", 2)]
    assert client.get("/regions/africa/").context["paginator"].count == 3
    html = response.text
    assert 'href="/topics/youth/">Youth</a>' in html
    assert 'href="/regions/sahel/">Sahel</a>' in html
    assert 'href="/topics/">All topics</a>' in html


def test_home_page_offers_the_feeds_to_subscribe_to(client):
    make_article()
    html = home(client).text
    body = html.split("<main")[1].split("</main>")[0]
    assert "Subscribe" in body
    assert '<a href="/feeds/rss/" type="application/rss+xml">RSS</a>' in body
    assert '<a href="/feeds/atom/" type="application/atom+xml">Atom</a>' in body


def test_home_page_describes_the_site_with_its_search(client, settings):
    make_article()
    head = PageHead(home(client).text)

    [site] = head.of_type("WebSite")
    assert site["url"] == settings.SITE_URL + "/"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == (
        settings.SITE_URL + "/publications/?q={search_term_string}"
    )
    assert action["query-input"] == "required name=search_term_string"
    assert site["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert head.meta["og:type"] == ["website"]
    assert head.meta["og:url"] == [settings.SITE_URL + "/"]
    assert head.meta["twitter:card"] == ["summary"]


def test_home_page_with_no_publications_has_no_empty_story(client):
    response = home(client)
    assert response.context["lead"] is None
    assert 'class="lead-story"' not in response.text
    assert "No publications yet." in response.text


# --- The admin ---------------------------------------------------------------


def test_an_editor_features_an_article_in_the_admin(editor_client):
    article = make_article("To feature")
    response = editor_client.post(
        "/admin/publications/featured/add/", {"article": article.pk, "position": 0}
    )
    assert response.status_code == 302
    assert [f.article for f in Featured.objects.all()] == [article]
    listing = editor_client.get("/admin/publications/featured/")
    assert listing.status_code == 200
    assert "To feature" in listing.text


def test_the_admin_refuses_more_than_the_limit_and_keeps_the_choice(editor_client):
    make_featured(*[make_article() for _ in range(FEATURED_LIMIT)])
    extra = make_article("One too many")

    response = editor_client.post(
        "/admin/publications/featured/add/", {"article": extra.pk, "position": 7}
    )

    assert response.status_code == 200
    assert f"at most {FEATURED_LIMIT} items; remove one first" in response.text
    assert 'value="7"' in response.text  # what was typed stays in the form
    assert Featured.objects.count() == FEATURED_LIMIT


def test_authors_cannot_change_the_home_page(author_client):
    assert author_client.get("/admin/publications/featured/").status_code == 403


def test_choosing_a_featured_item_makes_the_cached_home_page_new(client, settings):
    settings.PAGE_CACHE = True
    article = make_article("Chosen later", published_at=days_ago(40))
    make_article("Newest", lead_photo=make_photo())

    def lead_story():
        html = home(client).text
        return html.split('class="lead-story"')[1].split("</article>")[0]

    lead_story()  # starts the cache's generation
    assert "Newest" in lead_story()  # stored
    assert "Newest" in lead_story()  # served from the cache

    make_featured(article)

    assert "Chosen later" in lead_story()


@pytest.mark.parametrize(
    "url", ["/", "/publications/", "/publications/on-mali/", "/topics/youth/", "/regions/"]
)
def test_every_page_shows_a_subscribe_link_to_the_feeds(client, url):
    make_article(slug="on-mali", topics=["Youth"], regions=["Mali"])
    html = client.get(url).text
    footer = html.split('<footer class="site-footer">')[1]
    assert "Subscribe" in footer
    assert '<a href="/feeds/rss/" type="application/rss+xml">RSS</a>' in footer
    assert '<a href="/feeds/atom/" type="application/atom+xml">Atom</a>' in footer
