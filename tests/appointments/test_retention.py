from datetime import timedelta

import pytest

from appointments.models import Appointment, OutboundSMS
from appointments.services.retention import personal_data_forget
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
    sent = OutboundSMS.objects.create(
        to="+393471234567", body="code 1", language="it", dedupe_key="a", status="sent"
    )
    queued = OutboundSMS.objects.create(
        to="+393471234568", body="code 2", language="it", dedupe_key="b"
    )
    OutboundSMS.objects.filter(pk__in=[sent.pk, queued.pk]).update(
        created_at=now - timedelta(days=40)
    )

    assert personal_data_forget(now=now) == {
        "appointments": 1,
        "sms": 1,
        "waitlist": 0,
        "phone_checks": 0,
    }

    old.refresh_from_db()
    assert (old.phone, old.name, old.reason, old.status) == ("", "", "", "confirmed")
    assert Appointment.objects.get(pk=recent.pk).name == "Li"
    sent.refresh_from_db()
    assert (sent.to, sent.body) == ("", "")
    assert OutboundSMS.objects.get(pk=queued.pk).to == "+393471234568"  # not yet sent: kept
    assert personal_data_forget(now=now) == {
        "appointments": 0,
        "sms": 0,
        "waitlist": 0,
        "phone_checks": 0,
    }
