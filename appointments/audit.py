"""Recording staff's access to a booking (accounts.audit), the same way from every screen."""

from __future__ import annotations

from accounts.audit import Action, audit
from appointments.models import Appointment

__all__ = ["Action", "booking_audit"]


def booking_audit(request, action: str, appointment: Appointment, *, detail: str = "") -> None:
    """An entry naming the booking and its desk, with the person's number masked and hashed."""
    audit(
        request,
        action,
        desk_id=appointment.offering.desk_id,
        ref=f"appointment:{appointment.pk}",
        phone=appointment.phone,
        detail=detail,
    )
