"""The search page, /search/?q=…, and the header box that leads to it."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection

from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def result_titles(response):
    return re.findall(
        r'<h2 class="card-title"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )


def test_the_header_box_searches_on_every_page(client):
    make_article("Drones", slug="drones", topics=["Youth"])
    for url in ("/", "/publications/", "/publications/drones/", "/topics/youth/", "/search/"):
        assert 'class="site-search" role="search" action="/search/"' in client.get(url).text, url


def test_results_are_ranked_with_highlighted_snippets(client):
    make_article("Weekly roundup", body="<p>A ceasefire was discussed.</p>")
    make_article("Ceasefire talks resume")
    response = client.get("/search/?q=ceasefire")
    assert response.status_code == 200
    assert result_titles(response) == ["Ceasefire talks resume", "Weekly roundup"]
    assert "<mark>ceasefire</mark>" in response.content.decode()
    assert "Showing 1–2 of about 2" in response.content.decode()


def test_sort_by_newest(client):
    make_article("Ceasefire talks resume", published_at=datetime(2020, 1, 1, tzinfo=UTC))
    make_article("Weekly roundup", body="<p>A ceasefire was discussed.</p>")
    response = client.get("/search/?q=ceasefire&sort=newest")
    assert result_titles(response) == ["Weekly roundup", "Ceasefire talks resume"]


def test_the_page_is_noindex_and_escapes_the_query_everywhere(client):
    make_article("Drones")
    response = client.get("/search/?q=drones+'\"><!--&type=analysis")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "'\"><!--" not in html
    # the title, the header box, the page box, the count line
    assert html.count("&#x27;&quot;&gt;&lt;!--") == 4
    assert "%27%22%3E%3C%21--" in html  # the facet and sort links


def test_an_empty_or_junk_query_gets_a_helpful_page(client):
    for url in ("/search/", "/search/?q=", "/search/?q=%22%22%20--%20%28", "/search/?page=x"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Type a few words" in response.content.decode() or "No publications match" in (
            response.content.decode()
        )


def test_a_long_query_is_cut_not_refused(client):
    make_article("Drones")
    response = client.get("/search/?q=drones+" + "x" * 1000)
    assert response.status_code == 200
    assert result_titles(response) == ["Drones"]


def test_an_unknown_facet_is_a_404(client):
    assert client.get("/search/?q=drones&topic=no-such-topic").status_code == 404


def test_facets_show_counts_and_narrow_the_search(client):
    make_article("Drones over Mali", regions=["Mali"], topics=["Gender"])
    make_article("Drones over Niger", regions=["Niger"], type_name="Report")
    html = client.get("/search/?q=drones").content.decode()
    assert re.search(
        r'href="\?q=drones&amp;region=sahel">Sahel</a>\s*<span class="count">\(2\)', html
    )
    assert re.search(
        r'href="\?q=drones&amp;region=mali">Mali</a>\s*<span class="count">\(1\)', html
    )
    assert re.search(
        r'href="\?q=drones&amp;type=report">Report</a>\s*<span class="count">\(1\)', html
    )
    narrowed = client.get("/search/?q=drones&region=mali")
    assert result_titles(narrowed) == ["Drones over Mali"]
    # Facets combine; a chosen one links back to the wider search.
    both = client.get("/search/?q=drones&region=sahel&type=report")
    assert result_titles(both) == ["Drones over Niger"]
    assert 'href="?q=drones&amp;type=report" aria-current="true">Sahel</a>' in both.content.decode()


def test_results_page_and_the_page_links_keep_the_search(client):
    for i in range(23):
        make_article(f"Drones {i}")
    first = client.get("/search/?q=drones&region=")
    assert len(result_titles(first)) == 20
    assert 'href="?q=drones&amp;page=2"' in first.content.decode()
    second = client.get("/search/?q=drones&page=2")
    assert len(result_titles(second)) == 3
    assert "Showing 21–23 of about 23" in second.content.decode()


def test_an_author_or_a_term_named_by_the_query_is_suggested_first(client):
    keita = make_author("Kadiatou Keita", slug="kadiatou-keita")
    make_article("Human security", authors=[keita], regions=["Mali"])
    html = client.get("/search/?q=kadiatou").content.decode()
    assert 'Person: <a href="/people/kadiatou-keita/">Kadiatou Keita</a>' in html
    html = client.get("/search/?q=sahel").content.decode()
    assert 'Region: <a href="/regions/sahel/">Sahel</a>' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram suggestions need pg_trgm")
def test_a_misspelling_offers_did_you_mean(client):
    make_article("Democracy in the Sahel")
    html = client.get("/search/?q=democrasy").content.decode()
    assert 'Did you mean <a href="?q=democracy">democracy</a>?' in html


def test_the_list_page_words_filter_uses_the_same_search(client):
    make_article("The election in Mali", body="<p>Turnout was low.</p>")
    html = client.get("/publications/?q=elections").content.decode()
    assert "The election in Mali" in html
    assert "The election in Mali" in client.get("/publications/?q=turnout").content.decode()


def test_only_the_newest_matches_are_ranked_and_counted(client, monkeypatch):
    # The pool bounds the work per search (articles.search.POOL): shown
    # here with a pool of two.
    monkeypatch.setattr("articles.search.POOL", 2)
    monkeypatch.setattr("publications.search.POOL", 2)
    make_article("Ceasefire in an old title", published_at=datetime(2015, 1, 1, tzinfo=UTC),
                 topics=["Gender"])  # fmt: skip
    make_article("Roundup one", body="<p>A ceasefire was discussed.</p>")
    make_article("Roundup two", body="<p>A ceasefire was discussed.</p>", topics=["Youth"])
    html = client.get("/search/?q=ceasefire").content.decode()
    assert sorted(result_titles_of(html)) == ["Roundup one", "Roundup two"]
    assert "Showing 1–2 of the 2 newest of more than" in html
    assert "Counts among the 2 newest matches." in html
    assert not re.search(r">Gender</a>", html)  # the old one is not counted
    # A facet narrows the matches before the pool is cut.
    narrowed = client.get("/search/?q=ceasefire&topic=gender").content.decode()
    assert result_titles_of(narrowed) == ["Ceasefire in an old title"]
    assert "Showing 1–1 of about 1" in narrowed
    # Within the pool, the rank orders.
    titled = make_article("Ceasefire holds")
    html = client.get("/search/?q=ceasefire").content.decode()
    assert result_titles_of(html)[0] == titled.title


def result_titles_of(html):
    return re.findall(r'<h2 class="card-title"><a href="[^"]*">([^<]*)</a>', html)
