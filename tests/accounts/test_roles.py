"""Staff roles are groups made at migrate, each default permission given once: what an
administrator changes afterwards stays changed (accounts.roles)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import RoleGrant
from accounts.roles import roles_ensure

pytestmark = pytest.mark.django_db

ROLES = {"Operators", "Desk managers", "Editors", "Partners"}


def _perms(group: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=group).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def _migrate():
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate runs as in a release


def test_every_role_has_its_group_and_permissions():
    assert ROLES <= set(Group.objects.values_list("name", flat=True))
    assert {"frontdesk.view_queue", "appointments.book_on_behalf"} <= _perms("Operators")
    assert {
        "frontdesk.call_out_of_order",
        "frontdesk.change_displayscreen",
        "appointments.change_offering",
        "appointments.add_closure",
    } <= _perms("Desk managers")
    assert "appointments.change_offering" not in _perms("Operators")
    assert _perms("Partners") == {
        "wagtailadmin.access_admin",
        "appointments.book_on_behalf",
        "appointments.view_appointment",
    }


def test_a_permission_an_administrator_took_away_stays_away():
    operators = Group.objects.get(name="Operators")
    operators.permissions.remove(
        *operators.permissions.filter(codename__in=["add_closure", "change_closure"])
    )
    _migrate()
    assert not {"appointments.add_closure", "appointments.change_closure"} & _perms("Operators")


def test_a_group_an_administrator_deleted_stays_deleted():
    Group.objects.filter(name="Partners").delete()
    _migrate()
    assert not Group.objects.filter(name="Partners").exists()


def test_a_permission_a_release_adds_reaches_the_group_once():
    roles_ensure(("frontdesk",), {"Operators": ["frontdesk.change_counter"]})
    assert "frontdesk.change_counter" in _perms("Operators")
    operators = Group.objects.get(name="Operators")
    operators.permissions.remove(*operators.permissions.filter(codename="change_counter"))
    roles_ensure(("frontdesk",), {"Operators": ["frontdesk.change_counter"]})
    assert "frontdesk.change_counter" not in _perms("Operators")
    assert (
        RoleGrant.objects.filter(role="Operators", permission="frontdesk.change_counter").count()
        == 1
    )
