"""`manage.py load_demo`: the demo content, its idempotence and its accounts."""

import io
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, ArticleAuthor, Author, Photo, TaggedRegion, TaggedTopic
from usip_cms.demo import content as demo

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

LATEST_TITLES = [
    "China and Ukraine: Pulling Its Weight with Russia or Potemkin Peacemaker?",
    "U.S. Concerns Over ‘Axis of Authoritarianism’ Cloud Final Biden-Xi Meeting",
    "China’s Global Security Initiative Takes Shape in Southeast and Central Asia",
    "A Delicate Balance: Promoting Nuclear Energy While Preventing Proliferation",
    "Iraq’s Lingering ISIS Challenge and the Role of Dialogue in Return and Reintegration",
]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def page_text(response):
    """The words of a page, as a reader sees them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def snapshot(media_root):
    models = [Article, Author, Photo, ArticleAuthor, TaggedTopic, TaggedRegion]
    files = sorted(str(p) for p in media_root.rglob("*") if p.is_file())
    return {model.__name__: model.objects.count() for model in models}, files


def test_loading_twice_leaves_the_same_rows_and_files(settings):
    first_output = load_demo()
    first = snapshot(settings.MEDIA_ROOT)
    load_demo()
    assert snapshot(settings.MEDIA_ROOT) == first
    counts, files = first
    # The Sahel analysis's photo and the six pictures of the cards
    # (usip_cms/demo/home.py), each in four widths, AVIF, WebP and JPEG.
    assert counts["Photo"] == 7
    assert len([f for f in files if "/photos/" in f]) == 7
    assert len([f for f in files if "/renditions/" in f]) == 7 * 4 * 3
    assert "Demo content:" in first_output


def test_main_article(client):
    load_demo()
    article = Article.objects.get(slug=demo.MAIN_ARTICLE["slug"])
    assert article.publication_type.name == "Analysis"
    assert [a.name for a in article.ordered_authors] == ["Kadiatou Keita"]
    assert {r.name for r in article.regions.all()} == {"Mali", "Sahel"}
    assert {t.name for t in article.topics.all()} == {
        "Democracy & Governance",
        "Fragility & Resilience",
        "Violent Extremism",
    }
    assert article.published_at.isoformat() == "2021-10-28T14:00:00+00:00"
    assert "<h2>The Urgent Case of Mali</h2>" in article.body
    assert "<h2>Shifting to ‘Human Security’</h2>" in article.body
    assert article.body.count("<li>") == 4 and "<ul>" in article.body
    assert 900 <= article.word_count <= 1200

    photo = article.lead_photo
    assert photo.caption and photo.alt_text
    assert photo.credit == "Finbarr O'Reilly/The New York Times"
    assert "O'Reilly" not in photo.caption
    assert (photo.width, photo.height) == (1600, 900)

    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "Kadiatou Keita is a USIP security governance expert based in Mali." in text
    # The author line comes from Author.role only, never from the body too.
    assert text.count("is a USIP security governance expert") == 1
    assert f"{photo.caption} (Finbarr O'Reilly/The New York Times)" in text


def test_home_shows_the_five_latest_in_source_order(client):
    load_demo()
    latest = Article.objects.published().newest_first()[:5]
    assert [a.title for a in latest] == LATEST_TITLES
    assert Article.objects.get(title=LATEST_TITLES[2]).report_number == "SR 535"

    text = page_text(client.get("/"))
    positions = [text.index(title) for title in LATEST_TITLES]
    assert positions == sorted(positions)
    assert "Friday, November 22, 2024" in text
    assert "Type: Special Report" in text


def test_publication_list_has_a_second_page(client):
    load_demo()
    assert client.get("/publications/?page=2").status_code == 200


def test_draft_and_scheduled_items_are_not_public(client):
    load_demo()
    hidden = [demo.DRAFT_ARTICLE, demo.SCHEDULED_ARTICLE]
    assert Article.objects.get(slug=demo.SCHEDULED_ARTICLE["slug"]).is_scheduled
    pages = ["/", "/publications/", "/publications/?page=2", "/publications/?page=3"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for data in hidden:
            assert data["title"] not in unescape(response.text), url
    for data in hidden:
        assert client.get(f"/publications/{data['slug']}/").status_code == 404


def test_every_article_is_published_with_a_date_except_the_draft():
    load_demo()
    unpublished = Article.objects.exclude(status=Article.Status.PUBLISHED)
    assert [a.slug for a in unpublished] == [demo.DRAFT_ARTICLE["slug"]]
    assert not Article.objects.filter(status="published", published_at=None).exists()


def test_demo_accounts_with_debug_on(settings):
    settings.DEBUG = True
    output = load_demo()
    passwords = dict(re.findall(r"/admin/ as (\w+) / (\S+)", output))
    assert set(passwords) == {"editor", "author"}
    assert "Log into http://127.0.0.1:8000/admin/ as editor / " in output

    User = get_user_model()
    editor = User.objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    assert editor.check_password(passwords["editor"])
    author = User.objects.get(username="author")
    assert [g.name for g in author.groups.all()] == ["Authors"]

    # A second run resets the password: the old one stops working.
    new_passwords = dict(re.findall(r"/admin/ as (\w+) / (\S+)", load_demo()))
    editor.refresh_from_db()
    assert new_passwords["editor"] != passwords["editor"]
    assert editor.check_password(new_passwords["editor"])
    assert User.objects.count() == 2


def test_no_demo_accounts_with_debug_off(settings):
    settings.DEBUG = False
    err = io.StringIO()
    call_command("load_demo", stdout=io.StringIO(), stderr=err)
    assert "DEBUG is off" in err.getvalue()
    assert not get_user_model().objects.exists()
    assert Article.objects.exists()


def test_no_accounts_flag(settings):
    settings.DEBUG = True
    output = load_demo("--no-accounts")
    assert "Log into" not in output
    assert not get_user_model().objects.exists()


def test_the_sahel_analysis_is_related_to_sahel_pieces(client):
    from publications.models import Region

    load_demo()
    sahel = Region.objects.get(slug="sahel")
    in_the_sahel = set(Article.objects.published().in_region(sahel).values_list("pk", flat=True))

    response = client.get(f"/publications/{demo.MAIN_ARTICLE['slug']}/")

    related = response.context["related"]
    assert len(related) == 3
    assert all(article.pk in in_the_sahel for article in related), [a.title for a in related]


def test_the_home_page_leads_with_a_featured_story_and_pictured_cards(client):
    load_demo()
    response = client.get("/")

    assert response.context["lead"].slug == demo.MAIN_ARTICLE["slug"]
    assert len(response.context["picks"]) == 3
    assert all(a.lead_photo for a in [response.context["lead"], *response.context["picks"]])
    # Cards with pictures and cards without, as an archive has.
    latest = response.context["latest"]
    assert [a.title for a in latest[:5]] == LATEST_TITLES
    assert all(a.lead_photo for a in latest[:5])
    listing = client.get("/publications/?page=2").context["articles"]
    assert any(a.lead_photo for a in listing) and not all(a.lead_photo for a in listing)
