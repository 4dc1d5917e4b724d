"""`manage.py expire_pages`: make every cached page out of date.

Content saved through the ORM does this by itself (usip_cms/caching.py).
Run it after what sends no signal: a deploy with new templates or static
files (cached pages name the old hashed files), QuerySet.update(), bulk
loads, raw SQL.
"""

from django.core.management.base import BaseCommand

from usip_cms import caching


class Command(BaseCommand):
    help = "Make every cached page out of date (after a deploy or a bulk change)."

    def handle(self, *args, **options):
        caching.new_generation()
        self.stdout.write("Cached pages expired.")
