"""Stored images get random names; portraits go through the photo pipeline.

Photos and portraits were stored under the uploader's file name, renditions
under the photo's id, so anyone could fetch a photo before its article was
public by guessing. Portraits were also kept byte for byte, GPS and all. Every
stored photo and portrait is now re-encoded by articles.images.clean_image (no
metadata, at most 4,000 px) under a random name, with new renditions under
versioned names. The code is the one uploads go through, on purpose: old
files end up exactly as new uploads would.

The old files are deleted once the migration has committed, so a failure
half-way leaves every row pointing at a file that still exists. A portrait
that is not a sound JPEG, PNG or WebP (or is missing) is removed from its
author and named in the output, to be uploaded again; a photo in that state is
left as it is and named, for an editor to replace.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import articles.images
from articles.images import (
    PORTRAIT_WIDTHS,
    RENDITION_DIR,
    RENDITION_WIDTHS,
    clean_image,
    write_renditions,
)


def reencode_stored_images(apps, schema_editor):
    using = schema_editor.connection.alias if schema_editor else "default"
    Photo = apps.get_model("articles", "Photo")
    Author = apps.get_model("articles", "Author")

    for photo in Photo.objects.using(using).exclude(image="").order_by("pk"):
        old_names = [photo.image.name, *_rendition_names(photo.renditions)]
        try:
            photo.renditions = _reencode(photo, "image", RENDITION_DIR, RENDITION_WIDTHS)
        except (ValidationError, OSError) as error:
            print(f"\n  Photo #{photo.pk} ({photo.image.name}) left as it is: {_reason(error)}")
            continue
        photo.save(update_fields=["image", "width", "height", "renditions"])
        _delete_after_commit(old_names, using)

    for author in Author.objects.using(using).exclude(portrait="").order_by("pk"):
        old_names = [author.portrait.name]
        try:
            author.portrait_renditions = _reencode(
                author, "portrait", f"{RENDITION_DIR}/authors", PORTRAIT_WIDTHS
            )
        except (ValidationError, OSError) as error:
            # Never served again as it was: upload it anew through the admin.
            print(
                f"\n  Portrait of {author.name} removed: {_reason(error)} Please upload it again."
            )
            author.portrait = ""
            author.portrait_width = author.portrait_height = None
            author.portrait_renditions = []
        author.save(
            update_fields=["portrait", "portrait_width", "portrait_height", "portrait_renditions"]
        )
        _delete_after_commit(old_names, using)


def _reencode(obj, field, folder, widths):
    """Store obj.<field> re-encoded under a new random name; return its new renditions."""
    with getattr(obj, field).open("rb") as stored:
        cleaned = clean_image(stored)
    # The field's upload_to (RandomName) names it; width and height follow.
    getattr(obj, field).save(cleaned.name, cleaned, save=False)
    return write_renditions(getattr(obj, field), f"{folder}/{obj.pk}", widths)


def _rendition_names(renditions):
    return [entry[key] for entry in renditions for key in ("webp", "jpeg") if entry.get(key)]


def _reason(error):
    if isinstance(error, ValidationError):
        return error.messages[0]
    return "the file is missing or unreadable."


def _delete_after_commit(names, using):
    def delete():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete, using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_tagged_tag_article_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="portrait_height",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="author",
            name="portrait_renditions",
            field=models.JSONField(
                default=list,
                editable=False,
                help_text="Resized WebP and JPEG copies of the portrait, made once when it changes.",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="portrait_width",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="author",
            name="portrait",
            field=models.ImageField(
                blank=True,
                height_field="portrait_height",
                help_text="A JPEG, PNG or WebP, at least 480 pixels wide, shown in a 160-pixel "
                "circle. It is stored re-encoded, without its metadata.",
                upload_to=articles.images.RandomName("portraits"),
                width_field="portrait_width",
            ),
        ),
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=models.ImageField(
                height_field="height",
                upload_to=articles.images.RandomName("photos"),
                width_field="width",
            ),
        ),
        migrations.RunPython(reencode_stored_images, migrations.RunPython.noop, elidable=True),
    ]
