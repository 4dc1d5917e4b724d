"""Record who uploaded each photo and who added each author record.

Authors may now change the author records they added and change or delete
the photos they uploaded, until a published article uses them
(articles.admin_roles): the Authors group gets articles.change_author and
articles.delete_photo for it. Existing photos and authors have no maker, so
only editors change them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

AUTHOR_PERMS = ["change_author", "delete_photo"]


def change_authors_permissions(method):
    """A migration step that adds (or removes) AUTHOR_PERMS on the Authors group."""

    def step(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        perms = Permission.objects.filter(
            content_type__app_label="articles", codename__in=AUTHOR_PERMS
        )
        for group in Group.objects.filter(name="Authors"):
            getattr(group.permissions, method)(*perms)

    return step


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_random_image_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="Who added the record: an author may change it until a published article carries it (articles.admin_roles).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="uploaded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="Who uploaded the photo: an author may change it until a published article shows it (articles.admin_roles).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(
            change_authors_permissions("add"), change_authors_permissions("remove")
        ),
    ]
