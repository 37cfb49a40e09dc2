"""Bookings, with a lifecycle that records when and by whom, and their manage links."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models.offer import Offering
from messaging.models import PhoneChallenge


def _staff_member(verbose_name) -> models.ForeignKey:
    """Who on the staff took a step (empty: the person did it, or nobody is known)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class InvalidTransition(ValueError):
    """A lifecycle change that the status does not allow."""


class AppointmentStatus(models.TextChoices):
    HELD = "held", _("Held while the phone is checked")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")
    NOT_SERVED = "not_served", _("Came, but was not served that day")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Hold ran out")
    RELEASED = "released", _("Hold given up")


# A seat is taken while the appointment is in one of these (the partial unique index).
ACTIVE_STATUSES = (
    AppointmentStatus.HELD,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
)
# What counts as a person's booking for the per-number limits.
BOOKED_STATUSES = (AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN)


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def booked(self):
        return self.filter(status__in=BOOKED_STATUSES)

    def upcoming(self, now=None):
        return self.active().filter(end__gt=now or timezone.now())

    def stale_holds(self, now=None):
        return self.filter(
            status=AppointmentStatus.HELD, hold_expires_at__lte=now or timezone.now()
        )

    def live_holds(self, now=None):
        return self.filter(status=AppointmentStatus.HELD, hold_expires_at__gt=now or timezone.now())

    def expire_stale(self, *, now: datetime) -> int:
        """Holds whose time is over become expired, stamped like every transition."""
        assert AppointmentStatus.EXPIRED in Appointment.TRANSITIONS[AppointmentStatus.HELD]
        return self.stale_holds(now).update(
            status=AppointmentStatus.EXPIRED, hold_ended_at=now, hold_client="", updated_at=now
        )


class Appointment(models.Model):
    """A visit booked at an offering. Each active booking takes one numbered seat of its slot."""

    Status = AppointmentStatus
    TRANSITIONS: dict[str, set[str]] = {
        Status.HELD: {Status.CONFIRMED, Status.EXPIRED, Status.RELEASED},
        Status.CONFIRMED: {Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW},
        Status.CHECKED_IN: {Status.SERVED, Status.NO_SHOW, Status.NOT_SERVED},
        Status.SERVED: set(),
        Status.NO_SHOW: set(),
        Status.NOT_SERVED: set(),
        Status.CANCELLED: set(),
        Status.EXPIRED: set(),
        Status.RELEASED: set(),
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
    # A keyed hash of the client's network while the hold lives (holds per address).
    hold_client = models.CharField(max_length=64, blank=True, editable=False)
    challenge = models.OneToOneField(
        PhoneChallenge, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_by = _staff_member(_("booked on behalf by"))
    # The organisation the booking was made for, fixed when it was made: its members see it.
    partner = models.ForeignKey(
        "appointments.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("partner organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When each step happened, and which staff member took it (empty: the person did).
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    hold_ended_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = _staff_member(_("cancelled by"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = _staff_member(_("checked in by"))
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("marked as not come at"), null=True, blank=True)
    not_served_at = models.DateTimeField(_("day ended before serving at"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        permissions = [("book_on_behalf", "Can book on someone's behalf")]
        indexes = [
            models.Index(fields=["offering", "start"], name="appt_offering_start"),
            models.Index(fields=["phone", "status"], name="appt_phone_status"),
            models.Index(
                fields=["hold_client"], name="appt_live_hold_client", condition=~Q(hold_client="")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "start", "seat"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_booking_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1) & Q(seat__lte=F("slot_capacity")),
                name="seat_within_capacity",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status__in=ACTIVE_STATUSES),
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
        return self.status in ACTIVE_STATUSES

    def _move_to(self, status: str, *, stamp: str, now: datetime, **fields) -> None:
        """Checks the transition, sets the status and its time stamp, saves those fields."""
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTransition(f"An appointment cannot go from {self.status} to {status}.")
        self.status, self.updated_at = status, now
        setattr(self, stamp, now)
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=["status", "updated_at", stamp, *fields])

    def _end_hold(self, status: str, *, now: datetime) -> None:
        self._move_to(status, stamp="hold_ended_at", now=now, hold_client="")

    def confirm(self, *, now: datetime) -> None:
        self._move_to(
            self.Status.CONFIRMED,
            stamp="confirmed_at",
            now=now,
            hold_expires_at=None,
            hold_client="",
        )

    def release(self, *, now: datetime) -> None:
        """The hold was given up: another time chosen, an offer declined, over a limit."""
        self._end_hold(self.Status.RELEASED, now=now)

    def cancel(self, *, now: datetime, by=None) -> None:
        self._move_to(self.Status.CANCELLED, stamp="cancelled_at", now=now, cancelled_by=by)

    def check_in(self, *, now: datetime, by=None) -> None:
        self._move_to(self.Status.CHECKED_IN, stamp="checked_in_at", now=now, checked_in_by=by)

    def mark_served(self, *, now: datetime) -> None:
        self._move_to(self.Status.SERVED, stamp="served_at", now=now)

    def mark_no_show(self, *, now: datetime) -> None:
        self._move_to(self.Status.NO_SHOW, stamp="no_show_at", now=now)

    def mark_not_served(self, *, now: datetime) -> None:
        """They came and waited, and the day ended first (never a no-show)."""
        self._move_to(self.Status.NOT_SERVED, stamp="not_served_at", now=now)


class AccessToken(models.Model):
    """A secret link to manage one booking; only its hash is kept. A booking may have several."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("manage link")
