"""Bodies saved before clean_html() dropped control characters lose them now."""

from django.db import migrations

# Those usip_cms.text.CONTROL_CHARACTERS names, except NUL (PostgreSQL text
# cannot hold it, so no stored body has one).
STORED_CONTROL = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"


def strip_control_characters(apps, schema_editor):
    # Cleaned again as a save cleans it now, not only stripped: a character
    # inside a link's scheme hid it from the cleaner of the time.
    from articles.sanitize import clean_html

    Article = apps.get_model("articles", "Article")
    found = Article.objects.filter(body__regex=STORED_CONTROL).values_list("pk", "body")
    for pk, body in list(found):
        # A queryset update: nothing else about the article changes.
        Article.objects.filter(pk=pk).update(body=clean_html(body))


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_article_language_and_translations")]

    operations = [migrations.RunPython(strip_control_characters, migrations.RunPython.noop)]
