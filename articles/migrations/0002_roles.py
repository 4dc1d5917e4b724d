"""Create the Authors and Editors groups with their model permissions.

Authors write: they add and change articles and photos and add authors; the
admin keeps them to their own unpublished work (articles.admin). Editors also
tag the vocabularies, publish, schedule and delete.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHOR_PERMS = [
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.add_photo", "articles.change_photo", "articles.view_photo",
    "articles.add_author", "articles.view_author",
    "articles.add_articleauthor", "articles.change_articleauthor",
    "articles.delete_articleauthor", "articles.view_articleauthor",
    "publications.view_publicationtype", "publications.view_topic", "publications.view_region",
]  # fmt: skip

EDITOR_MODELS = {
    "articles": ["article", "photo", "author", "articleauthor", "taggedtopic", "taggedregion"],
    "publications": ["publicationtype", "topic", "region"],
}


def permissions(apps, codes):
    """The Permission rows for codes ("app.codename"), made first if missing."""
    # Permissions are normally created after migrate; make them exist now.
    # The migration state's app configs lack models_module, which
    # create_permissions checks to skip apps without models.
    for app_label in ("articles", "publications"):
        app_config = apps.get_app_config(app_label)
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = saved
    Permission = apps.get_model("auth", "Permission")
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")

    def perms(codes):
        return permissions(apps, codes)

    authors, _ = Group.objects.get_or_create(name="Authors")
    authors.permissions.add(*perms(AUTHOR_PERMS))
    editor_codes = [
        f"{app}.{action}_{model}"
        for app, models in EDITOR_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*perms([*editor_codes, "articles.publish_article"]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("publications", "0002_seed_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
