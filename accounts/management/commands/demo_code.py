from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_KEY, demo_code


class Command(BaseCommand):
    help = "Print the demo logins' current second-factor code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo: it runs only with DEBUG on.")
        self.stdout.write(demo_code())
        self.stderr.write(f"(or add the key {DEMO_KEY} to an authenticator app)")
