"""A paused redis-server (SIGSTOP): readers keep getting pages at once, and no
page older than a change is served once Redis answers again."""

import pytest

from tests.faults.services import Browser

pytestmark = pytest.mark.faults

SLUG = "amid-wave-coups-democracy-sahel-depends-human-security"
ARTICLE = f"/publications/{SLUG}/"


def retitle(site, title):
    """Another app server saves the article, and exits: nothing of it is left
    to replay the invalidation but the database."""
    site.shell(
        "from articles.models import Article\n"
        f"article = Article.objects.get(slug={SLUG!r})\n"
        f"article.title = {title!r}\n"
        "article.save()\n"
    )


def test_an_article_saved_while_redis_is_paused_shows_once_redis_answers(site, redis_paused):
    reader = Browser(site.base)
    reader.get(ARTICLE)
    status, headers, _ = reader.get(ARTICLE)
    assert status == 200
    assert headers["Cache-Control"].startswith("public")  # stored in Redis

    with redis_paused():
        retitle(site, "Democracy in the Sahel, After the Coups")  # its bump times out

    status, headers, page = reader.get(ARTICLE)
    assert status == 200
    assert "Democracy in the Sahel, After the Coups" in page
    outbox = "from usip_cms.models import PendingInvalidation as P; print(P.objects.count())"
    assert site.shell(outbox).strip() == "0"


def test_while_redis_is_paused_each_worker_waits_for_it_once(site, redis_paused):
    reader = Browser(site.base)
    reader.get("/publications/")
    offset = site.log_size()

    with redis_paused():
        answers = [reader.get("/publications/") for _ in range(20)]

    assert [status for status, _, _ in answers] == [200] * 20
    assert all(headers["Cache-Control"] == "private, no-cache" for _, headers, _ in answers)
    log = site.log_since(offset)
    timeouts = log.count("Page cache unavailable, /publications/ served uncached")
    paused = log.count("Page cache paused after a fault, /publications/ served uncached")
    assert 1 <= timeouts <= 2  # one per gunicorn worker at most
    assert timeouts + paused == 20
