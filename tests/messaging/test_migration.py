"""Moving today's outbox across: unsent rows are rebuilt from their booking or dropped,
sent ones keep their history without their text, and no text survives."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("appointments", "0006_booking_partner")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_old_outbox_moves_across_without_its_texts():
    old = _migrate(BEFORE)
    Locale = old.get_model("wagtailcore", "Locale")
    City, Desk = old.get_model("appointments", "City"), old.get_model("appointments", "Desk")
    Service = old.get_model("appointments", "Service")
    Offering = old.get_model("appointments", "Offering")
    Appointment = old.get_model("appointments", "Appointment")
    OutboundSMS = old.get_model("appointments", "OutboundSMS")
    PhoneChallenge = old.get_model("appointments", "PhoneChallenge")

    now = timezone.now()
    locale, _ = Locale.objects.get_or_create(language_code="it")
    city = City.objects.create(name="Bari", slug="bari")
    desk = Desk.objects.create(city=city, name="Porta Futuro")
    service = Service.objects.create(
        name="Casa", slug="casa", locale=locale, translation_key=uuid.uuid4()
    )
    offering = Offering.objects.create(desk=desk, service=service)
    start = now + timedelta(days=2)
    booking = Appointment.objects.create(
        offering=offering,
        start=start,
        end=start + timedelta(minutes=30),
        seat=1,
        slot_capacity=1,
        code="ACDEFH",
        phone="+393471234567",
        language="ar",
        status="confirmed",
    )
    challenge = PhoneChallenge.objects.create(
        phone="+393470000000", code_hash="x" * 64, expires_at=now + timedelta(minutes=5)
    )
    common = {"to": "+393471234567", "language": "ar"}
    OutboundSMS.objects.create(
        dedupe_key=f"appt:{booking.pk}:confirmed",
        body="Sportello: booking ACDEFH ... /ar/manage/SECRETTOKEN/",
        **common,
    )
    OutboundSMS.objects.create(
        dedupe_key=f"challenge:{challenge.pk}:1", body="Sportello: your code is 918273", **common
    )
    OutboundSMS.objects.create(
        dedupe_key=f"appt:{booking.pk}:moved:x",
        body="Sportello: moved",
        status="sent",
        provider_id="SM1",
        sent_at=now,
        **common,
    )

    new = _migrate(
        [("appointments", "0008_messages_move_to_messaging"), ("messaging", "0001_initial")]
    )
    Message = new.get_model("messaging", "Message")
    AccessToken = new.get_model("appointments", "AccessToken")
    NewChallenge = new.get_model("messaging", "PhoneChallenge")

    rows = {m.kind: m for m in Message.objects.all()}
    assert set(rows) == {"booking_confirmed", "booking_moved"}  # the code was dropped
    confirmed = rows["booking_confirmed"]
    assert (confirmed.status, confirmed.reference) == ("created", f"appointment:{booking.pk}")
    assert confirmed.secrets and "SECRETTOKEN" not in confirmed.secrets
    assert confirmed.scope == f"desk:{desk.pk}" and confirmed.give_up_at == start
    assert AccessToken.objects.filter(appointment_id=booking.pk).count() == 1  # a new link
    moved = rows["booking_moved"]
    assert (moved.status, moved.provider_id, moved.secrets) == ("sent", "SM1", "")
    assert NewChallenge.objects.get(pk=challenge.pk).code_hash == "x" * 64  # same row, moved
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "appointments_outboundsms" not in tables  # every stored text is gone
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
