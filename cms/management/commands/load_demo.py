"""Loads the demo content of every app, idempotently, and prints the demo logins.

Each installed project app may have a ``demo`` module with ``load(*, log)``; they run in
``INSTALLED_APPS`` order, so an app's demo data can use that of the apps before it.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_KEY, demo_authenticator
from appointments.models import City, Desk, PartnerOrganisation

PROJECT_APPS = ("appointments", "frontdesk", "cms")
DEMO_STAFF_CITY = "perugia"

# username -> (password, groups, is_superuser). Demo only: load_demo refuses DEBUG=False.
DEMO_USERS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "admin": ("sportello-admin", (), True),
    "editor": ("sportello-editor", ("Editors",), False),
    "operator": ("sportello-operator", ("Operators",), False),
    "manager": ("sportello-manager", ("Operators", "Desk managers"), False),
    "partner": ("sportello-partner", ("Partners",), False),
}
DEMO_PARTNER = "Associazione Accoglienza Perugia"
# Every other city's desks have their own operator: operator-<city>, this password.
CITY_OPERATOR_PASSWORD = DEMO_USERS["operator"][0]  # demo only, like the others
SECOND_STEP = (
    "  After the password, every login asks for a 6-digit code: run "
    "`.venv/bin/python manage.py demo_code`,\n"
    f"  or add the key {DEMO_KEY} to an authenticator app on your phone."
)


class Command(BaseCommand):
    help = "Load the demo cities, pages and logins (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("load_demo creates known passwords: it runs only with DEBUG on.")
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name not in PROJECT_APPS or not find_spec(f"{config.name}.demo"):
                    continue
                module = import_module(f"{config.name}.demo")
                module.load(
                    log=lambda text, app=config.label: self.stdout.write(f"  {app}: {text}")
                )
            self._users()
        if not options["quiet_logins"]:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo logins (admin at /admin/; editor, operator, manager and partner work "
                    "in Perugia):"
                )
            )
            for username, (password, groups, _su) in DEMO_USERS.items():
                role = ", ".join(groups) or "superuser"
                self.stdout.write(f"  {username:<9} {password:<20} {role}")
            self.stdout.write(
                f"  operator-<city> (operator-napoli, operator-torino ...) "
                f"{CITY_OPERATOR_PASSWORD}: the operator of that city's desks"
            )
            self.stdout.write(SECOND_STEP)

    def _users(self) -> None:
        user_model = get_user_model()
        for username, (password, groups, is_superuser) in DEMO_USERS.items():
            user, created = user_model.objects.get_or_create(
                username=username,
                # Django's admin (is_staff) is for administrators; the others work in Wagtail's.
                defaults={"is_staff": is_superuser, "is_superuser": is_superuser},
            )
            if created:
                user.set_password(password)
                user.save()
            demo_authenticator(user)
            for name in groups:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
            perugia = Desk.objects.filter(city__slug=DEMO_STAFF_CITY)
            if "Partners" in groups:  # a partner books at its organisation's desks only
                organisation, _ = PartnerOrganisation.objects.get_or_create(name=DEMO_PARTNER)
                organisation.desks.add(*perugia)
                organisation.members.add(user)
            elif not is_superuser:  # staff see only their own desks: they work in Perugia
                for desk in perugia:
                    desk.staff.add(user)
            if "Editors" in groups:  # and write Perugia's pages, in every language
                city = City.objects.get(slug=DEMO_STAFF_CITY)
                if city.editors_id:
                    user.groups.add(city.editors)
        operators = Group.objects.get(name="Operators")
        for city in City.objects.exclude(slug=DEMO_STAFF_CITY):
            user, created = user_model.objects.get_or_create(username=f"operator-{city.slug}")
            if created:
                user.set_password(CITY_OPERATOR_PASSWORD)
                user.save()
            demo_authenticator(user)
            user.groups.add(operators)
            for desk in city.desks.all():
                desk.staff.add(user)
