from datetime import timedelta

import pytest

from appointments.models import Appointment
from appointments.services.retention import personal_data_forget
from messaging.models import Message
from messaging.sealing import seal
from tests.factories import ConfirmedAppointmentFactory

pytestmark = pytest.mark.django_db


def test_personal_data_is_blanked_after_the_retention_period(now, settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "RETENTION_DAYS": 30}
    old = ConfirmedAppointmentFactory(
        start=now - timedelta(days=40),
        end=now - timedelta(days=40) + timedelta(minutes=30),
        name="Amal",
        reason="permesso",
    )
    recent = ConfirmedAppointmentFactory(
        start=now - timedelta(days=3), end=now - timedelta(days=3, minutes=-30), name="Li"
    )
    common = {"kind": "code", "language": "it", "due_at": now, "give_up_at": now}
    sent = Message.objects.create(
        to="+393471234567", secrets=seal({"code": "1"}), dedupe_key="a", status="sent", **common
    )
    queued = Message.objects.create(
        to="+393471234568", secrets=seal({"code": "2"}), dedupe_key="b", **common
    )
    Message.objects.filter(pk__in=[sent.pk, queued.pk]).update(created_at=now - timedelta(days=40))

    assert personal_data_forget(now=now) == {
        "appointments": 1,
        "sms": 1,
        "sealed": 0,  # went with the number
        "waitlist": 0,
        "phone_checks": 0,
    }

    old.refresh_from_db()
    assert (old.phone, old.name, old.reason, old.status) == ("", "", "", "confirmed")
    assert Appointment.objects.get(pk=recent.pk).name == "Li"
    sent.refresh_from_db()
    assert (sent.to, sent.secrets, sent.status) == ("", "", "sent")
    kept = Message.objects.get(pk=queued.pk)  # not yet sent: kept, to be sent or given up
    assert kept.to == "+393471234568" and kept.secrets
    assert personal_data_forget(now=now) == {
        "appointments": 0,
        "sms": 0,
        "sealed": 0,
        "waitlist": 0,
        "phone_checks": 0,
    }
