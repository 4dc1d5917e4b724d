"""`manage.py purge_front_cache`: send the purges that failed, or purge everything.

Run it from a timer every minute in production (failed purges are kept in the
database until they go through), and after a deploy with `--all`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from usip_cms import frontcache


class Command(BaseCommand):
    help = "Send again the front-cache purges that failed; --all purges every page."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Purge every public page.")

    def handle(self, *args, all=False, **options):
        if not settings.FRONT_CACHE_URLS:
            self.stdout.write("No front cache configured (FRONT_CACHE_URLS).")
            return
        if all:
            frontcache.purge_site()
        if not frontcache.retry_pending():
            raise CommandError("Some front-cache purges failed and are kept to retry.")
        self.stdout.write("Front cache up to date.")
