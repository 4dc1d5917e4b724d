"""The content model: bylines in order, two vocabularies apart, nested regions."""

import pytest
from django.db import IntegrityError

from articles.models import Article, ArticleAuthor
from publications.models import PublicationType, Region, Topic
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


def test_authors_keep_the_chosen_order(client):
    zed, amy = make_author("Zed Zulu"), make_author("Amy Alpha")
    article = make_article("Ordered", slug="ordered", authors=[zed, amy])
    assert article.ordered_authors == [zed, amy]
    page = client.get("/publications/ordered/").text
    assert page.index("Zed Zulu") < page.index("Amy Alpha")

    ArticleAuthor.objects.filter(article=article, author=zed).update(position=5)
    article = Article.objects.for_cards().get(pk=article.pk)
    assert article.ordered_authors == [amy, zed]


def test_same_person_writes_many_articles():
    author = make_author("Kadiatou Keita")
    make_article(authors=[author])
    make_article(authors=[author])
    assert author.articles.count() == 2


def test_an_author_appears_once_per_byline():
    author = make_author()
    article = make_article(authors=[author])
    with pytest.raises(IntegrityError):
        ArticleAuthor.objects.create(article=article, author=author, position=1)


def test_author_line_reads_as_a_sentence():
    author = make_author("Kadiatou Keita", role="a USIP security governance expert based in Mali")
    assert author.author_line == (
        "Kadiatou Keita is a USIP security governance expert based in Mali."
    )
    assert make_author("Ann", role="an expert on Iraq.").author_line == "Ann is an expert on Iraq."


def test_topics_and_regions_are_separate_vocabularies():
    article = make_article(topics=["Global Policy"], regions=["Mali"])
    assert [t.name for t in article.topics.all()] == ["Global Policy"]
    assert [r.name for r in article.regions.all()] == ["Mali"]
    # A new topic named like a region stays a topic; the region is untouched.
    article.topics.add("Sahel")
    assert Topic.objects.filter(name="Sahel").exists()
    assert Region.objects.get(name="Sahel").kind == Region.Kind.SUB_REGION
    assert not article.regions.filter(name="Sahel").exists()


def test_seeded_vocabularies():
    assert PublicationType.objects.count() >= 10
    assert PublicationType.objects.get(name="Special Report").is_report
    assert Topic.objects.count() == 19
    assert {"Africa", "Americas", "Asia", "Europe", "Middle East & North Africa"} <= set(
        Region.objects.filter(kind=Region.Kind.REGION).values_list("name", flat=True)
    )


def test_mali_is_found_under_africa_and_under_the_sahel():
    mali = make_article("Mali piece", regions=["Mali"])
    make_article("Kenya piece", regions=["Kenya"])
    ukraine = make_article("Ukraine piece", regions=["Ukraine"])
    africa, sahel = Region.objects.get(name="Africa"), Region.objects.get(name="Sahel")

    in_africa = set(Article.objects.published().in_region(africa).values_list("title", flat=True))
    in_sahel = set(Article.objects.published().in_region(sahel).values_list("title", flat=True))
    assert in_africa == {"Mali piece", "Kenya piece"}
    assert in_sahel == {"Mali piece"}
    assert ukraine.title not in in_africa
    assert mali.pk in Article.objects.in_region(Region.objects.get(name="Mali")).values_list(
        "pk", flat=True
    )


def test_an_article_tagged_with_country_and_region_is_listed_once():
    make_article("Both", regions=["Mali", "Africa", "Sahel"])
    africa = Region.objects.get(name="Africa")
    assert Article.objects.published().in_region(africa).count() == 1


def test_only_countries_have_a_parent_region():
    africa = Region.objects.get(name="Africa")
    with pytest.raises(IntegrityError):
        Region.objects.create(name="Bad", slug="bad", kind=Region.Kind.REGION, parent=africa)


def test_photo_needs_alt_text_unless_decorative():
    with pytest.raises(IntegrityError):
        make_photo(alt_text="")


def test_decorative_photo_may_have_no_alt_text():
    assert make_photo(alt_text="", is_decorative=True).pk


def test_caption_and_credit_are_shown_together():
    photo = make_photo(caption="Troops on patrol.", credit="Finbarr O'Reilly/The New York Times")
    assert photo.caption_with_credit == "Troops on patrol. (Finbarr O'Reilly/The New York Times)"


def test_body_is_sanitized_on_save():
    article = make_article(
        body='<h2>Heading</h2><p onclick="x()">Text <script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> <a href="https://usip.org">good</a></p>'
        "<style>p{}</style><ul><li>One</li></ul><blockquote>Quote</blockquote>"
    )
    article.refresh_from_db()
    assert "<h2>Heading</h2>" in article.body
    assert "<ul><li>One</li></ul>" in article.body
    assert "<blockquote>Quote</blockquote>" in article.body
    for bad in ("script", "onclick", "javascript:", "style", "alert"):
        assert bad not in article.body
    assert 'href="https://usip.org"' in article.body


def test_reading_time_follows_the_word_count():
    article = make_article(body="<p>" + "word " * 700 + "</p>")
    assert article.word_count == 700
    assert article.reading_minutes == 4


def test_slugs_are_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError):
        make_article(slug="same")
