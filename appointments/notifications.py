"""The booking domain's text messages, queued with their event.

Each message is a row in messaging's outbox, written in the same transaction as the event
(a booking, a move, a cancellation, a waiting-list offer; reminders from the periodic
sweep), with its parameters and sealed secrets. What it says is written when it is sent
(``appointments.texts``), from the booking as it is then. Texts are short (2 SMS in GSM-7,
3 in UCS-2, with a public host of up to 40 characters), in the person's language, with the
desk's short name but never the kind of service.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from appointments.models import Appointment
from messaging.outbox import message_queue

CONFIRMED = "booking_confirmed"
REMINDER = "booking_reminder"
MOVED = "booking_moved"
CANCELLED = "booking_cancelled"
OFFER = "waitlist_offer"
# A reminder this close to the visit is no longer sent (it would come too late to help).
REMINDER_TOO_LATE = timedelta(minutes=30)


def site() -> str:
    return settings.SITE_URL.rstrip("/")


def short_manage_url(token: str) -> str:
    """``/m/<token>``: the manage link in texts (the token is 128 bits or more)."""
    return f"{site()}/m/{token}"


def rebook_url(*, offering_id: int, language: str) -> str:
    return f"{site()}/b/{offering_id}/{language}"


def _reference(appointment: Appointment) -> dict:
    desk = appointment.offering.desk
    return {
        "to": appointment.phone,
        "language": appointment.language,
        "reference": f"appointment:{appointment.pk}",
        "scope": f"desk:{desk.pk}",
        "time_zone": desk.time_zone,
    }


# --- Queueing, called by the booking services in their transactions ----------------------


def notify_confirmed(*, appointment: Appointment, token: str, now: datetime) -> None:
    if appointment.phone:
        message_queue(
            kind=CONFIRMED,
            dedupe_key=f"appt:{appointment.pk}:confirmed",
            params={"appointment": appointment.pk},
            secrets={"token": token},
            give_up_at=appointment.start,
            now=now,
            **_reference(appointment),
        )


def notify_moved(*, appointment: Appointment, token: str, now: datetime) -> None:
    if appointment.phone:
        message_queue(
            kind=MOVED,
            # One message per move, even back to a time it had before.
            dedupe_key=f"appt:{appointment.pk}:moved:{appointment.updated_at.isoformat()}",
            params={"appointment": appointment.pk, "start": appointment.start.isoformat()},
            secrets={"token": token},
            give_up_at=appointment.start,
            now=now,
            **_reference(appointment),
        )


def notify_cancelled(*, appointment: Appointment, by_desk: bool, now: datetime) -> None:
    if appointment.phone:
        message_queue(
            kind=CANCELLED,
            dedupe_key=f"appt:{appointment.pk}:cancelled",
            params={"appointment": appointment.pk, "by_desk": by_desk},
            give_up_at=appointment.start,
            now=now,
            **_reference(appointment),
        )


def notify_offer(*, appointment: Appointment, token: str, now: datetime) -> None:
    """Quiet hours put an offer made at night to 08:00, when its hold starts."""
    message_queue(
        kind=OFFER,
        dedupe_key=f"appt:{appointment.pk}:offer",
        params={"appointment": appointment.pk},
        secrets={"token": token},
        give_up_at=appointment.hold_expires_at,
        now=now,
        **_reference(appointment),
    )


def reminder_key(appointment: Appointment, which: str) -> str:
    """Includes the start: a booking moved to another time gets its reminders again."""
    return f"appt:{appointment.pk}:reminder-{which}:{appointment.start.isoformat()}"


def reminder_message(*, appointment: Appointment, which: str, token: str, due_at: datetime) -> dict:
    """A reminder's arguments for ``message_queue`` (or, many at once, for
    ``messages_queue_many``)."""
    return {
        "kind": REMINDER,
        "dedupe_key": reminder_key(appointment, which),
        "params": {"appointment": appointment.pk, "start": appointment.start.isoformat()},
        "secrets": {"token": token},
        "due_at": due_at,
        "give_up_at": appointment.start - REMINDER_TOO_LATE,
        **_reference(appointment),
    }


def notify_reminder(
    *, appointment: Appointment, which: str, token: str, due_at: datetime, now: datetime
) -> None:
    message_queue(
        **reminder_message(appointment=appointment, which=which, token=token, due_at=due_at),
        now=now,
        send_now=False,  # many at once: the sweep sends them in batches
    )
