"""Makes the site's skeleton (safe to run again): every locale's home page, the standard
pages with their first text in all 16 languages, every locale's page tree complete."""

from django.core.management.base import BaseCommand

from cms.setup import site_setup


class Command(BaseCommand):
    help = "Create the home and standard pages in every language (safe to run again)."

    def handle(self, *args, **options):
        made = site_setup()
        self.stdout.write(
            f"{made['home_pages']} home pages and "
            f"{made['standard_page_translations']} standard page translations made."
        )
