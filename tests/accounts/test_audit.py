"""Staff's access to personal data is recorded (accounts.audit), without the number in
clear, and desk managers read it for their own desks only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.audit import audit_entries_about
from accounts.models import AuditEntry
from tests.factories import ConfirmedAppointmentFactory, OfferingFactory, staff_login

pytestmark = pytest.mark.django_db

NUMBER = "+393471234567"


@pytest.fixture
def perugia(django_user_model):
    offering = OfferingFactory(desk__city__slug="perugia", desk__city__name="Perugia")
    operator = django_user_model.objects.create_user("op-perugia", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    manager = django_user_model.objects.create_user("manager-perugia", password="x")
    manager.groups.add(Group.objects.get(name="Desk managers"))
    offering.desk.staff.add(operator, manager)
    booking = ConfirmedAppointmentFactory(offering=offering, phone=NUMBER, name="Amal")
    return offering.desk, operator, manager, booking


@pytest.fixture
def napoli(django_user_model):
    offering = OfferingFactory(
        desk__city__slug="napoli", desk__city__name="Napoli", desk__name="Sportello Napoli"
    )
    operator = django_user_model.objects.create_user("op-napoli-secret", password="x")
    offering.desk.staff.add(operator)
    booking = ConfirmedAppointmentFactory(offering=offering, phone="+393339876543")
    return offering.desk, operator, booking


def _no_clear_number(phone: str) -> None:
    national = phone[3:]
    for row in AuditEntry.objects.values_list():
        assert all(national not in str(value) for value in row), row


def test_opening_searching_and_changing_a_booking_are_recorded(client, perugia):
    desk, operator, _manager, booking = perugia
    staff_login(client, operator)
    assert client.get(f"/desk/{desk.pk}/bookings/{booking.pk}/").status_code == 200
    client.post(f"/desk/{desk.pk}/", {"q": "1234567"})
    client.get(f"/desk/{desk.pk}/day/")
    client.post(f"/desk/{desk.pk}/bookings/{booking.pk}/cancel/", {"confirm": "on"})
    entries = list(AuditEntry.objects.order_by("at", "pk"))
    assert [e.action for e in entries] == [
        "booking.view",
        "booking.search",
        "daylist.view",
        "booking.change",
    ]
    assert {e.username for e in entries} == {"op-perugia"}
    assert {e.desk_id for e in entries} == {desk.pk}
    assert entries[0].object_ref == f"appointment:{booking.pk}"
    assert entries[0].detail == "+*********567"
    assert entries[1].detail == "…567"
    _no_clear_number(NUMBER)
    # The entries about one person are found by their number (for their own request).
    assert set(audit_entries_about(NUMBER)) == {entries[0], entries[3]}


def test_opening_a_booking_in_the_admin_is_recorded(client, perugia):
    _desk, operator, _manager, booking = perugia
    staff_login(client, operator)
    url = f"/admin/snippets/appointments/appointment/inspect/{booking.pk}/"
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_ref) == ("booking.view", f"appointment:{booking.pk}")
    _no_clear_number(NUMBER)


def test_a_desk_manager_reads_their_desks_log_and_nothing_of_another_city(client, perugia, napoli):
    desk, operator, manager, booking = perugia
    napoli_desk, napoli_operator, napoli_booking = napoli
    staff_login(client, operator)
    client.get(f"/desk/{desk.pk}/bookings/{booking.pk}/")
    staff_login(client, napoli_operator)
    client.get(f"/desk/{napoli_desk.pk}/bookings/{napoli_booking.pk}/")
    assert AuditEntry.objects.count() == 2

    staff_login(client, manager)
    page = client.get("/admin/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "op-perugia" in body and f"appointment:{booking.pk}" in body
    assert "op-napoli-secret" not in body and f"appointment:{napoli_booking.pk}" not in body
    assert "Sportello Napoli" not in body
    assert NUMBER not in body and "+*********567" in body
    from django.utils import translation

    with translation.override("it"):
        title = translation.gettext("Audit log")
    header = body.split('<header class="w-slim-header')[1].split("</header>")[0]
    assert header.count(title) == 2  # the screen reader's h1, and the visible breadcrumb


def test_operators_do_not_read_the_audit_log(client, perugia):
    _desk, operator, _manager, _booking = perugia
    staff_login(client, operator)
    refused = client.get("/admin/audit/")  # Wagtail's answer: back to the dashboard
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
