# The topics and regions an article is about, in its search vector (articles.search).
from importlib import import_module

from django.db import migrations, models

# SQLite may add or drop a column by making the table again, which drops its
# triggers: 0011's triggers that keep the FTS5 table in step are made again.
INITIAL = import_module("articles.migrations.0011_search_index")
TRIGGERS = [
    sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1)
    for sql in INITIAL.SQLITE
    if sql.startswith("CREATE TRIGGER")
]
# run({vendor: statements}) and fill() (every document rebuilt) as 0011 made them.
run, fill = INITIAL.run, INITIAL.fill

# 0011's vector with the facets' lexemes added (no positions, no weight).
VECTOR = """ALTER TABLE articles_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('search_english'::regconfig, title), 'A')
    || setweight(to_tsvector('search_english'::regconfig, summary), 'B')
    || setweight(to_tsvector('search_english'::regconfig, people || ' ' || terms), 'C')
    || setweight(to_tsvector('search_english'::regconfig, body), 'D')
    {facets}
) STORED"""
INDEX = (
    "CREATE INDEX articles_searchdocument_vector_idx ON articles_searchdocument USING gin (vector)"
)
DROP = [
    "DROP INDEX IF EXISTS articles_searchdocument_vector_idx",
    "ALTER TABLE articles_searchdocument DROP COLUMN vector",
]
# The documents' foreign keys are checked at commit; the table cannot be
# altered with those checks pending, so they are made now.
ADD = [
    "SET CONSTRAINTS ALL IMMEDIATE",
    VECTOR.format(facets="|| array_to_tsvector(string_to_array(facets, E'\\n'))"),
    INDEX,
]
ADD_BEFORE = [VECTOR.format(facets=""), INDEX]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_strip_control_characters_from_bodies"),
    ]

    operations = [
        # Undone, the column goes last, making the table again: the triggers then.
        migrations.RunPython(migrations.RunPython.noop, run({"sqlite": TRIGGERS})),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(
                blank=True,
                default="",
                help_text="The topics and regions the article is about, one per line"
                " (“topic 7”, “region 3”, with the regions containing its own): lexemes of"
                " the PostgreSQL vector that no reader's words can make, for the facets.",
            ),
        ),
        # The vector goes while the documents are rebuilt (once, not twice per
        # row), and comes back reading the new column.
        migrations.RunPython(run({"sqlite": TRIGGERS}), migrations.RunPython.noop),
        migrations.RunPython(run({"postgresql": DROP}), run({"postgresql": ADD_BEFORE})),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(run({"postgresql": ADD}), run({"postgresql": DROP})),
    ]
