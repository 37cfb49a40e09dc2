"""A person sees, takes away and erases their data at the desk (frontdesk.person): after an
SMS code to their number, and afterwards the number is nowhere in the database except as
a keyed hash in the opt-out list."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from accounts.audit import subject_hash
from accounts.models import AuditEntry
from appointments.models import Appointment
from frontdesk import services
from frontdesk.models import Queue
from messaging.backends import MemoryBackend
from messaging.models import Message, Suppression
from messaging.optouts import opt_out, phone_key
from tests.factories import (
    ConfirmedAppointmentFactory,
    OfferingFactory,
    full_offering,
    last_sms_code,
    staff_login,
    waiting,
)
from tests.privacy import number_traces

pytestmark = pytest.mark.django_db

NUMBER = "+393471234567"


def _t(text: str) -> str:
    with translation.override("it"):
        return translation.gettext(text)


@pytest.fixture
def desk_and_operator(django_user_model):
    offering = OfferingFactory(desk__city__slug="perugia", desk__city__name="Perugia")
    operator = django_user_model.objects.create_user("op", password="x")
    operator.groups.add(Group.objects.get(name="Operators"))
    offering.desk.staff.add(operator)
    return offering, operator


@pytest.fixture
def a_life(desk_and_operator):
    """What a person leaves behind: bookings in two cities (a past one and a coming one),
    a waiting-list place, a walk-in ticket with the number, texts, an operator's look at
    a booking."""
    offering, _operator = desk_and_operator
    past = ConfirmedAppointmentFactory(
        offering=offering,
        phone=NUMBER,
        name="Amal",
        reason="permesso di soggiorno",
        start=timezone.now() - timedelta(days=3),
        status=Appointment.Status.SERVED,
    )
    napoli = OfferingFactory(desk__city__slug="napoli", desk__city__name="Napoli")
    coming = ConfirmedAppointmentFactory(offering=napoli, phone=NUMBER, name="Amal")
    waiting(full_offering(desk=offering.desk), NUMBER, "ar")
    queue = Queue.objects.filter(desk=offering.desk).first()
    ticket = services.walk_in_issue(queue=queue, phone=NUMBER, language="ar")
    return past, coming, ticket


def _prove(client, desk, phone=NUMBER):
    started = client.post(f"/desk/{desk.pk}/person/", {"phone": "347 123 4567", "language": "ar"})
    assert started["Location"] == f"/desk/{desk.pk}/person/code/"
    code = last_sms_code(to=phone)
    return client.post(f"/desk/{desk.pk}/person/code/", {"code": code})


def test_the_person_sees_their_data_after_the_code_and_takes_it_away(
    client, desk_and_operator, a_life
):
    offering, operator = desk_and_operator
    past, coming, ticket = a_life
    desk = offering.desk
    staff_login(client, operator)
    assert client.get(f"/desk/{desk.pk}/person/data/")["Location"] == f"/desk/{desk.pk}/person/"
    started = client.post(f"/desk/{desk.pk}/person/", {"phone": "347 123 4567", "language": "ar"})
    assert NUMBER not in started["Location"] and "4567" not in started["Location"]
    session_text = json.dumps(dict(client.session.items()))
    assert "4567" not in session_text  # the session holds the phone check's id only
    wrong = client.post(f"/desk/{desk.pk}/person/code/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get(f"/desk/{desk.pk}/person/data/").status_code == 302  # still closed
    opened = client.post(
        f"/desk/{desk.pk}/person/code/", {"code": last_sms_code(to=NUMBER)}, follow=True
    )
    page = opened.content.decode()
    for seen in ("Perugia", "Napoli", "Amal", ticket.label):
        assert seen in page
    exported = client.get(f"/desk/{desk.pk}/person/data.json")
    assert exported["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.content)
    assert {b["code"] for b in data["bookings"]} == {past.code, coming.code}
    assert data["bookings"][-1]["reason"] == "permesso di soggiorno"
    assert len(data["waiting_lists"]) == 1 and len(data["tickets"]) == 1
    assert data["texts"] and all(set(t) == {"kind", "status", "queued"} for t in data["texts"])
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["person.find", "person.export"]
    assert all(NUMBER[3:] not in str(v) for v in AuditEntry.objects.values_list())


def test_an_erasure_leaves_the_number_nowhere_but_the_opt_out_hash(
    client, desk_and_operator, a_life
):
    offering, operator = desk_and_operator
    past, coming, ticket = a_life
    desk = offering.desk
    staff_login(client, operator)
    client.get(f"/desk/{desk.pk}/bookings/{past.pk}/")  # an operator looked at it: audited
    opt_out(NUMBER)  # they had texted STOP: they must stay opted out
    assert number_traces(NUMBER)  # the test can see the number where it is
    _prove(client, desk)
    refused = client.post(f"/desk/{desk.pk}/person/erase/", {})
    assert refused.status_code == 302 and Appointment.objects.filter(phone=NUMBER).exists()
    sent_before = len(MemoryBackend.outbox)
    done = client.post(f"/desk/{desk.pk}/person/erase/", {"confirm": "on"})
    assert done["Location"] == f"/desk/{desk.pk}/"

    hashes = {
        subject_hash(NUMBER),
        phone_key(NUMBER),
    }
    traces = number_traces(NUMBER, also=tuple(hashes))
    assert traces == [f"messaging_suppression.phone_hash: {phone_key(NUMBER)}"], traces
    assert Suppression.objects.get().reason == Suppression.Reason.OPTED_OUT
    coming.refresh_from_db()
    assert coming.status == Appointment.Status.CANCELLED  # its place is free again
    assert len(MemoryBackend.outbox) == sent_before  # no cancellation text went out
    assert not Message.objects.filter(status="created").exists()
    ticket.refresh_from_db()
    assert ticket.phone == "" and ticket.language == "ar"  # the ticket stays, without the number
    erase = AuditEntry.objects.get(action="person.erase")
    assert erase.subject_hash == "" and erase.username == "op"
    assert client.get(f"/desk/{desk.pk}/person/data/").status_code == 302  # closed again


def test_another_desks_operator_gets_no_door(client, desk_and_operator, django_user_model):
    offering, _operator = desk_and_operator
    stranger = django_user_model.objects.create_user("op-napoli", password="x")
    OfferingFactory(desk__city__slug="napoli").desk.staff.add(stranger)
    staff_login(client, stranger)
    for path in ("", "code/", "data/", "data.json"):
        assert client.get(f"/desk/{offering.desk.pk}/person/{path}").status_code == 404
    assert (
        client.post(f"/desk/{offering.desk.pk}/person/erase/", {"confirm": "on"}).status_code == 404
    )


def test_codes_to_strangers_numbers_are_limited(client, desk_and_operator):
    offering, operator = desk_and_operator
    staff_login(client, operator)
    statuses = []
    for n in range(25):
        response = client.post(
            f"/desk/{offering.desk.pk}/person/", {"phone": f"347 000 {n:04d}", "language": "it"}
        )
        statuses.append(response.status_code)
    assert statuses[:20] == [302] * 20 and statuses[20:] == [200] * 5
    assert _t("Too many codes were sent. Try again in an hour.") in response.content.decode()
    assert Message.objects.filter(kind="code").count() == 20  # no text past the limit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_at_a_strangers_code_get_no_extra_tries(client, settings):
    """Twenty wrong codes posted at once count as twenty tries: after CODE_MAX_ATTEMPTS the
    code is used up, whatever the timing (the phone check's row is locked per try)."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    from messaging.models import PhoneChallenge

    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    from django.contrib.auth import get_user_model

    offering = OfferingFactory()
    operator = get_user_model().objects.create_user("op", password="x")
    offering.desk.staff.add(operator)
    staff_login(client, operator)
    desk = offering.desk
    client.post(f"/desk/{desk.pk}/person/", {"phone": "347 123 4567", "language": "it"})
    right = last_sms_code(to=NUMBER)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    cookies = client.cookies
    barrier = threading.Barrier(20)

    def guess() -> None:
        try:
            guesser = Client()
            guesser.cookies = cookies
            barrier.wait(timeout=30)
            guesser.post(f"/desk/{desk.pk}/person/code/", {"code": wrong})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    challenge = PhoneChallenge.objects.get(phone=NUMBER)
    assert challenge.attempts == settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    assert challenge.verified_at is None
    late = client.post(f"/desk/{desk.pk}/person/code/", {"code": right})
    assert late.status_code == 302 and late["Location"] == f"/desk/{desk.pk}/person/"  # used up
