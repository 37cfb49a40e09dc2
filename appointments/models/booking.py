"""Bookings, the phone check that confirms them, and the waiting list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models.offer import Offering


class InvalidTransition(ValueError):
    """A lifecycle change that the status does not allow."""


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Appointment.ACTIVE)

    def upcoming(self, now=None):
        return self.active().filter(end__gt=now or timezone.now())

    def stale_holds(self, now=None):
        return self.filter(
            status=Appointment.Status.HELD, hold_expires_at__lte=now or timezone.now()
        )


class Appointment(models.Model):
    """A visit booked at an offering. Each active booking takes one numbered seat of its slot."""

    class Status(models.TextChoices):
        HELD = "held", _("Held while the phone is checked")
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.HELD, Status.BOOKED, Status.CHECKED_IN)
    TRANSITIONS: dict[str, set[str]] = {
        Status.HELD: {Status.BOOKED, Status.CANCELLED},
        Status.BOOKED: {Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW},
        Status.CHECKED_IN: {Status.SERVED, Status.NO_SHOW},
        Status.SERVED: set(),
        Status.NO_SHOW: set(),
        Status.CANCELLED: set(),
    }

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # seat is 1..slot_capacity; the partial unique index below makes each seat single-use.
    seat = models.PositiveSmallIntegerField(_("seat"))
    slot_capacity = models.PositiveSmallIntegerField(_("capacity of the slot when booked"))
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    name = models.CharField(_("first name or nickname"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=10)
    interpreter_language = models.CharField(_("interpreter needed"), max_length=10, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    code = models.CharField(_("booking code"), max_length=8)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.HELD
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked on behalf by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        permissions = [("book_on_behalf", "Can book on someone's behalf")]
        indexes = [
            models.Index(fields=["offering", "start"], name="appt_offering_start"),
            models.Index(fields=["phone", "status"], name="appt_phone_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "start", "seat"],
                condition=Q(status__in=["held", "booked", "checked_in"]),
                name="one_active_booking_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1) & Q(seat__lte=F("slot_capacity")),
                name="seat_within_capacity",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status__in=["held", "booked", "checked_in"]),
                name="booking_code_unique_among_active",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_ends_after_start"
            ),
        ]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.code} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def _move_to(self, status: str) -> None:
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTransition(f"An appointment cannot go from {self.status} to {status}.")
        self.status = status

    def mark_booked(self) -> None:
        self._move_to(self.Status.BOOKED)
        self.hold_expires_at = None

    def mark_cancelled(self) -> None:
        self._move_to(self.Status.CANCELLED)

    def mark_checked_in(self) -> None:
        self._move_to(self.Status.CHECKED_IN)

    def mark_served(self) -> None:
        self._move_to(self.Status.SERVED)

    def mark_no_show(self) -> None:
        self._move_to(self.Status.NO_SHOW)


class AccessToken(models.Model):
    """A secret link to manage one booking; only its hash is kept. A booking may have several."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("manage link")


class PhoneVerification(models.Model):
    """The 6-digit SMS code that turns a held slot into a booking."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="verification"
    )
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sends = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("phone check")


class WaitlistEntry(models.Model):
    """Somebody waiting for a place at an offering when nothing was free."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Held while the phone is checked")
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a place")
        DONE = "done", _("Booked or withdrawn")

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="waitlist")
    phone = models.CharField(_("phone number"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Joining needs the SMS code too: nobody puts a stranger's number on the list.
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    offered = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "phone"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_waitlist_place_per_phone",
            )
        ]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
