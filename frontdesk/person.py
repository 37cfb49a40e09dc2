"""A person's own data, at their request at the desk: found by their number (once they
have shown they hold it, with an SMS code), given to them, or erased.

It covers every desk and city: the person asks the service, not one desk. Texts are listed
by kind and status, never their words; the audit entries about them say what was done and
when, not by whom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_entries_about
from appointments.models import Appointment, WaitlistEntry
from appointments.services.retention import number_forget_bookings
from frontdesk.models import Ticket
from messaging.models import Message, PhoneChallenge
from messaging.optouts import is_opted_out


@dataclass
class PersonData:
    phone: str
    bookings: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    tickets: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    phone_checks: int = 0
    audit: list = field(default_factory=list)
    opted_out: bool = False

    @property
    def empty(self) -> bool:
        return not (self.bookings or self.waiting or self.tickets or self.texts or self.audit)


def person_find(*, phone: str) -> PersonData:
    return PersonData(
        phone=phone,
        bookings=list(
            Appointment.objects.filter(phone=phone)
            .select_related("offering__desk__city", "offering__service")
            .order_by("-start")
        ),
        waiting=list(
            WaitlistEntry.objects.filter(phone=phone).select_related(
                "offering__desk__city", "offering__service"
            )
        ),
        tickets=list(
            Ticket.objects.filter(phone=phone).select_related("queue__desk").order_by("-day")
        ),
        texts=list(Message.objects.filter(to=phone).order_by("-created_at")),
        phone_checks=PhoneChallenge.objects.filter(phone=phone).count(),
        audit=list(audit_entries_about(phone)),
        opted_out=is_opted_out(phone),
    )


def person_export(data: PersonData) -> dict:
    """What the person takes away (JSON): everything held about them, in plain fields."""

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "phone": data.phone,
        "bookings": [
            {
                "code": b.code,
                "city": b.offering.desk.city.name,
                "desk": b.offering.desk.name,
                "service": b.offering.service.name,
                "start": when(b.start),
                "status": b.status,
                "name": b.name,
                "reason": b.reason,
                "language": b.language,
                "interpreter": b.interpreter_language,
                "booked": when(b.created_at),
            }
            for b in data.bookings
        ],
        "waiting_lists": [
            {
                "city": w.offering.desk.city.name,
                "service": w.offering.service.name,
                "status": w.status,
                "since": when(w.created_at),
            }
            for w in data.waiting
        ],
        "tickets": [
            {
                "desk": t.queue.desk.name,
                "day": t.day.isoformat(),
                "ticket": t.label,
                "status": t.status,
                "language": t.language,
            }
            for t in data.tickets
        ],
        "texts": [
            {"kind": m.kind, "status": m.status, "queued": when(m.created_at)} for m in data.texts
        ],
        "phone_checks": data.phone_checks,
        "staff_access": [{"what": a.action, "when": when(a.at)} for a in data.audit],
        "opted_out_of_texts": data.opted_out,
    }


def person_erase(*, phone: str, by=None, now: datetime | None = None) -> dict[str, int]:
    """Everything held about the number goes, except an opt-out (a keyed hash, so that the
    number stays opted out). What remains of a booking or a ticket (a time, a status) no
    longer leads to the person."""
    now = now or timezone.now()
    with transaction.atomic():
        counts = number_forget_bookings(phone=phone, by=by, now=now)
        counts["tickets"] = Ticket.objects.filter(phone=phone).update(phone="", note="")
        counts["audit"] = audit_entries_about(phone).update(subject_hash="", detail="")
    return counts
