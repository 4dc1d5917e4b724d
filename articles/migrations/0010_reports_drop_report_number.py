"""The report number is derived from the series and the number now (0009 moved it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_reports_numbers_into_series")]

    operations = [migrations.RemoveField(model_name="article", name="report_number")]
