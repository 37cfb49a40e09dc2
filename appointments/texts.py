"""The booking domain's texts as they are sent: what they say, from the booking as it is
then, and whether they still make sense (a reminder for a booking that moved or was
cancelled is not sent). Queued by ``appointments.notifications``; registered here with
messaging's kinds, and the answer to a text that is not a keyword.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appointments.models import Appointment
from appointments.models.booking import BOOKED_STATUSES
from appointments.notifications import (
    CANCELLED,
    CONFIRMED,
    MOVED,
    OFFER,
    REMINDER,
    REMINDER_TOO_LATE,
    rebook_url,
    short_manage_url,
)
from core.formatting import format_short_day, format_time
from messaging import kinds, sealing
from messaging.models import Message
from messaging.notifications import signed


def _appointments(messages: Sequence[Message]) -> dict[int, Appointment]:
    ids = {m.params.get("appointment") for m in messages}
    return Appointment.objects.select_related("offering__desk__city").in_bulk([i for i in ids if i])


def _when(appointment: Appointment) -> dict[str, str]:
    lang = appointment.language
    tz = ZoneInfo(appointment.offering.desk.time_zone)
    return {
        "day": format_short_day(appointment.start, language=lang, tz=tz),
        "time": format_time(appointment.start, language=lang, tz=tz),
        "place": appointment.offering.desk.sms_name,
    }


def _same_start(message: Message, appointment: Appointment) -> bool:
    start = parse_datetime(message.params.get("start", ""))
    return start is not None and start == appointment.start


def _renderer(write, still_relevant):
    """A batch renderer: one query for the batch, then each text in its own language."""

    def render(messages: Sequence[Message], now: datetime) -> dict[int, str | None]:
        appointments, texts = _appointments(messages), {}
        for message in messages:
            appointment = appointments.get(message.params.get("appointment"))
            if appointment is None or not still_relevant(message, appointment, now):
                texts[message.pk] = None
                continue
            secrets = sealing.unseal(message.secrets)
            with translation.override(message.language):
                body = write(message, appointment, secrets)
            texts[message.pk] = signed(appointment.offering.desk.city.name, body)
        return texts

    return render


def _write_confirmed(message, appointment, secrets) -> str:
    return _(
        "Booked: %(day)s %(time)s, %(place)s. Code %(code)s. To see, move or cancel: %(url)s"
    ) % {
        **_when(appointment),
        "code": appointment.code,
        "url": short_manage_url(secrets["token"]),
    }


def _write_reminder(message, appointment, secrets) -> str:
    return _("Reminder: %(day)s %(time)s, %(place)s. Code %(code)s. To move or cancel: %(url)s") % {
        **_when(appointment),
        "code": appointment.code,
        "url": short_manage_url(secrets["token"]),
    }


def _write_moved(message, appointment, secrets) -> str:
    return _("Your booking %(code)s is now %(day)s %(time)s, %(place)s. %(url)s") % {
        **_when(appointment),
        "code": appointment.code,
        "url": short_manage_url(secrets["token"]),
    }


def _write_cancelled(message, appointment, secrets) -> str:
    values = {
        **_when(appointment),
        "code": appointment.code,
        "url": rebook_url(offering_id=appointment.offering_id, language=appointment.language),
    }
    if message.params.get("by_desk"):
        return (
            _(
                "The desk cancelled your booking %(code)s of %(day)s %(time)s. To book again: %(url)s"
            )
            % values
        )
    return _("Booking %(code)s of %(day)s %(time)s is cancelled. To book again: %(url)s") % values


def _write_offer(message, appointment, secrets) -> str:
    lang, tz = appointment.language, ZoneInfo(appointment.offering.desk.time_zone)
    return _(
        "A place is free: %(day)s %(time)s, %(place)s. It is yours if you accept by %(until)s: %(url)s"
    ) % {
        **_when(appointment),
        "until": format_time(appointment.hold_expires_at, language=lang, tz=tz),
        "url": short_manage_url(secrets["token"]),
    }


def _booked(message, appointment, now) -> bool:
    return appointment.status in BOOKED_STATUSES and appointment.start > now


def _reminder_due(message, appointment, now) -> bool:
    return (
        appointment.status == Appointment.Status.CONFIRMED
        and _same_start(message, appointment)
        and appointment.start - now > REMINDER_TOO_LATE
    )


def _still_moved(message, appointment, now) -> bool:
    return (
        appointment.status == Appointment.Status.CONFIRMED
        and _same_start(message, appointment)
        and appointment.start > now
    )


def _cancelled(message, appointment, now) -> bool:
    return appointment.status == Appointment.Status.CANCELLED and appointment.start > now


def _offer_open(message, appointment, now) -> bool:
    return (
        appointment.status == Appointment.Status.HELD
        and appointment.hold_expires_at > now
        and appointment.start > now
    )


kinds.register(
    CONFIRMED,
    label=gettext_lazy("booking confirmed"),
    render=_renderer(_write_confirmed, _booked),
)
kinds.register(
    REMINDER, label=gettext_lazy("reminder"), render=_renderer(_write_reminder, _reminder_due)
)
kinds.register(
    MOVED, label=gettext_lazy("booking moved"), render=_renderer(_write_moved, _still_moved)
)
kinds.register(
    CANCELLED,
    label=gettext_lazy("booking cancelled"),
    render=_renderer(_write_cancelled, _cancelled),
)
kinds.register(
    OFFER, label=gettext_lazy("waiting-list place"), render=_renderer(_write_offer, _offer_open)
)


def _reply(phone: str) -> dict | None:
    """A text that is not a keyword gets the phone of the desk of the number's latest
    booking, in that booking's language."""
    appointment = (
        Appointment.objects.filter(phone=phone)
        .select_related("offering__desk__city")
        .order_by("-created_at")
        .first()
    )
    if appointment is None:
        return None
    desk = appointment.offering.desk
    return {
        "kind": "reply",
        "language": appointment.language,
        "params": {"city": desk.city.name, "desk_phone": desk.phone},
        "scope": f"desk:{desk.pk}",
        "time_zone": desk.time_zone,
    }


kinds.register_reply(_reply)
