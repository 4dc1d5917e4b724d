"""The keys of the page cache and the front cache, and what each change invalidates.

A key names something a page can show. While a page is made, the keys of
what it shows are collected (usip_cms/page_keys.py); the page is cached with
them (usip_cms/caching.py) and sent to the front cache with them as `xkey`
(usip_cms/frontcache.py). A change names the keys it affects (`changed()`,
from the signal receivers below), and exactly the pages showing one of them
are dropped.

The keys:

- `article:<pk>`: one article as pages show it (its page, its card, its feed
  item, its citation), with its byline, tags, lead photo and PDF editions.
  Recorded by every Article a page loads; a page that loads more than
  ARTICLES_PER_PAGE of them records `article:all` instead.
- `author:<pk>`: one author's own page (bio, portrait). Bylines on cards and
  article pages are covered by the articles' keys: a change to an author
  changes the keys of their articles.
- `<model>:all`: any of them, e.g. `article:all` (sitemaps, searches),
  `author:all`. The vocabularies are kept whole: a page that loads any topic
  records `topic:all`, and so on for regions, publication types and series,
  since terms change a few times a year and then show on many pages at once.
- `about:<model>:<pk>`: which published articles Article.objects.about(term)
  gives, in order (a landing page, its feeds, a filtered list).
- `newest`: which articles are published, in order (home, the list of all
  publications, the article page's latest and related cards, the main feeds,
  the sitemap).
- `public`: which terms and authors are public (filter menus, indexes, sitemaps).
- `redirect:all`: the old addresses' 301s (articles.redirects).
- `featured:all`: the home page's featured items (publications.Featured).

A page that declares nothing with `page_keys.shows()` is given
`page_keys.default_keys()`, so a new kind of page is never served stale, only
dropped more often than it needs.

A change to a draft (never published, not scheduled) changes nothing public
and invalidates nothing. A scheduled article going live happens by time,
with no change to see: every page's life ends at the next scheduled time
(caching.lifetime()).

To make a new model's changes invalidate pages, add one line to
`connect_signals()`: `watch(Model, changes=function)`, where the function takes
an instance and returns the keys that its change affects (see the ones below);
pages showing it declare those keys with `page_keys.shows()`.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)

from usip_cms.page_keys import NEWEST, PUBLIC, all_of, key, note_article, note_vocabulary


def changed(keys, using=None):
    from usip_cms import caching

    caching.invalidate(keys, using)


def on_site():
    """Articles whose change readers see: published, or scheduled (their pages
    expire when they go live, so a change to one must drop those pages now)."""
    from articles.models import Article

    return Article.objects.published() | Article.objects.scheduled()


def placement(pk, using):
    """Where an article stands: (published, scheduled, date, type, series), or None."""
    from articles.models import Article

    return (
        Article.objects.using(using)
        .filter(pk=pk)
        .annotate(
            visible=Exists(Article.objects.published().filter(pk=OuterRef("pk"))),
            scheduled=Exists(Article.objects.scheduled().filter(pk=OuterRef("pk"))),
        )
        .values_list("visible", "scheduled", "published_at", "publication_type_id", "series_id")
        .first()
    )


def shown_on_site(state):
    return state is not None and (state[0] or state[1])


def regions_around(region_ids, using):
    """The regions and every region whose list contains theirs (Region.objects.within)."""
    from publications.models import Region

    if not region_ids:
        return set()
    around = Region.objects.using(using).filter(
        Q(pk__in=region_ids) | Q(countries__in=region_ids) | Q(members__in=region_ids)
    )
    return set(around.values_list("pk", flat=True))


def about_keys(model_name, pks):
    return {f"about:{model_name}:{pk}" for pk in pks if pk is not None}


def lists_of(article_pk, states, using):
    """The lists an article is or was in (states: its placements before and
    after): the newest, its type's and series', its topics', regions' and
    authors'."""
    from articles.models import ArticleAuthor, TaggedRegion, TaggedTopic

    topics = TaggedTopic.objects.using(using).filter(content_object=article_pk)
    regions = TaggedRegion.objects.using(using).filter(content_object=article_pk)
    authors = ArticleAuthor.objects.using(using).filter(article=article_pk)
    region_ids = list(regions.values_list("tag_id", flat=True))
    return (
        {NEWEST}
        | kind_lists(states)
        | about_keys("topic", topics.values_list("tag_id", flat=True))
        | about_keys("region", regions_around(region_ids, using))
        | about_keys("author", authors.values_list("author_id", flat=True))
    )


def kind_lists(states):
    """The lists of an article's type and series, as it was and is."""
    return (
        {PUBLIC}
        | about_keys("publicationtype", {state[3] for state in states})
        | about_keys("series", {state[4] for state in states})
    )


def article_before_save(sender, instance, using=None, **kwargs):
    instance._page_cache_before = placement(instance.pk, using) if instance.pk else None


def article_before_delete(sender, instance, using=None, **kwargs):
    # The bylines and tags are gone by post_delete: read the lists now.
    before = placement(instance.pk, using)
    if shown_on_site(before):
        instance._page_cache_lists = lists_of(instance.pk, [before], using)


def article_saved(sender, instance, using=None, **kwargs):
    before = instance.__dict__.pop("_page_cache_before", None)
    after = placement(instance.pk, using)
    if not (shown_on_site(before) or shown_on_site(after)):
        return  # a draft, or in review: nothing public changed
    keys = {key(instance), all_of(sender)}
    states = [state for state in (before, after) if state is not None]
    if before is None or before[:3] != after[:3]:
        # Published, unpublished, scheduled or redated: every list it was or
        # is in changes too, and the newest.
        keys |= lists_of(instance.pk, states, using)
    elif before != after:
        keys |= kind_lists(states)  # retyped or moved to another series
    changed(keys, using)


def article_deleted(sender, instance, using=None, **kwargs):
    lists = instance.__dict__.pop("_page_cache_lists", None)
    if lists is not None:
        changed({key(instance), all_of(sender), *lists}, using)


def article_is_on_site(pk, using):
    return on_site().using(using).filter(pk=pk).exists()


def byline_before(sender, instance, using=None, **kwargs):
    """The byline's author before the change (it may be moved to another)."""
    old = sender.objects.using(using).filter(pk=instance.pk) if instance.pk else None
    instance._page_cache_author = old and old.values_list("author_id", flat=True).first()


def byline_changed(sender, instance, using=None, **kwargs):
    authors = {instance.author_id, instance.__dict__.pop("_page_cache_author", None)}
    if article_is_on_site(instance.article_id, using):
        changed({f"article:{instance.article_id}", "article:all", PUBLIC}
                | about_keys("author", authors), using)  # fmt: skip


def bylines_added(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """Article.authors.add() writes its rows with bulk_create, which sends no post_save."""
    if action != "post_add" or not pk_set:
        return
    for pk in pk_set:
        article_pk, author_pk = (pk, instance.pk) if reverse else (instance.pk, pk)
        if article_is_on_site(article_pk, using):
            changed({f"article:{article_pk}", "article:all", PUBLIC, f"about:author:{author_pk}"},
                    using)  # fmt: skip


def tagging_changed(sender, instance, using=None, **kwargs):
    """A topic or region added to or removed from an article (taggit saves and
    deletes its rows one by one, so these signals see every change)."""
    if not article_is_on_site(instance.content_object_id, using):
        return
    tags = {instance.tag_id}
    name = sender._meta.get_field("tag").related_model._meta.model_name
    if name == "region":
        tags = regions_around(tags, using)
    changed({f"article:{instance.content_object_id}", "article:all", PUBLIC}
            | about_keys(name, tags), using)  # fmt: skip


def term_saved(sender, instance, using=None, **kwargs):
    """A type, topic or region renamed, described or moved: every page showing
    one of that vocabulary. A term no published article uses shows nowhere."""
    if sender.objects.using(using).public().filter(pk=instance.pk).exists():
        changed({key(instance), all_of(sender), PUBLIC}, using)


def term_deleted(sender, instance, using=None, **kwargs):
    # Always: a merge moves the taggings to the kept term first, with update().
    changed({key(instance), all_of(sender), PUBLIC}, using)


def region_members_changed(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_"):
        from publications.models import Region

        changed({all_of(Region), PUBLIC}, using)


def author_saved(sender, instance, using=None, **kwargs):
    """A name or bio: the author's page, and their articles (bylines, bios)."""
    from articles.models import ArticleAuthor

    if not sender.objects.using(using).public().filter(pk=instance.pk).exists():
        return  # no published byline yet: shown nowhere
    articles = ArticleAuthor.objects.using(using).filter(
        author=instance.pk, article__in=on_site().values("pk")
    )
    changed({key(instance), all_of(sender), "article:all"}
            | {f"article:{pk}" for pk in articles.values_list("article_id", flat=True)},
            using)  # fmt: skip


def photo_before_delete(sender, instance, using=None, **kwargs):
    """pre_delete: the articles showing the photo, before they lose it (SET_NULL)."""
    instance._page_cache_articles = photo_articles(instance.pk, using)


def photo_articles(pk, using):
    return set(on_site().using(using).filter(lead_photo=pk).values_list("pk", flat=True))


def photo_changed(sender, instance, using=None, **kwargs):
    articles = instance.__dict__.pop("_page_cache_articles", None)
    if articles is None:
        articles = photo_articles(instance.pk, using)
    if articles:
        changed({"article:all"} | {f"article:{pk}" for pk in articles}, using)


def edition_changed(sender, instance, using=None, **kwargs):
    """A PDF edition: its article's page (the download box), feed item and citation."""
    if article_is_on_site(instance.article_id, using):
        changed({f"article:{instance.article_id}", "article:all"}, using)


def watch(model, changes=None, *, saved=None, deleted=None, before_save=None, before_delete=None):
    """Connect a model's changes to the keys they invalidate.

    The one line for a model whose every change is public:
    `watch(Model, changes=lambda instance: {key(instance), …})`, the keys a save
    or delete of instance affects. Otherwise give the receivers: saved
    (post_save), deleted (post_delete), before_save and before_delete (to read
    the old state).
    """
    if changes is not None:

        def saved(sender, instance, using=None, **kwargs):
            changed(changes(instance), using)

        deleted = saved
    uid = f"page-cache-{model._meta.label}"
    for signal, receiver in (
        (pre_save, before_save),
        (pre_delete, before_delete),
        (post_save, saved),
        (post_delete, deleted),
    ):
        if receiver is not None:
            signal.connect(receiver, sender=model, dispatch_uid=uid, weak=False)


def connect_signals():
    from articles.models import (
        Article,
        ArticleAuthor,
        Author,
        Edition,
        Photo,
        Redirect,
        TaggedRegion,
        TaggedTopic,
    )
    from publications.models import Featured, PublicationType, Region, Series, Topic

    vocabularies = (PublicationType, Topic, Region, Series)
    # What pages load records itself.
    post_init.connect(note_article, sender=Article, dispatch_uid="page-cache-shown-article")
    for vocabulary in vocabularies:
        post_init.connect(
            note_vocabulary, sender=vocabulary, dispatch_uid=f"page-cache-shown-{vocabulary}"
        )

    # What each change invalidates.
    watch(
        Article,
        saved=article_saved,
        deleted=article_deleted,
        before_save=article_before_save,
        before_delete=article_before_delete,
    )
    watch(ArticleAuthor, saved=byline_changed, deleted=byline_changed, before_save=byline_before)
    m2m_changed.connect(bylines_added, sender=ArticleAuthor, dispatch_uid="page-cache-bylines")
    watch(TaggedTopic, saved=tagging_changed, deleted=tagging_changed)
    watch(TaggedRegion, saved=tagging_changed, deleted=tagging_changed)
    for vocabulary in vocabularies:
        watch(vocabulary, saved=term_saved, deleted=term_deleted)
    m2m_changed.connect(
        region_members_changed, sender=Region.members.through, dispatch_uid="page-cache-members"
    )
    watch(Author, saved=author_saved)
    watch(Photo, saved=photo_changed, deleted=photo_changed, before_delete=photo_before_delete)
    watch(Edition, saved=edition_changed, deleted=edition_changed)
    # A stored 301 (articles.redirects) declares the redirects as a whole.
    watch(Redirect, changes=lambda redirect: {all_of(Redirect)})
    # The home page's featured items (publications.Featured), as a whole.
    watch(Featured, changes=lambda featured: {all_of(Featured)})
