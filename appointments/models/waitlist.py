"""The waiting list: somebody waiting for a place when nothing was free."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appointments.models.booking import Appointment, InvalidTransition
from appointments.models.offer import Offering
from messaging.models import PhoneChallenge


class WaitlistStatus(models.TextChoices):
    PENDING = "pending", _("Held while the phone is checked")
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a place")
    ACCEPTED = "accepted", _("Took the place")
    DECLINED = "declined", _("Declined the place")
    OFFER_EXPIRED = "offer_expired", _("Did not answer the offer")
    LEFT = "left", _("Left the list")
    DUPLICATE = "duplicate", _("Already on the list")


OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """Somebody waiting for a place at an offering when nothing was free."""

    Status = WaitlistStatus
    TRANSITIONS: dict[str, set[str]] = {
        Status.PENDING: {Status.WAITING, Status.DUPLICATE},
        Status.WAITING: {Status.OFFERED, Status.LEFT},
        Status.OFFERED: {
            Status.ACCEPTED,
            Status.DECLINED,
            Status.OFFER_EXPIRED,
            Status.LEFT,
        },
        Status.ACCEPTED: set(),
        Status.DECLINED: set(),
        Status.OFFER_EXPIRED: set(),
        Status.LEFT: set(),
        Status.DUPLICATE: set(),
    }

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="waitlist")
    phone = models.CharField(_("phone number"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PENDING)
    # Joining needs the SMS code too: nobody puts a stranger's number on the list.
    challenge = models.OneToOneField(
        PhoneChallenge, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "phone"],
                condition=Q(status__in=OPEN_WAITLIST_STATUSES),
                name="one_waitlist_place_per_phone",
            )
        ]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")

    def _move_to(self, status: str, *, now: datetime, stamp: str = "ended_at", **fields) -> None:
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"A waiting-list entry cannot go from {self.status} to {status}."
            )
        self.status = status
        fields[stamp] = now
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=["status", *fields])

    def join(self, *, now: datetime) -> None:
        self._move_to(self.Status.WAITING, now=now, stamp="joined_at")

    def mark_duplicate(self, *, now: datetime) -> None:
        self._move_to(self.Status.DUPLICATE, now=now)

    def offer(self, *, appointment: Appointment, now: datetime) -> None:
        self._move_to(self.Status.OFFERED, now=now, stamp="offered_at", offered=appointment)

    def accept(self, *, now: datetime) -> None:
        self._move_to(self.Status.ACCEPTED, now=now)

    def decline(self, *, now: datetime) -> None:
        self._move_to(self.Status.DECLINED, now=now)

    def offer_expired(self, *, now: datetime) -> None:
        self._move_to(self.Status.OFFER_EXPIRED, now=now)

    def leave(self, *, now: datetime) -> None:
        self._move_to(self.Status.LEFT, now=now)
