"""Report numbers typed as text (“SR 493”) become a series and a number.

A series is made for each prefix not yet known, named after the article's
publication type. A number that cannot be read as “PREFIX NUMBER”, or that
two articles share, stops the migration with a list to fix: nothing is lost.
Authors may attach PDF editions to their articles; editors manage editions
and series.
"""

import importlib
import re

from django.db import migrations
from django.utils.text import slugify

NUMBER = re.compile(r"^\s*([A-Za-z]+)[\s.-]*(\d+)\s*$")

roles = importlib.import_module("articles.migrations.0002_roles")

AUTHOR_PERMS = [
    "articles.add_edition", "articles.change_edition", "articles.delete_edition",
    "articles.view_edition", "publications.view_series",
]  # fmt: skip
EDITOR_PERMS = [
    f"{app}.{action}_{model}"
    for app, model in (("articles", "edition"), ("publications", "series"))
    for action in ("add", "change", "delete", "view")
]


def numbers_into_series(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Series = apps.get_model("publications", "Series")
    problems, taken = [], set()
    for article in Article.objects.exclude(report_number="").select_related("publication_type"):
        match = NUMBER.match(article.report_number)
        if not match:
            problems.append(f"“{article.title}”: “{article.report_number}” is not like “SR 493”")
            continue
        prefix, number = match.group(1).upper(), int(match.group(2))
        series = Series.objects.filter(prefix=prefix).first()
        if series is None:
            kind = article.publication_type
            name = kind.plural or kind.name
            if Series.objects.filter(name=name).exists():
                name = f"{name} ({prefix})"
            series = Series.objects.create(
                name=name, slug=slugify(name), prefix=prefix, publication_type=kind
            )
        if (series.pk, number) in taken:
            problems.append(f"“{article.title}”: {prefix} {number} is used by another article too")
            continue
        taken.add((series.pk, number))
        article.series, article.series_number = series, number
        article.save(update_fields=["series", "series_number"])
    if problems:
        raise RuntimeError(
            "These report numbers cannot be turned into a series and a number. Fix them in "
            "the admin (e.g. “SR 493”) or clear them, then migrate again:\n  "
            + "\n  ".join(problems)
        )
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Authors", "Editors"]):
        codes = AUTHOR_PERMS if group.name == "Authors" else EDITOR_PERMS
        group.permissions.add(*roles.permissions(apps, codes))


def series_into_numbers(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(series__isnull=False).select_related("series"):
        article.report_number = f"{article.series.prefix} {article.series_number}"
        article.save(update_fields=["report_number"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_reports_series_editions")]

    operations = [migrations.RunPython(numbers_into_series, series_into_numbers)]
