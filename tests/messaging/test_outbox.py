"""The outbox: one row per event, sent once, followed to its end, secrets never at rest."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from messaging import optouts
from messaging.backends import MemoryBackend
from messaging.models import Message, MessageStatus
from messaging.outbox import (
    after_quiet_hours,
    before_quiet_hours,
    message_queue,
    message_send,
    message_status_record,
    messages_send_due,
)

pytestmark = pytest.mark.django_db
PHONE = "+393471234567"
ROME = ZoneInfo("Europe/Rome")


def _code(key="e:1", code="123456", **kwargs) -> Message:
    kwargs.setdefault("now", timezone.now())
    return message_queue(
        kind="code",
        to=PHONE,
        language="it",
        dedupe_key=key,
        params={"city": "Perugia", "minutes": 10},
        secrets={"code": code},
        **kwargs,
    )


def _reply(key="r:1", **kwargs) -> Message:
    """A kind that keeps quiet hours."""
    return message_queue(
        kind="reply",
        to=PHONE,
        language="it",
        dedupe_key=key,
        params={"city": "Perugia", "desk_phone": "075 577 0000"},
        time_zone="Europe/Rome",
        **kwargs,
    )


def test_the_same_event_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first, again = _code(), _code()
    assert first.pk == again.pk and Message.objects.count() == 1


def test_the_worker_sends_it_after_commit_and_the_secret_goes_with_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _code()
        assert "123456" not in message.secrets  # sealed, even before it is sent
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.status, message.backend, message.attempts) == ("sent", "memory", 1)
    assert message.provider_id == "mem-1" and message.segments == 1
    assert MemoryBackend.outbox[0]["body"].startswith("Sportello Perugia: ")
    assert "123456" in MemoryBackend.outbox[0]["body"]
    message_status_record(message_id=None, provider_id="mem-1", provider_status="delivered")
    message.refresh_from_db()
    assert (message.status, message.secrets) == ("delivered", "")
    assert message.final_at is not None


def test_nothing_is_queued_when_the_causing_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _code()
        raise RuntimeError("the booking failed")
    assert not Message.objects.exists() and MemoryBackend.outbox == []


def test_a_message_is_never_sent_twice():
    message = _code()
    assert message_send(message_id=message.pk) == "sent"
    assert message_send(message_id=message.pk) == "skipped"
    assert messages_send_due() == 0
    assert len(MemoryBackend.outbox) == 1


def test_an_outage_is_retried_with_backoff_and_loses_nothing():
    now = timezone.now()
    message = _code(now=now, give_up_at=now + timedelta(hours=2))
    MemoryBackend.fail_next = 6
    moment = now
    for _ in range(6):  # an hour of outage: each try waits longer than the one before
        messages_send_due(now=moment)
        message.refresh_from_db()
        assert message.status == "sending" and not message.lease_owner
        assert message.due_at > moment
        moment = message.due_at
    assert moment - now < timedelta(hours=1)
    messages_send_due(now=moment)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 7)
    assert len(MemoryBackend.outbox) == 1


def test_a_message_the_provider_never_took_is_given_up_in_the_end():
    now = timezone.now()
    message = _code(now=now, give_up_at=now + timedelta(minutes=10))
    MemoryBackend.fail_next = 99
    messages_send_due(now=now)
    messages_send_due(now=now + timedelta(minutes=11))
    message.refresh_from_db()
    assert message.status == "technical_failure" and message.secrets == ""
    assert MemoryBackend.outbox == []


def test_after_a_timeout_the_provider_is_asked_before_sending_again():
    now = timezone.now()
    taken, lost = _code("t:1", now=now), _code("t:2", code="654321", now=now)
    MemoryBackend.script = ["timeout-taken"]  # the provider took it, the answer was lost
    message_send(message_id=taken.pk, now=now)
    MemoryBackend.script = ["timeout"]  # the provider never had it
    message_send(message_id=lost.pk, now=now)
    for message in (taken, lost):
        message.refresh_from_db()
        assert message.status == "sending" and message.uncertain
    messages_send_due(now=now + timedelta(minutes=5))
    taken.refresh_from_db()
    lost.refresh_from_db()
    assert (taken.status, taken.provider_id) == ("sent", "mem-1")  # found, not sent again
    assert lost.status == "sent" and MemoryBackend.lookups == 2
    bodies = [sent["body"] for sent in MemoryBackend.outbox]
    assert len(bodies) == 2 and len(set(bodies)) == 2  # one of each, nothing twice


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(monkeypatch):
    """The worker claims the row, the provider takes the text, the worker dies before
    recording it. Once its lease runs out the next sweep finds the text at the provider."""
    from messaging import outbox

    now = timezone.now()
    message = _code(now=now)

    def die(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(outbox, "_record", die)
    with pytest.raises(SystemExit):
        message_send(message_id=message.pk, now=now)
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == "sending" and message.lease_owner  # stuck, held by the dead
    assert messages_send_due(now=now + timedelta(minutes=1)) == 0  # its lease still runs
    messages_send_due(now=now + timedelta(minutes=6))
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("sent", "mem-1")
    assert len(MemoryBackend.outbox) == 1 and MemoryBackend.lookups == 1


def test_a_number_the_provider_refuses_is_marked_and_gets_nothing_more():
    now = timezone.now()
    MemoryBackend.script = ["21614"]  # a landline
    message_send(message_id=_reply("r:1", now=now).pk, now=now)
    assert Message.objects.get(dedupe_key="r:1").status == "permanent_failure"
    later = _reply("r:2", now=now)
    message_send(message_id=later.pk, now=now)
    later.refresh_from_db()
    assert later.status == "cancelled" and MemoryBackend.outbox == []
    # A phone code is what a person asks for: it is still tried, and once delivered the
    # number is no longer marked.
    code = _code("c:1", now=now)
    message_send(message_id=code.pk, now=now)
    message_status_record(message_id=code.pk, provider_id="mem-1", provider_status="delivered")
    assert optouts.marks_for([PHONE]) == {}


def test_opted_out_numbers_get_nothing_not_even_codes_until_start():
    optouts.opt_out(PHONE)
    now = timezone.now()
    message = _code(now=now)
    message_send(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == "cancelled" and MemoryBackend.outbox == []
    optouts.opt_in(PHONE)
    message_send(message_id=_code("e:2", now=now).pk, now=now)
    assert len(MemoryBackend.outbox) == 1


def test_callbacks_twice_and_out_of_order_only_move_forward():
    message = _code()
    message_send(message_id=message.pk)
    for status in ("delivered", "sent", "queued", "delivered", "undelivered"):
        message_status_record(message_id=message.pk, provider_id="mem-1", provider_status=status)
        message.refresh_from_db()
        assert message.status == "delivered"


def test_a_callback_for_a_send_that_timed_out_finds_its_message_by_our_id():
    now = timezone.now()
    message = _code(now=now)
    MemoryBackend.script = ["timeout-taken"]
    message_send(message_id=message.pk, now=now)
    message_status_record(message_id=message.pk, provider_id="SMabc", provider_status="sent")
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("sent", "SMabc")
    messages_send_due(now=now + timedelta(minutes=5))  # nothing more to do
    assert len(MemoryBackend.outbox) == 1 and MemoryBackend.lookups == 0


def test_phone_off_gets_one_delayed_retry_and_no_more():
    now = timezone.now()
    message = _reply(now=now.astimezone(ROME).replace(hour=10))
    message_send(message_id=message.pk, now=message.due_at)
    message_status_record(
        message_id=message.pk,
        provider_id="mem-1",
        provider_status="undelivered",
        error_code="30003",
    )
    message.refresh_from_db()
    assert message.status == "temporary_failure"
    again = Message.objects.get(retry_of=message)
    assert again.due_at >= message.final_at + timedelta(minutes=30)
    message_send(message_id=again.pk, now=again.due_at)
    message_status_record(
        message_id=again.pk, provider_id="mem-2", provider_status="undelivered", error_code="30003"
    )
    assert Message.objects.count() == 2  # once only


def test_quiet_hours_defer_everything_but_phone_codes(quiet_hours):
    night = timezone.now().astimezone(ROME).replace(hour=23, minute=10)
    reply = _reply(now=night)
    assert reply.due_at == (night + timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    code = _code(now=night)
    assert code.due_at == night
    assert messages_send_due(now=night) == 1  # only the code
    assert after_quiet_hours(night.replace(hour=7), "Europe/Rome").hour == 8
    assert before_quiet_hours(night.replace(hour=6), "Europe/Rome") == (
        night.replace(hour=20, minute=0, second=0, microsecond=0) - timedelta(days=1)
    )
    assert before_quiet_hours(night.replace(hour=12), "Europe/Rome").hour == 12


def test_one_sweep_never_outlives_its_time_whatever_the_backlog():
    now = timezone.now()
    for n in range(250):
        _code(f"b:{n}", now=now)
    # Out of time at once: one batch is claimed, no try starts, and its rows go back
    # untouched (no try counted, no lease kept); the other rows are not even claimed.
    assert messages_send_due(now=now, budget_seconds=0) == 0
    assert Message.objects.filter(status="created").count() == 150
    assert not Message.objects.exclude(lease_owner="").exists()
    assert not Message.objects.filter(attempts__gt=0).exists()
    assert messages_send_due(now=now) == 250  # the next sweep sends them all


def test_the_console_backend_logs_the_text_but_not_the_number(caplog, settings):
    settings.SPORTELLO = {
        **settings.SPORTELLO,
        "SMS_BACKEND": "messaging.backends.ConsoleBackend",
    }
    message_send(message_id=_code().pk)
    assert "123456" in caplog.text and "3471234567" not in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_racing_on_postgresql_send_each_message_once():
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    now = timezone.now()
    for n in range(300):
        _code(f"race:{n}", code=f"{n:06d}", now=now, send_now=False)
    barrier = threading.Barrier(3)
    counts = []

    def sweep():
        try:
            barrier.wait()
            counts.append(messages_send_due(now=now))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 300
    bodies = [sent["body"] for sent in MemoryBackend.outbox]
    assert len(bodies) == 300 and len(set(bodies)) == 300
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 300


def test_a_late_failure_callback_queues_no_retry_and_one_bad_render_fails_alone():
    now = timezone.now()
    message = _reply(now=now.astimezone(ROME).replace(hour=10))
    message_send(message_id=message.pk, now=message.due_at)
    message_status_record(message_id=message.pk, provider_id="mem-1", provider_status="delivered")
    message_status_record(
        message_id=message.pk,
        provider_id="mem-1",
        provider_status="undelivered",
        error_code="30003",
    )
    assert not Message.objects.filter(retry_of=message).exists()  # delivered stays delivered
    # A row whose secrets cannot be read (a key rotated away) fails alone, not its batch.
    good, bad = _code("g:1", now=now), _code("g:2", now=now)
    Message.objects.filter(pk=bad.pk).update(secrets="not-a-fernet-token")
    messages_send_due(now=now)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "sent" and bad.status == "technical_failure"
    assert bad.last_error.startswith("render:")


def test_a_worker_does_not_undo_what_a_callback_recorded_meanwhile():
    """The provider's callback says "sent" while the worker still holds the row (its
    answer was lost): the worker's own outcome must not move the row back or cancel it."""
    from messaging import outbox

    now = timezone.now()
    message = _code(now=now)
    [claimed] = outbox._claim(now=now, limit=1, ids=[message.pk])
    message_status_record(message_id=message.pk, provider_id="SMx", provider_status="sent")
    outbox._finish(claimed, MessageStatus.CANCELLED, now=now, error="no longer needed")
    outbox._release(claimed, due_at=now)
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("sent", "SMx")


def test_an_uncertain_message_past_its_time_is_looked_for_but_never_sent():
    now = timezone.now()
    message = _code(now=now, give_up_at=now + timedelta(minutes=10))
    MemoryBackend.script = ["timeout"]
    message_send(message_id=message.pk, now=now)
    messages_send_due(now=now + timedelta(minutes=11))
    message.refresh_from_db()
    assert message.status == "technical_failure" and MemoryBackend.lookups == 1
    assert MemoryBackend.outbox == []  # a code past its time: looked for, not sent


def test_a_booking_never_fails_because_messaging_is_down(
    client, offering, first_slot, django_capture_on_commit_callbacks, monkeypatch
):
    """The broker refuses the task and the provider is down: the booking is made all the
    same, and its texts wait in the outbox until the sweep can send them."""
    import django_q.tasks

    from appointments.services.booking import Person, appointment_book_on_behalf

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(django_q.tasks, "async_task", broker_down)
    MemoryBackend.fail_next = 99
    with django_capture_on_commit_callbacks(execute=True):
        booking, token = appointment_book_on_behalf(
            offering=offering,
            start=first_slot.start,
            person=Person(phone=PHONE, language="so"),
            booked_by=None,
        )
    booking.refresh_from_db()
    assert booking.status == "confirmed" and token
    message = Message.objects.get(reference=f"appointment:{booking.pk}")
    assert message.status == "created"
    MemoryBackend.fail_next = 0
    messages_send_due()
    message.refresh_from_db()
    assert message.status == "sent" and booking.code in MemoryBackend.outbox[0]["body"]
