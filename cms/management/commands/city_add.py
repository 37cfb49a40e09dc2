"""Adds a city, so the next programme's cities are data: the city, its first desk, its
page in every language's tree, and its editors group with their permissions.

    manage.py city_add "Bari" --region Puglia --desk "Sportello Unico Bari" \\
        --address "Piazza del Ferrarese 1, Bari" --phone "+39 080 000 0000"
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from appointments.models import City, Desk
from cms.editors import city_editors_ensure
from cms.locales import trees_sync
from cms.models import CityPage
from cms.setup import home_page


class Command(BaseCommand):
    help = "Add a city with its first desk, its pages in every language and its editors."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--slug", default="")
        parser.add_argument("--region", default="")
        parser.add_argument("--desk", default="", help='Default: "Sportello Unico <name>".')
        parser.add_argument("--address", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--time-zone", default="Europe/Rome")

    @transaction.atomic
    def handle(self, *args, **options):
        name = options["name"].strip()
        slug = options["slug"] or slugify(name)
        if not name or not slug:
            raise CommandError("A city needs a name.")
        if City.objects.filter(slug=slug).exists():
            raise CommandError(f"A city with the slug {slug!r} exists already.")
        try:
            ZoneInfo(options["time_zone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"Unknown time zone {options['time_zone']!r}.") from exc
        city = City.objects.create(name=name, slug=slug, region=options["region"])
        desk = Desk.objects.create(
            city=city,
            name=options["desk"] or f"Sportello Unico {name}",
            address=options["address"],
            phone=options["phone"],
            time_zone=options["time_zone"],
        )
        home = home_page()
        page = home.add_child(
            instance=CityPage(title=name, slug=slug, city=city, locale=home.locale)
        )
        page.save_revision().publish()
        trees_sync()  # the city's page in every language
        group = city_editors_ensure(city)
        pages = CityPage.objects.filter(city=city).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: desk {desk.name!r}, {pages} city pages (one per language), "
                f"editors group {group.name!r}. Add its editors to that group and its desk "
                "staff to the desk; give the desk its offerings, walk-in hours and texts."
            )
        )
