"""Desk managers keep who works at their desks, from the console (logged); operators and
other desks' managers cannot."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from tests.factories import OfferingFactory, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_and_people(django_user_model):
    desk = OfferingFactory().desk
    manager = django_user_model.objects.create_user("manager", password="x")
    manager.groups.add(*Group.objects.filter(name__in=["Operators", "Desk managers"]))
    operator = django_user_model.objects.create_user("operator", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    desk.staff.add(manager, operator)
    newcomer = django_user_model.objects.create_user("newcomer", password="x")
    newcomer.groups.add(Group.objects.get(name="Operators"))  # an administrator made it
    return desk, manager, operator, newcomer


def test_a_desk_manager_adds_and_removes_staff(client, desk_and_people):
    desk, manager, operator, newcomer = desk_and_people
    staff_login(client, manager)
    url = f"/desk/{desk.pk}/staff/"
    assert "operator" in client.get(url).content.decode()
    assert f'href="{url}"' in client.get(f"/desk/{desk.pk}/").content.decode()
    unknown = client.post(url, {"username": "nobody-here"})
    assert unknown.status_code == 200 and not desk.staff.filter(username="nobody-here").exists()
    assert client.post(url, {"username": "newcomer"}).status_code == 302
    assert desk.staff.filter(pk=newcomer.pk).exists()
    client.post(url, {"remove": operator.pk})
    assert not desk.staff.filter(pk=operator.pk).exists()
    client.post(url, {"remove": manager.pk})  # never oneself
    assert desk.staff.filter(pk=manager.pk).exists()
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"frontdesk.staff_added", "frontdesk.staff_removed"} <= actions


def test_operators_do_not_manage_staff(client, desk_and_people):
    desk, _manager, operator, newcomer = desk_and_people
    staff_login(client, operator)
    assert client.get(f"/desk/{desk.pk}/staff/").status_code == 403
    assert client.post(f"/desk/{desk.pk}/staff/", {"username": "newcomer"}).status_code == 403
    assert not desk.staff.filter(pk=newcomer.pk).exists()
    assert "/staff/" not in client.get(f"/desk/{desk.pk}/").content.decode()


def test_only_operators_of_this_city_are_added_and_a_bad_request_is_no_error(
    client, desk_and_people, django_user_model
):
    desk, manager, _operator, _newcomer = desk_and_people
    partner = django_user_model.objects.create_user("a-partner", password="x")
    partner.groups.add(Group.objects.get(name="Partners"))
    elsewhere = django_user_model.objects.create_user("op-napoli", password="x")
    elsewhere.groups.add(Group.objects.get(name="Operators"))
    OfferingFactory(desk__city__slug="napoli").desk.staff.add(elsewhere)
    staff_login(client, manager)
    url = f"/desk/{desk.pk}/staff/"
    for username in ("a-partner", "op-napoli", "nobody"):
        refused = client.post(url, {"username": username})
        assert refused.status_code == 200  # the same answer whoever it is
    assert not desk.staff.filter(username__in=["a-partner", "op-napoli"]).exists()
    assert client.post(url, {"remove": "not-a-number"}).status_code == 302


def test_another_desks_manager_gets_no_door(client, desk_and_people, django_user_model):
    desk, _manager, operator, newcomer = desk_and_people
    other = django_user_model.objects.create_user("manager-napoli", password="x")
    other.groups.add(*Group.objects.filter(name__in=["Operators", "Desk managers"]))
    OfferingFactory(desk__city__slug="napoli").desk.staff.add(other)
    staff_login(client, other)
    assert client.get(f"/desk/{desk.pk}/staff/").status_code == 404
    assert client.post(f"/desk/{desk.pk}/staff/", {"remove": operator.pk}).status_code == 404
    assert desk.staff.filter(pk=operator.pk).exists()
