"""`manage.py load_demo`: fill a development database with demo publications.

Creates what is missing and keeps what exists as it is, editors' changes and
account passwords included; `--reset` restores the demo on purpose. The rules
are in usip_cms/demo/loader.py, the words in usip_cms/demo/content.py.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from usip_cms.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo publications and, with DEBUG on, the demo staff accounts: create what "
        "is missing, keep what exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Also restore existing demo articles, authors and photo to the demo text, "
            "and give the demo accounts new passwords (which logs them out).",
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the content only; do not create or reset the demo accounts.",
        )

    def handle(self, *args, reset=False, no_accounts=False, **options):
        loader = DemoLoader(reset=reset)
        # Known usernames with passwords printed to a terminal have no place
        # on a production site.
        accounts = settings.DEBUG and not no_accounts
        # All or nothing: a half-loaded demo is harder to reason about than none.
        with transaction.atomic():
            summary = loader.load_content()
            logins = loader.load_accounts() if accounts else []

        for warning in loader.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(summary)
        if no_accounts:
            self.stdout.write("Demo accounts skipped (--no-accounts).")
        elif not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING("DEBUG is off: demo accounts were not created or reset.")
            )
        for line in logins:
            self.stdout.write(line)
