"""Bodies saved before clean_html() dropped control characters lose them now."""

from django.db import migrations

# Those usip_cms.text.CONTROL_CHARACTERS names, except NUL (PostgreSQL text
# cannot hold it, so no stored body has one).
STORED_CONTROL = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"


def strip_control_characters(apps, schema_editor):
    from usip_cms.text import strip_control_characters as strip

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(body__regex=STORED_CONTROL).only("pk", "body").iterator():
        # A queryset update: the body's HTML is otherwise as it was cleaned.
        Article.objects.filter(pk=article.pk).update(body=strip(article.body))


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_article_language_and_translations")]

    operations = [migrations.RunPython(strip_control_characters, migrations.RunPython.noop)]
