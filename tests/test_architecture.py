"""One direction between the content apps.

articles (articles, bylines, photos, the article page, the admin) may read the
vocabularies in publications.models; the publication listings (views, feeds,
forms, sitemaps, template tags, scopes) may read articles.models. Never the
other way: publications.models imports nothing from articles, and articles
imports none of the listings. Every import counts, inside functions too.
"""

from pathlib import Path

import pytest

from tests.factories import imported_modules

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = [
    "publications.views",
    "publications.feeds",
    "publications.feed_content",
    "publications.forms",
    "publications.sitemaps",
    "publications.templatetags",
    "publications.scopes",
    "publications.search",
    "publications.urls",
]


def modules_of(app):
    return sorted((ROOT / app).rglob("*.py"))


def test_publications_models_imports_nothing_from_articles():
    imported = imported_modules(ROOT / "publications" / "models.py", ROOT)
    assert [m for m in imported if m == "articles" or m.startswith("articles.")] == []


@pytest.mark.parametrize("path", modules_of("articles"), ids=lambda p: str(p.relative_to(ROOT)))
def test_articles_imports_none_of_the_publication_listings(path):
    imported = imported_modules(path, ROOT)
    wrong = [
        m for m in imported for listing in LISTINGS if m == listing or m.startswith(listing + ".")
    ]
    assert wrong == []


def test_imports_inside_functions_and_relative_ones_are_seen(tmp_path):
    module = tmp_path / "articles" / "checks.py"
    module.parent.mkdir()
    module.write_text(
        "def late():\n"
        "    from publications import feeds\n"
        "    from .models import Article\n"
        "    import publications.sitemaps\n"
        "    return importlib.import_module('publications.views')\n"
    )
    imported = imported_modules(module, tmp_path)
    assert {"publications.feeds", "articles.models", "publications.sitemaps"} <= imported
    assert "publications.views" in imported


# What the content apps may take from the shell: its site-wide helpers and
# the declaration of what a page shows (page_keys), never its machinery (the
# caches, sign-in, the demo, the benchmark).
SHELL_HELPERS = ("usip_cms.site", "usip_cms.text", "usip_cms.page_keys")
CONTENT_MODULES = [
    path
    for app in ("articles", "publications")
    for path in modules_of(app)
    if "migrations" not in path.parts
]


@pytest.mark.parametrize("path", CONTENT_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_content_apps_take_only_the_site_helpers_from_the_shell(path):
    imported = imported_modules(path, ROOT)
    wrong = [
        m
        for m in imported
        if m.startswith("usip_cms.")
        and not any(m == helper or m.startswith(helper + ".") for helper in SHELL_HELPERS)
    ]
    assert wrong == []
