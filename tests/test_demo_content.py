"""`manage.py load_demo`: the demo content, what a reload keeps, what --reset restores."""

import io
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from articles import revisions
from articles.models import Article, ArticleAuthor, Author, Photo, TaggedRegion, TaggedTopic
from publications.models import Region, Topic
from usip_cms.demo import content as demo
from usip_cms.demo.home import PICTURES
from usip_cms.demo.loader import demo_articles

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
    # (usip_cms/demo/home.py): each in four widths, AVIF, WebP and JPEG, and
    # its social card cut around its focal point.
    photos = 1 + len(PICTURES)
    assert counts["Photo"] == photos
    assert len([f for f in files if "/photos/" in f]) == photos
    assert len([f for f in files if "/renditions/" in f]) == photos * (4 * 3 + 1)
    assert len([f for f in files if f.endswith("-social.jpg")]) == photos
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


def logins(output):
    """username → password, for each account the output gives a password for."""
    return dict(re.findall(r"/admin/ as (\w+) / (\S+)", output))


def test_demo_accounts_with_debug_on(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8104"
    output = load_demo()
    passwords = logins(output)
    assert set(passwords) == {"editor", "author"}
    # The address printed is the one the server was started on.
    assert "Log into http://127.0.0.1:8104/admin/ as editor / " in output

    User = get_user_model()
    editor = User.objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    assert editor.check_password(passwords["editor"])
    author = User.objects.get(username="author")
    assert [g.name for g in author.groups.all()] == ["Authors"]
    assert User.objects.count() == 2


def test_reloading_keeps_the_accounts_passwords_and_sessions(client, settings):
    settings.DEBUG = True
    password = logins(load_demo())["editor"]
    assert client.login(username="editor", password=password)
    assert client.get("/admin/").status_code == 200

    output = load_demo()
    assert logins(output) == {}
    assert "as editor with the password printed when the account was made" in output
    assert "manage.py changepassword editor" in output
    assert get_user_model().objects.get(username="editor").check_password(password)
    # Still logged in: the session outlived the reload.
    assert client.get("/admin/").status_code == 200


def test_reset_gives_the_accounts_new_passwords(client, settings):
    settings.DEBUG = True
    old = logins(load_demo())["editor"]
    client.login(username="editor", password=old)
    editor = get_user_model().objects.get(username="editor")
    editor.groups.clear()

    new = logins(load_demo("--reset"))
    assert set(new) == {"editor", "author"} and new["editor"] != old
    editor.refresh_from_db()
    assert editor.check_password(new["editor"]) and not editor.check_password(old)
    assert [g.name for g in editor.groups.all()] == ["Editors"]
    # A new password ends the sessions opened with the old one.
    assert client.get("/admin/").status_code == 302


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


MAIN_SLUG = demo.MAIN_ARTICLE["slug"]
RENAMED = "Democracy in the Sahel Needs Safety First"


def edit_the_main_article():
    """What an editor might do to the demo's main article, its author and photo."""
    article = Article.objects.get(slug=MAIN_SLUG)
    article.title = RENAMED
    article.body = "<p>The editor’s own text.</p>"
    article.save()
    article.regions.remove(Region.objects.get(name="Mali"))
    article.bylines.all().delete()
    ArticleAuthor.objects.create(article=article, author=Author.objects.get(slug="priya-raman"))
    Author.objects.filter(slug="kadiatou-keita").update(role="a security governance expert")
    photo = article.lead_photo
    photo.caption = "An editor’s caption."
    photo.save()
    return article


def merge_topic(editor_client, name, into):
    """Merge a topic away with the admin's merge action, as an editor does."""
    topics = Topic.objects.filter(name__in=[name, into])
    data = {"action": "merge", "_selected_action": [t.pk for t in topics], "into": into}
    editor_client.post("/admin/publications/topic/", data, follow=True)
    assert not Topic.objects.filter(name=name).exists()


def test_a_fresh_database_gets_everything():
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", "--no-accounts", stdout=out, stderr=err)
    # Every name in the demo is in the seeded vocabularies: nothing is left out.
    assert err.getvalue() == ""
    assert (
        "Demo content: 50 articles (48 published, 1 draft, 1 scheduled), 15 authors and "
        "1 photo: 66 created. Reports: 12 added (series, numbers, takeaways, PDFs). "
        "Translations: 2 added (French, Arabic)." in out.getvalue()
    )
    # The 50, and the French and Arabic translations of the Sahel analysis.
    assert Article.objects.count() == 52 and Author.objects.count() == 15
    for data, status, _ in demo_articles():
        article = Article.objects.get(slug=data["slug"])
        assert (article.title, article.status) == (data["title"], status)
        assert [a.slug for a in article.ordered_authors] == data["authors"]
        assert {t.name for t in article.topics.all()} == set(data["topics"])
        assert {r.name for r in article.regions.all()} == set(data["regions"])


def test_reloading_keeps_what_editors_changed(client, editor_client):
    load_demo()
    article = edit_the_main_article()
    draft = Article.objects.get(slug=demo.DRAFT_ARTICLE["slug"])
    draft.body = "<p>The draft, well under way.</p>"
    draft.save()
    merge_topic(editor_client, "Violent Extremism", into="Fragility & Resilience")

    output = load_demo()
    # Articles and authors; the photo, its caption changed, is the editor's now.
    assert "created" not in output and "65 kept as they are" in output
    article.refresh_from_db()
    assert article.title == RENAMED and article.body == "<p>The editor’s own text.</p>"
    assert [a.name for a in article.ordered_authors] == ["Priya Raman"]
    assert {r.name for r in article.regions.all()} == {"Sahel"}
    # The merged topic is not put back, neither as a term nor on articles.
    assert not Topic.objects.filter(name="Violent Extremism").exists()
    assert {t.name for t in article.topics.all()} == {
        "Democracy & Governance",
        "Fragility & Resilience",
    }
    draft.refresh_from_db()
    assert draft.body == "<p>The draft, well under way.</p>"
    assert Author.objects.get(slug="kadiatou-keita").role == "a security governance expert"
    # The main photo, as the editor captioned it (beside the cards' pictures).
    assert article.lead_photo.caption == "An editor’s caption."
    assert Photo.objects.count() == 1 + len(PICTURES)
    assert RENAMED in page_text(client.get(f"/publications/{MAIN_SLUG}/"))


def test_reloading_brings_back_a_deleted_demo_article():
    load_demo()
    data = demo.LATEST_ARTICLES[0]
    Article.objects.filter(slug=data["slug"]).delete()
    assert "1 created" in load_demo()
    article = Article.objects.get(slug=data["slug"])
    assert [a.slug for a in article.ordered_authors] == data["authors"]
    assert {r.name for r in article.regions.all()} == set(data["regions"])


def test_reloading_draws_a_deleted_photo_file_again(settings):
    load_demo()
    photo = Photo.objects.get(caption=demo.MAIN_PHOTO["caption"])
    photo.image.storage.delete(photo.image.name)
    load_demo()
    photo = Photo.objects.get(caption=demo.MAIN_PHOTO["caption"])
    assert photo.image.storage.exists(photo.image.name)
    assert (photo.width, photo.height) == (1600, 900)


def test_reset_restores_the_demo_text_and_keeps_the_edit_in_the_history():
    load_demo()
    article = edit_the_main_article()
    revisions.record(article, None)  # as the admin does on each save
    version = article.version

    output = load_demo("--reset")
    # The demo photo drawn again; the article, its author and the scheduled
    # article (a year from now again) restored.
    assert "1 created, 3 restored to the demo text, 62 already as in the demo" in output
    article.refresh_from_db()
    assert article.title == demo.MAIN_ARTICLE["title"]
    assert "<h2>The Urgent Case of Mali</h2>" in article.body
    assert [a.slug for a in article.ordered_authors] == ["kadiatou-keita"]
    assert {r.name for r in article.regions.all()} == {"Mali", "Sahel"}
    assert article.lead_photo.caption == demo.MAIN_PHOTO["caption"]
    # The photo the editor captioned stays in the library.
    assert Photo.objects.filter(caption="An editor’s caption.").exists()
    assert Author.objects.get(slug="kadiatou-keita").role == demo.AUTHORS["kadiatou-keita"][1]
    # A form opened before the reset can no longer save over it.
    assert article.version == version + 1

    reset, edited = article.revisions.all()[:2]
    assert reset.note == "The demo text, restored by load_demo --reset"
    revisions.restore(edited, None)
    article.refresh_from_db()
    assert article.title == RENAMED


def test_reset_without_a_merged_topic_leaves_it_out_and_says_so(editor_client):
    load_demo()
    merge_topic(editor_client, "Violent Extremism", into="Fragility & Resilience")
    err = io.StringIO()
    call_command("load_demo", "--reset", stdout=io.StringIO(), stderr=err)
    assert (
        "There is no topic “Violent Extremism” (merged or deleted in the admin, or misspelt "
        f"in usip_cms/demo/): “{demo.MAIN_ARTICLE['title']}” was saved without it."
    ) in err.getvalue()
    article = Article.objects.get(slug=MAIN_SLUG)
    assert {t.name for t in article.topics.all()} == {
        "Democracy & Governance",
        "Fragility & Resilience",
    }
    assert not Topic.objects.filter(name="Violent Extremism").exists()


SPECIAL_REPORT = "chinas-global-security-initiative-takes-shape-southeast-central-asia"


def test_the_special_report_has_its_series_isbn_takeaways_and_pdfs(client):
    load_demo("--no-accounts")
    article = Article.objects.get(slug=SPECIAL_REPORT)
    assert article.report_number == "SR 535"
    assert article.series.name == "Special Reports"
    assert article.isbn_hyphenated == "978-1-60127-535-6"
    assert len(article.key_takeaways) == 5
    full, summary = article.editions.all()
    assert (full.kind, summary.kind) == ("full", "summary")

    response = client.get(article.get_absolute_url())
    assert '<a href="/series/special-reports/">Special Reports</a>, SR 535' in response.text
    text = page_text(response)
    assert "ISBN 978-1-60127-535-6" in text
    assert "Key Takeaways" in text and article.key_takeaways[0] in text
    assert re.search(rf"Full report English · PDF, [\d.]+\sKB, {full.page_count} pages", text)
    assert "Summary English · PDF," in text
    assert "Cite this" in text and "(Special Report No. 535)" in text

    response = client.get(full.get_absolute_url())
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) >= 4  # a title page, then the text
    assert reader.metadata.title == "United States Institute of Peace"


def test_the_sahel_analysis_has_key_takeaways():
    load_demo("--no-accounts")
    article = Article.objects.get(slug=demo.MAIN_ARTICLE["slug"])
    assert len(article.key_takeaways) == 4
    assert article.series is None and not article.editions.exists()


def test_reloading_keeps_the_reports_as_editors_left_them():
    load_demo("--no-accounts")
    article = Article.objects.get(slug=SPECIAL_REPORT)
    article.key_takeaways = ["Our own point."]
    article.isbn = "9780306406157"
    article.save()
    article.editions.get(kind="summary").delete()
    full_name = article.editions.get().file.name

    load_demo("--no-accounts")
    article.refresh_from_db()
    assert article.key_takeaways == ["Our own point."]
    assert article.isbn == "9780306406157"
    # A deleted demo PDF comes back, like a deleted demo article; the other is untouched.
    assert sorted(e.kind for e in article.editions.all()) == ["full", "summary"]
    assert article.editions.get(kind="full").file.name == full_name


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
