"""Reports: series numbers, ISBN, DOI, key takeaways, PDF editions, family names.

Named rather than only numbered: other branches add migrations to this app too.
"""

import django.db.models.deletion
from django.db import migrations, models

import articles.identifiers
import articles.models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_photo_uploaded_by_author_created_by"),
        ("publications", "0003_series"),
    ]

    operations = [
        migrations.CreateModel(
            name="Edition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("full", "Full report"),
                            ("summary", "Summary"),
                            ("translation", "Translation"),
                            ("annex", "Annex"),
                        ],
                        default="full",
                        max_length=12,
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        default="en",
                        help_text="A BCP 47 tag: en, fr, ar, pt-BR, zh-Hans…",
                        max_length=35,
                        validators=[articles.identifiers.normalize_language],
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="Leave empty to use the article's title.",
                        max_length=300,
                        verbose_name="title of this PDF",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        help_text="A PDF without JavaScript, forms, attachments or passwords.",
                        max_length=300,
                        upload_to=articles.models.edition_path,
                        verbose_name="PDF",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Order in the download box; lower comes first."
                    ),
                ),
                ("page_count", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "size",
                    models.PositiveBigIntegerField(
                        default=0, editable=False, verbose_name="size in bytes"
                    ),
                ),
                ("sha256", models.CharField(editable=False, max_length=64)),
                (
                    "covers",
                    models.JSONField(
                        default=list,
                        editable=False,
                        help_text="The first page as WebP and JPEG images, made once when the file changes.",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "PDF edition",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="doi",
            field=models.CharField(
                blank=True,
                help_text="E.g. 10.1234/sr.535 (a https://doi.org/ link is fine too).",
                max_length=200,
                validators=[articles.identifiers.normalize_doi],
                verbose_name="DOI",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="isbn",
            field=models.CharField(
                blank=True,
                help_text="ISBN-13 or ISBN-10, with or without hyphens; kept as 13 digits.",
                max_length=13,
                validators=[articles.identifiers.normalize_isbn],
                verbose_name="ISBN",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="key_takeaways",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Short points shown in a box near the top of the page, in order.",
                validators=[articles.models.validate_takeaways],
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="series",
            field=models.ForeignKey(
                blank=True,
                help_text="For numbered publications: the series, e.g. Special Reports.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="publications.series",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="series_number",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="493 makes “SR 493” in the Special Reports.",
                null=True,
                verbose_name="number in the series",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="family_name",
            field=models.CharField(
                blank=True,
                help_text="For citations, only when the name is not “given names, then family name”: e.g. “Xi” for Xi Jinping, “De Niro” for Robert De Niro. Write it as in the name.",
                max_length=200,
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("series", "series_number"),
                name="unique_article_series_number",
                violation_error_message="Another article already has this number in this series.",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("series__isnull", True), ("series_number__isnull", True)),
                    models.Q(("series__isnull", False), ("series_number__isnull", False)),
                    _connector="OR",
                ),
                name="article_series_has_number",
                violation_error_message="A series needs a number, and a number its series.",
            ),
        ),
        migrations.AddField(
            model_name="edition",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="editions",
                to="articles.article",
            ),
        ),
        migrations.AddConstraint(
            model_name="edition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "full")),
                fields=("article",),
                name="one_full_report_per_article",
                violation_error_message="An article has one full report; make the others translations, summaries or annexes.",
            ),
        ),
    ]
