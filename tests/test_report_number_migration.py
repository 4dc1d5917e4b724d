"""Report numbers typed as text before series existed become a series and a number."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("articles", "0008_reports_series_editions"), ("publications", "0003_series")]
AFTER = [("articles", "0009_reports_numbers_into_series")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_articles(seeded_vocabularies):
    """The models as they were with a free-text report number; back to now afterwards."""
    apps = migrate(BEFORE)
    yield apps
    # Whatever the test left (numbers that stop the migration), forward again.
    apps.get_model("articles", "Article").objects.all().delete()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make(apps, title, report_number, type_name="Special Report"):
    Article = apps.get_model("articles", "Article")
    PublicationType = apps.get_model("publications", "PublicationType")
    return Article.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        publication_type=PublicationType.objects.get(name=type_name),
        report_number=report_number,
    )


def test_typed_numbers_become_a_series_and_a_number(old_articles):
    make(old_articles, "First", "SR 493")
    make(old_articles, "Second", "sr-494")
    make(old_articles, "Third", "PW 165", type_name="Peaceworks")
    make(old_articles, "Plain", "")

    apps = migrate(AFTER)
    Article = apps.get_model("articles", "Article")
    numbers = {
        a.title: (a.series.prefix if a.series else None, a.series_number)
        for a in Article.objects.select_related("series")
    }
    assert numbers == {
        "First": ("SR", 493),
        "Second": ("SR", 494),
        "Third": ("PW", 165),
        "Plain": (None, None),
    }
    series = apps.get_model("publications", "Series").objects.get(prefix="SR")
    assert (series.name, series.publication_type.name) == ("Special Reports", "Special Report")


def test_a_number_that_cannot_be_read_stops_the_migration_with_a_list(old_articles):
    make(old_articles, "Odd", "the 12th report")
    make(old_articles, "Twice", "SR 1")
    make(old_articles, "Again", "SR 1")

    with pytest.raises(RuntimeError) as refusal:
        migrate(AFTER)
    message = str(refusal.value)
    assert "“Odd”: “the 12th report” is not like “SR 493”" in message
    assert "SR 1 is used by another article too" in message
