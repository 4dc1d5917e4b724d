"""Full-text search: the index and its two backends.

One interface, ``Article.objects.published().search(query)``: the search
page, the list page's words filter, the admin and the API all use it.

The index is articles.models.SearchDocument, one row per article with a column
per weight, rebuilt here on every change that affects it (article save,
byline, tagging, author rename, term rename, merge or deletion), in the same
transaction; no cron. The database indexes the row:

- PostgreSQL: a stored, generated, weighted tsvector (title A, summary and
  key takeaways B, people and terms C, body D) in the text search configuration
  ``search_english`` (English stemming after ``unaccent``), a GIN index, and
  ``websearch_to_tsquery`` for the reader's words (quoted phrases, ``-word``,
  ``or``). Ranking is ``ts_rank_cd``; snippets are ``ts_headline``. “Did you
  mean” comes from a trigram (pg_trgm) index over SearchWord.
- SQLite: an FTS5 table (``porter unicode61 remove_diacritics 2``) kept in step
  with SearchDocument by triggers, ``bm25()`` with the same column weights and
  ``snippet()``. The reader's words are translated to the same syntax. There
  is no trigram index on SQLite, so no “Did you mean” there (documented in the
  README, tested).

Recency: the text rank is multiplied by 1 + RECENCY_BOOST / (1 + age / RECENCY_DAYS),
age in days: today's piece gets at most ×1.5, a piece RECENCY_DAYS old ×1.25,
an old one almost ×1. The boost is bounded, so it reorders near-equals but
never lifts a body match above a title match (weights 10 to 1).

Bounded work per search (the search page, ranked_ids() and results()): the
candidates are the POOL newest published articles that match (with the
facets chosen), found through the full-text index and the (status,
published_at) index; only those are ranked, counted and faceted, in one
query for the ranking and two for the facets, so a word found in every
article of a 100,000-article archive costs what one found in POOL does.
Older matches past the pool are reached with more words or a facet, which
narrow the matches before the pool is cut. Snippets are made for the page's
20 results only, from the summary and the start of the stored plain-text
body (SNIPPET_CHARS), never from the whole body.
"""

import json
import re

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    SearchDocument,
    SearchWord,
    TaggedRegion,
    TaggedTopic,
)
from articles.sanitize import plain_text
from publications.models import Region, Topic

# Queries longer than this are cut (not refused): enough for any real question.
QUERY_LIMIT = 200
RECENCY_BOOST = 0.5
RECENCY_DAYS = 180
# Column weights, title to body, on both backends (PostgreSQL's defaults).
WEIGHTS = {"title": 1.0, "summary": 0.4, "people": 0.2, "terms": 0.2, "body": 0.1}
# The search page ranks only this many candidates: the newest matches.
POOL = 500
# Snippets come from the summary and this much of the body's plain text:
# ts_headline parses all the text it is given, about 4 ms for a whole body.
SNIPPET_CHARS = 1500
# Below this many hits the page offers a “Did you mean”.
FEW_HITS = 3
# Snippet marks: control characters, which the index never holds, so the text
# can be escaped whole and only these become <mark> and </mark>.
OPEN, CLOSE = "\x02", "\x03"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORD = re.compile(r"\w+")
FTS_TABLE = "articles_search_fts"
# The vocabularies the index holds as facets (SearchDocument.facets).
FACETS = ("topic", "region")


def clean_query(query):
    """The reader's words as searched: control characters out, cut to
    QUERY_LIMIT characters at the end of a word."""
    query = " ".join(CONTROL.sub(" ", query or "").split())
    if len(query) > QUERY_LIMIT:
        query = query[: QUERY_LIMIT + 1].rsplit(" ", 1)[0][:QUERY_LIMIT]
    return query


def highlight(snippet):
    """A snippet as HTML: everything escaped, then only the marks made live."""
    marked = escape(snippet or "").replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return mark_safe(marked)  # noqa: S308 (escaped on the line above)


# --- the query -------------------------------------------------------------


def search(articles, query, about=()):
    """articles narrowed to those matching query and about every term of
    `about` (topics and regions: the FACETS), annotated and ranked best first."""
    query = clean_query(query)
    backend = BACKENDS[connections[articles.db].vendor]
    if not backend.has_words(query):
        return articles.none()
    return (
        backend.narrow(articles, query, about)
        .annotate(search_rank=backend.rank(query), search_snippet=backend.snippet(query))
        .order_by("-search_rank", "-published_at", "-pk")
    )


def newest_matches(articles, query, about=()):
    """articles narrowed to the POOL newest that match query (and are about
    the terms of `about`, as in search()), unranked.

    The words filter of the list page and of the API, which list newest
    first: bounded like the search page, so counting and paging the matches
    of a common word costs the same in a large archive as in a small one.
    Apply it after the other filters, which narrow the matches before the
    pool is cut.
    """
    query = clean_query(query)
    backend = BACKENDS[connections[articles.db].vendor]
    if not backend.has_words(query):
        return articles.none()
    matching = backend.narrow(articles, query, about).order_by("-published_at", "-pk")
    return articles.filter(pk__in=matching.values("pk")[:POOL])


def ranked_ids(matching, query, newest=False):
    """The ids of a search's results in order, among its POOL newest matches
    (one query), and whether there were more matches than that.

    matching is a search() queryset, maybe narrowed further (facets). The
    candidates are cut first by recency, cheaply (the full-text index and the
    articles' (status, published_at) index), and only those are ranked.
    """
    # POOL + 1 candidates, to know whether there were more.
    newest_first = matching.order_by("-published_at", "-pk")
    if newest:
        ids = list(newest_first.values_list("pk", flat=True)[: POOL + 1])
    else:
        backend = BACKENDS[connections[matching.db].vendor]
        ranked = list(
            matching.model.objects.filter(pk__in=newest_first.values("pk")[: POOL + 1])
            .annotate(search_rank=backend.rank(clean_query(query)))
            .order_by("-search_rank", "-published_at", "-pk")
            .values_list("pk", "published_at")
        )
        more = len(ranked) > POOL
        if more:
            # The extra candidate only says there are more: the oldest goes.
            ranked.remove(min(ranked, key=lambda row: (row[1], row[0])))
        return [pk for pk, _ in ranked], more
    return ids[:POOL], len(ids) > POOL


def among(articles, ids):
    """articles narrowed to these ids (a pool of ranked_ids()), sent as one
    parameter: a thousand literals cost Django more than the query does."""
    if not ids:
        return articles.none()
    return articles.filter(pk__in=BACKENDS[connections[articles.db].vendor].id_list(ids))


def results(articles, ids, query):
    """The articles of these ids (a page of ranked_ids()), in that order, with
    what their cards show from their own rows and their snippets: one query.
    The cards' bylines and topics are fetched by the cards tag, for the cards
    the fragment cache does not hold (usip_cms/fragments.py)."""
    backend = BACKENDS[connections[articles.db].vendor]
    found = {
        article.pk: article
        for article in articles.filter(pk__in=ids)
        .card_rows()
        .annotate(search_snippet=backend.snippet(clean_query(query)))
    }
    return [found[pk] for pk in ids if pk in found]


def recency(now, published_at):
    return f"(1 + {RECENCY_BOOST} / (1 + MAX_(0, {now} - {published_at}) / {RECENCY_DAYS}))"


class PostgresBackend:
    config = "search_english"

    def has_words(self, query):
        # websearch_to_tsquery ignores punctuation and stop words; a query of
        # only those (or only exclusions) matches nothing rather than everything.
        return bool(self.positive_words(query))

    def positive_words(self, query):
        return [
            w for token in tokens(query) if not token.startswith("-") for w in WORD.findall(token)
        ]

    def tsquery(self):
        return f"websearch_to_tsquery('{self.config}', %s)"

    def matches(self, query):
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"SELECT article_id FROM articles_searchdocument WHERE vector @@ {self.tsquery()}",  # noqa: S608
            [query],
        )

    def narrow(self, articles, query, about=()):
        """articles matching the words and about the terms: one lookup of the
        GIN index for both, where joining the taggings made the database
        walk thousands of rows (a large topic and region with a common word).

        With two facets, OFFSET 0 keeps the lookup whole. Folded into the
        outer query, the planner would rather walk the newest articles and
        read each one's vector until it had POOL matches, as if reading a
        vector cost nothing: with a common word, Africa (29% of the articles)
        and the largest topic (11%), that is 32,000 vectors, 180 ms at
        100,000 articles, against 23 ms for looking up the 3,000 matches.
        One facet alone leaves enough matches that the walk is the quicker
        (Africa: 10 ms against 45), and a small one is looked up anyway.
        """
        if not about:
            return articles.filter(pk__in=self.matches(query))
        facets = " & ".join(f"'{facet_of(term)}'" for term in about)
        whole = " OFFSET 0" if len(about) > 1 else ""
        # Two conditions, not one tsquery: words that are all stop words give
        # an empty query, which `&&` would drop, leaving the facets alone to
        # match every article about them.
        where = f"vector @@ {self.tsquery()} AND vector @@ %s::tsquery{whole}"
        return articles.filter(
            pk__in=RawSQL(  # noqa: S611 (the words are a parameter, the facets are ids)
                f"SELECT article_id FROM articles_searchdocument WHERE {where}",  # noqa: S608
                [query, facets],
            )
        )

    def rank(self, query):
        boost = recency(
            "EXTRACT(EPOCH FROM now() - articles_article.published_at) / 86400",
            "0",
        ).replace("MAX_", "GREATEST")
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"(SELECT ts_rank_cd(d.vector, {self.tsquery()}, 1) FROM articles_searchdocument d"  # noqa: S608
            f" WHERE d.article_id = articles_article.id) * {boost}",
            [query],
            output_field=models.FloatField(),
        )

    def snippet(self, query):
        options = f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2"
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"(SELECT ts_headline('{self.config}', d.summary || ' ' || left(d.body,"  # noqa: S608
            f" {SNIPPET_CHARS}), {self.tsquery()}, %s) FROM articles_searchdocument d"
            " WHERE d.article_id = articles_article.id)",
            [query, options],
            output_field=models.TextField(),
        )

    def id_list(self, ids):
        return RawSQL("SELECT unnest(%s::integer[])", [list(ids)])  # noqa: S611

    def suggest(self, query, articles):
        """The query with each unknown word replaced by the nearest known one, or None."""
        words = [w.lower() for w in WORD.findall(query)]
        if not words:
            return None
        with connections[articles.db].cursor() as cursor:
            cursor.execute(
                """
                SELECT w.input, (SELECT word FROM articles_searchword
                                 WHERE word %% w.input ORDER BY similarity(word, w.input) DESC, word
                                 LIMIT 1)
                FROM unnest(%s::text[]) AS w(input)
                """,
                [words],
            )
            nearest = dict(cursor.fetchall())
        fixed = [nearest.get(w) or w for w in words]
        if fixed == words:
            return None
        suggestion = " ".join(fixed)
        # Offer only words that lead somewhere for this reader.
        return suggestion if search(articles, suggestion).exists() else None


class SqliteBackend:
    def has_words(self, query):
        return bool(self.fts_query(query))

    def fts_query(self, query):
        """websearch_to_tsquery's syntax in FTS5's: words and "phrases" all
        required, ``or`` between two of them, ``-word`` excluded; every word
        quoted, so nothing the reader types is FTS5 syntax."""
        required, excluded = [], []
        for token in tokens(query):
            negative = token.startswith("-")
            words = WORD.findall(token)
            if not words:
                continue
            if token.lower() == "or" and required and not negative:
                required.append("OR")
                continue
            quoted = '"' + " ".join(words) + '"'
            (excluded if negative else required).append(quoted)
        while required and required[-1] == "OR":
            required.pop()
        if not required:
            return ""
        expression = " ".join(required)
        return " NOT ".join([f"({expression})", *excluded])

    def matches(self, query):
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [self.fts_query(query)],
        )

    def narrow(self, articles, query, about=()):
        # FTS5 has no column the reader's words could not match, so the
        # facets are not in it: the taggings are joined.
        for term in about:
            articles = articles.about(term)
        return articles.filter(pk__in=self.matches(query))

    def rank(self, query):
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        boost = recency("julianday('now')", "julianday(articles_article.published_at)").replace(
            "MAX_", "MAX"
        )
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"(SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND rowid = articles_article.id) * {boost}",
            [self.fts_query(query)],
            output_field=models.FloatField(),
        )

    def snippet(self, query):
        return RawSQL(  # noqa: S611 (the reader's words are parameters)
            f"(SELECT snippet({FTS_TABLE}, -1, char(2), char(3), '…', 30) FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND rowid = articles_article.id)",
            [self.fts_query(query)],
            output_field=models.TextField(),
        )

    def id_list(self, ids):
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])  # noqa: S611

    def suggest(self, query, articles):
        return None


def tokens(query):
    """Words, -words and "quoted phrases", in order."""
    return re.findall(r'-?"[^"]*"?|\S+', query)


BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def suggestion(articles, query):
    """“Did you mean”: a nearby query with hits, or None (PostgreSQL only)."""
    query = clean_query(query)
    return BACKENDS[connections[articles.db].vendor].suggest(query, articles)


# --- the index -------------------------------------------------------------


def document_texts(article_model, ids):
    """{article id: SearchDocument fields} for the articles, in five queries.

    Takes the models as arguments so the migration that creates the index can
    fill it with its historical models.
    """
    rows = article_model.objects.filter(pk__in=ids).values_list(
        "pk", "title", "summary", "key_takeaways", "body"
    )
    texts = {
        pk: {
            "title": strip(title),
            # The key takeaways are the summary's points: weight B with it.
            "summary": strip(" ".join([summary, *(takeaways or [])])),
            "people": [],
            "terms": [],
            "body": strip(plain_text(body)),
            "facets": [],
        }
        for pk, title, summary, takeaways, body in rows
    }
    bylines = article_model._meta.get_field("bylines").related_model
    for article_id, name in (
        bylines.objects.filter(article__in=texts)
        .order_by("position", "pk")
        .values_list("article", "author__name")
    ):
        texts[article_id]["people"].append(strip(name))
    topics = article_model._meta.get_field("tagged_topics").related_model
    for article_id, topic, name in topics.objects.filter(content_object__in=texts).values_list(
        "content_object", "tag", "tag__name"
    ):
        texts[article_id]["terms"].append(strip(name))
        texts[article_id]["facets"].append(facet("topic", topic))
    # A region is searched with the regions containing it: its parent and the
    # sub-regions it is a member of (Mali → Africa, Sahel).
    regions = article_model._meta.get_field("tagged_regions").related_model
    members = regions._meta.get_field("tag").related_model.members.through
    # The same regions are its facets: Region.objects.within() the other way.
    tagged = list(
        regions.objects.filter(content_object__in=texts).values_list(
            "content_object", "tag", "tag__name", "tag__parent", "tag__parent__name"
        )
    )
    containing = {}
    for country, sub_region, name in members.objects.filter(
        to_region__in={row[1] for row in tagged}
    ).values_list("to_region", "from_region", "from_region__name"):
        containing.setdefault(country, []).append((sub_region, name))
    for article_id, tag, name, parent, parent_name in tagged:
        around = [(tag, name), (parent, parent_name), *containing.get(tag, [])]
        texts[article_id]["terms"].extend(strip(n) for pk, n in around if pk)
        texts[article_id]["facets"].extend(facet("region", pk) for pk, _ in around if pk)
    for fields in texts.values():
        fields["people"] = " ".join(fields["people"])
        fields["terms"] = " ".join(dict.fromkeys(fields["terms"]))
        fields["facets"] = "\n".join(sorted(set(fields["facets"])))
    return texts


def facet_of(term):
    if term._meta.model_name not in FACETS:
        raise TypeError(f"The index holds topics and regions, not {term!r}.")
    return facet(term._meta.model_name, term.pk)


def facet(vocabulary, pk):
    """The lexeme of a topic or region in the vector: with a space in it, which
    the text parser always splits on, so no reader's words can match it."""
    return f"{vocabulary} {pk}"


def strip(text):
    return " ".join(CONTROL.sub(" ", text or "").split())


def write_documents(article_model, document_model, word_model, ids):
    """Rebuild the documents of the articles with these ids (and their words)."""
    texts = document_texts(article_model, ids)
    # A migration's historical model may not have every column yet (0011 has no facets).
    columns = {f.name for f in document_model._meta.fields}
    # Delete and insert: two statements per batch however many articles.
    document_model.objects.filter(article__in=ids).delete()
    document_model.objects.bulk_create(
        [
            document_model(article_id=pk, **{k: v for k, v in fields.items() if k in columns})
            for pk, fields in texts.items()
        ]
    )
    words = {
        w.lower()
        for fields in texts.values()
        for w in WORD.findall(" ".join((fields["title"], fields["people"], fields["terms"])))
        if len(w) > 3 and not w.isdigit()
    }
    word_model.objects.bulk_create(
        [word_model(word=w[:100]) for w in words], ignore_conflicts=True, batch_size=1000
    )


def reindex(ids):
    """Rebuild the index for these article ids (a list or a values() queryset)."""
    if not isinstance(ids, (list, set, tuple)):
        ids = list(ids)
    for start in range(0, len(ids), 500):
        write_documents(Article, SearchDocument, SearchWord, ids[start : start + 500])


# --- keeping it current ----------------------------------------------------


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex([instance.pk])


@receiver(post_save, sender=ArticleAuthor)
@receiver(post_delete, sender=ArticleAuthor)
@receiver(post_save, sender=TaggedTopic)
@receiver(post_delete, sender=TaggedTopic)
@receiver(post_save, sender=TaggedRegion)
@receiver(post_delete, sender=TaggedRegion)
def link_changed(sender, instance, raw=False, origin=None, **kwargs):
    # taggit's add(), remove(), set() and clear() save and delete taggings one
    # by one, so they come here too; bulk_create() does not (bench_data reindexes).
    # An article being deleted takes its document with it: nothing to rebuild.
    origin_model = getattr(origin, "model", type(origin))
    if raw or origin_model is Article:
        return
    article_id = getattr(instance, "article_id", None) or instance.content_object_id
    if Article.objects.filter(pk=article_id).exists():
        reindex([article_id])


@receiver(post_save, sender=Author)
def author_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "name" not in update_fields):
        return
    reindex(Article.objects.filter(bylines__author=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Topic)
@receiver(post_save, sender=Region)
def term_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    tagged = instance.tagged_articles.values("content_object")
    if sender is Region:
        contained = Region.objects.within(instance).values("pk")
        tagged = TaggedRegion.objects.filter(tag__in=contained).values("content_object")
    reindex(Article.objects.filter(pk__in=tagged).values_list("pk", flat=True))


@receiver(m2m_changed, sender=Region.members.through)
def members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # A country's documents name the sub-regions it belongs to: a change of
    # membership, from either side, rebuilds the documents of the countries
    # it touches. clear() gives no pk_set: the members are read before.
    if action == "pre_clear" and not reverse:
        instance._search_cleared = set(instance.members.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        countries = {instance.pk}
    elif action == "post_clear":
        countries = getattr(instance, "_search_cleared", set())
    else:
        countries = pk_set or set()
    if countries:
        tagged = TaggedRegion.objects.filter(tag__in=countries).values("content_object")
        reindex(list(Article.objects.filter(pk__in=tagged).values_list("pk", flat=True)))


@receiver(post_delete, sender=Topic)
@receiver(post_delete, sender=Region)
def term_deleted(sender, instance, **kwargs):
    # A merge moves taggings with update() (no signal) and then deletes the
    # term: every document holding it as a facet is rebuilt, now under the
    # kept term. Its facet is on every document that names it (the same
    # regions give both), and unlike the name it matches only those.
    line = re.escape(facet(instance._meta.model_name, instance.pk))
    holding = SearchDocument.objects.filter(facets__regex=rf"(^|\n){line}(\n|$)")
    reindex(list(holding.values_list("article_id", flat=True)))


# --- facets and people ------------------------------------------------------


def facet_counts(articles):
    """{"type": {pk: n}, "topic": {…}, "region": {…}, "year": {year: n}} over
    the articles (any queryset, e.g. search results), in two queries.

    A region counts the articles tagged with it or with anything it contains
    (a country under its region and its sub-regions), each article once.
    """
    matching = articles.order_by().values("pk")
    counts = {"type": {}, "topic": {}, "region": {}, "year": {}}
    by_type_year = (
        matching.annotate(year=models.functions.ExtractYear("published_at"))
        .values("publication_type", "year")
        .annotate(n=models.Count("pk"))
        .values_list("publication_type", "year", "n")
    )
    for type_id, year, n in by_type_year:
        counts["type"][type_id] = counts["type"].get(type_id, 0) + n
        counts["year"][year] = counts["year"].get(year, 0) + n
    try:
        sql, params = matching.query.sql_with_params()
    except EmptyResultSet:  # a query with no words: nothing to count
        return counts
    topic, region = TaggedTopic._meta.db_table, TaggedRegion._meta.db_table
    members = Region.members.through._meta.db_table
    regions = Region._meta.db_table
    with connections[articles.db].cursor() as cursor:
        cursor.execute(
            f"""
            WITH m AS ({sql})
            SELECT 'topic', tag_id, COUNT(*) FROM {topic}
              WHERE content_object_id IN (SELECT * FROM m) GROUP BY tag_id
            UNION ALL
            SELECT 'region', area, COUNT(DISTINCT article) FROM (
              SELECT t.tag_id AS area, t.content_object_id AS article FROM {region} t
                WHERE t.content_object_id IN (SELECT * FROM m)
              UNION ALL
              SELECT r.parent_id, t.content_object_id FROM {region} t
                JOIN {regions} r ON r.id = t.tag_id
                WHERE r.parent_id IS NOT NULL AND t.content_object_id IN (SELECT * FROM m)
              UNION ALL
              SELECT s.from_region_id, t.content_object_id FROM {region} t
                JOIN {members} s ON s.to_region_id = t.tag_id
                WHERE t.content_object_id IN (SELECT * FROM m)
            ) tagged GROUP BY area
            """,  # noqa: S608 (table names from the models, values are parameters)
            params,
        )
        for kind, pk, n in cursor.fetchall():
            counts[kind][pk] = n
    return counts


def people_named(query, limit=3):
    """Public authors whose name holds every word of the query (one query)."""
    words = WORD.findall(clean_query(query))
    if not words:
        return Author.objects.none()
    named = Author.objects.public()
    for word in words:
        named = named.filter(name__icontains=word)
    return named[:limit]
