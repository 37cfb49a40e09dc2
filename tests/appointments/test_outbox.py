"""The SMS outbox: one row per event, sent once, retried when the provider fails."""

import pytest
from appointments.sms import MemoryBackend
from django.db import transaction

from appointments.models import OutboundSMS
from appointments.services import sms as outbox

pytestmark = pytest.mark.django_db


def test_the_same_event_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = outbox.sms_queue(to="+393471234567", body="hi", language="it", dedupe_key="e:1")
        again = outbox.sms_queue(to="+393471234567", body="hi", language="it", dedupe_key="e:1")
    assert first.pk == again.pk
    assert OutboundSMS.objects.count() == 1


def test_a_queued_message_is_sent_by_the_django_q_worker_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms = outbox.sms_queue(to="+393471234567", body="hello", language="it", dedupe_key="e:2")
    assert len(callbacks) == 1
    sms.refresh_from_db()
    assert sms.status == OutboundSMS.Status.SENT
    assert sms.provider_id == "mem-1" and sms.backend == "memory" and sms.attempts == 1
    assert MemoryBackend.outbox == [{"to": "+393471234567", "body": "hello"}]


def test_nothing_is_queued_when_the_causing_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.sms_queue(to="+393471234567", body="x", language="it", dedupe_key="e:3")
        raise RuntimeError("the booking failed")
    assert not OutboundSMS.objects.exists()
    assert MemoryBackend.outbox == []


def test_a_row_is_never_sent_twice():
    sms = OutboundSMS.objects.create(
        to="+393471234567", body="once", language="it", dedupe_key="e:4"
    )
    assert outbox.sms_send(sms_id=sms.pk) == "sent"
    assert outbox.sms_send(sms_id=sms.pk) == "skipped"
    assert outbox.sms_send_due() == 0
    assert len(MemoryBackend.outbox) == 1


def test_a_failed_send_is_kept_and_retried_then_given_up():
    sms = OutboundSMS.objects.create(
        to="+393471234567", body="retry", language="it", dedupe_key="e:5"
    )
    MemoryBackend.fail_next = 1
    assert outbox.sms_send(sms_id=sms.pk) == "queued"
    sms.refresh_from_db()
    assert sms.last_error.startswith("ConnectionError") and sms.attempts == 1
    assert outbox.sms_send_due() == 1
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 2 and sms.last_error == ""

    doomed = OutboundSMS.objects.create(
        to="+393471234567", body="no", language="it", dedupe_key="e:6"
    )
    MemoryBackend.fail_next = outbox.MAX_ATTEMPTS
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.sms_send_due()
    doomed.refresh_from_db()
    assert doomed.status == "failed" and doomed.attempts == outbox.MAX_ATTEMPTS


def test_console_backend_logs_the_text_but_not_the_number(caplog, settings):
    settings.SPORTELLO = {**settings.SPORTELLO, "SMS_BACKEND": "appointments.sms.ConsoleBackend"}
    sms = OutboundSMS.objects.create(
        to="+393471234567", body="code 123456", language="it", dedupe_key="e:7"
    )
    outbox.sms_send(sms_id=sms.pk)
    assert "code 123456" in caplog.text
    assert "3471234567" not in caplog.text
