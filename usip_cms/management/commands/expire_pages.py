"""`manage.py expire_pages`: make every cached page out of date.

Content saved through the ORM does this by itself (usip_cms/caching.py).
Run it after what sends no signal: a deploy with new templates or static
files (cached pages name the old hashed files), QuerySet.update(), bulk
loads, raw SQL.

If the cache does not answer it fails (exit status 1) naming the cache: a
deploy must not go on believing old pages are gone.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from usip_cms import caching


class Command(BaseCommand):
    help = "Make every cached page out of date (after a deploy or a bulk change)."

    def handle(self, *args, **options):
        try:
            caching.bump()
        except Exception as error:
            raise CommandError(
                f"Cached pages NOT expired: the cache at {caching.cache_location()} "
                f"did not answer ({error!r})."
            ) from error
        try:
            # Pages are out of date already; this clears what changes saved
            # while the cache was unavailable left for a process to replay.
            caching.replay_outbox()
        except DatabaseError as error:
            self.stderr.write(f"Outbox of pending invalidations not read: {error!r}")
        self.stdout.write("Cached pages expired.")
