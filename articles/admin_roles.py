"""Who may change what in the admin: the Authors and Editors roles.

Editors hold articles.publish_article (superusers hold every permission);
authors do not. Authors write: they change and delete only what they made
(their articles, the photos they uploaded, the author records they added),
and only until an editor has let an article go that uses it: a published or
scheduled article, its lead photo and its byline's author records are the
editors' to change. Model permissions come first; these rules only narrow
them.
"""

from articles.models import Article


def is_editor(request):
    return request.user.has_perm("articles.publish_article")


class OwnUntilSignedOffMixin:
    """Authors change and delete their own records until a signed-off article uses them.

    owner_field names the record's maker (set when it is added);
    signed_off_lookup is the Article lookup that finds the articles using it.
    """

    owner_field = "created_by"
    signed_off_lookup = "pk"

    def author_may_touch(self, request, obj):
        if getattr(obj, f"{self.owner_field}_id") != request.user.pk:
            return False
        used_by = {self.signed_off_lookup: obj.pk}
        return not Article.objects.signed_off().filter(**used_by).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or is_editor(request) or self.author_may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            # Asked without a record, for the list's bulk delete, which checks
            # nobody's maker: that is for editors.
            return is_editor(request)
        return is_editor(request) or self.author_may_touch(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            setattr(obj, self.owner_field, request.user)
        super().save_model(request, obj, form, change)


class ArticleRolesMixin(OwnUntilSignedOffMixin):
    """Only editors publish, schedule or unpublish: authors save drafts or send
    them to review (the steps of articles.workflow that are not editors_only)."""

    def has_publish_permission(self, request):
        return is_editor(request)
