"""Editors' bulk actions on the article list: tag, publish, unpublish."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.translation import ngettext

from articles import revisions, workflow
from articles.models import Article
from publications.models import Region, Topic


class TaggingActionForm(ActionForm):
    term = forms.CharField(
        required=False,
        label="Topic or region",
        help_text="Name used by the “add topic” and “add region” actions.",
    )


class EditorialActionsMixin:
    """Actions for many articles at once; only editors (has_publish_permission) get them."""

    action_form = TaggingActionForm
    actions = ("add_topic", "add_region", "publish", "unpublish")

    @admin.action(description="Add the topic named in the box", permissions=["publish"])
    def add_topic(self, request, queryset):
        self.add_term(request, queryset, "topics", Topic)

    @admin.action(description="Add the region named in the box", permissions=["publish"])
    def add_region(self, request, queryset):
        self.add_term(request, queryset, "regions", Region)

    def add_term(self, request, queryset, field, model):
        name = request.POST.get("term", "").strip()
        term = model.objects.filter(name__iexact=name).first()
        if term is None:
            # New vocabulary is created deliberately in its own admin, not by a typo here.
            self.message_user(
                request,
                f"There is no {model._meta.verbose_name} named “{name}”. "
                f"Create it first under {model._meta.verbose_name_plural.title()}.",
                messages.ERROR,
            )
            return
        for article in queryset:
            getattr(article, field).add(term)
            # A new version: a form opened before this is refused on save
            # instead of quietly taking the term away again.
            article.version += 1
            article.save(update_fields=["version", "updated_at"])
            note = f"Added the {model._meta.verbose_name} “{term}” from the list"
            revisions.record(article, request.user, note=note)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Added “%(term)s” to %(count)d article.",
                "Added “%(term)s” to %(count)d articles.",
                count,
            )
            % {"term": term, "count": count},
        )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        """Publish each article that Article.publishing_problems() finds ready."""
        now = timezone.now()
        refused = []
        published = 0
        for article in queryset:
            problems = article.publishing_problems(article.ordered_authors)
            if problems:
                refused.append(f"“{article}” ({' '.join(problems.values())})")
                continue
            from_state = article.state
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or now
            article.version += 1
            article.save(update_fields=["status", "published_at", "updated_at", "version"])
            revisions.record(article, request.user, note="Published from the list")
            workflow.record(article, request.user, from_state, step_name="publish")
            published += 1
        self.message_user(
            request,
            ngettext("Published %(count)d article.", "Published %(count)d articles.", published)
            % {"count": published},
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article was not published: %(which)s",
                    "%(count)d articles were not published: %(which)s",
                    len(refused),
                )
                % {"count": len(refused), "which": "; ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            from_state = article.state
            article.status = Article.Status.DRAFT
            article.version += 1
            article.save(update_fields=["status", "updated_at", "version"])
            revisions.record(article, request.user, note="Unpublished from the list")
            workflow.record(article, request.user, from_state, step_name="unpublish")
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Moved %(count)d article back to draft.",
                "Moved %(count)d articles back to draft.",
                count,
            )
            % {"count": count},
        )
