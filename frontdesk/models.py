"""The day at the desk: queues (one per service a desk offers), counters, and tickets.

A ticket is a visitor's place in a queue today: a neutral letter per queue and a number
that restarts each day (``A012``), unique per queue and day in the database. Its status
moves only along ``Ticket.TRANSITIONS``, and each move records when it happened.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment, Desk, Service


class Queue(models.Model):
    """The line for one service at one desk. Its letter is neutral (A, B, C...): a screen
    never says which line is legal or health."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="queues")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="queues")
    letter = models.CharField(_("letter"), max_length=1)
    walk_in_quota = models.PositiveSmallIntegerField(
        _("walk-in tickets a day"), default=40, help_text=_("0 for no walk-ins.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["desk", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "service"], name="one_queue_per_service"),
            models.UniqueConstraint(fields=["desk", "letter"], name="queue_letter_unique"),
        ]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return f"{self.letter} · {self.desk}"


class Counter(models.Model):
    """A room or a table where an operator calls people, from some of the desk's queues."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(_("name"), max_length=40, help_text=_('For example "Room 2".'))
    queues = models.ManyToManyField(Queue, related_name="counters", verbose_name=_("queues"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["desk", "name"]
        constraints = [models.UniqueConstraint(fields=["desk", "name"], name="counter_name_unique")]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return self.name


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("being served")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("did not come when called")
    TRANSFERRED = "transferred", _("sent to another queue")
    PARKED = "parked", _("set aside")
    NOT_SERVED = "not_served", _("not served today")


OPEN_TICKET_STATUSES = (
    TicketStatus.WAITING,
    TicketStatus.CALLED,
    TicketStatus.SERVING,
    TicketStatus.PARKED,
)


class InvalidTicketMove(Exception):
    pass


class Ticket(models.Model):
    Status = TicketStatus

    class Source(models.TextChoices):
        BOOKED = "booked", _("booked visit")
        WALK_IN = "walk_in", _("walk-in")

    TRANSITIONS = {
        TicketStatus.WAITING: {TicketStatus.CALLED, TicketStatus.NOT_SERVED, TicketStatus.PARKED},
        TicketStatus.CALLED: {
            TicketStatus.CALLED,  # recalled
            TicketStatus.SERVING,
            TicketStatus.NO_SHOW,
            TicketStatus.PARKED,
            TicketStatus.WAITING,  # put back (the counter closes)
            TicketStatus.NOT_SERVED,
        },
        TicketStatus.SERVING: {
            TicketStatus.DONE,
            TicketStatus.TRANSFERRED,
            TicketStatus.PARKED,
        },
        TicketStatus.PARKED: {TicketStatus.WAITING, TicketStatus.NOT_SERVED},
        TicketStatus.DONE: set(),
        TicketStatus.NO_SHOW: set(),
        TicketStatus.TRANSFERRED: set(),
        TicketStatus.NOT_SERVED: set(),
    }

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("day"))  # on the desk's clock
    number = models.PositiveSmallIntegerField(_("number"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("booking"),
    )
    # When a booked visitor may be called (their booked time); arrival for everyone else.
    ready_at = models.DateTimeField()
    # First arrival at the desk: kept when the ticket is transferred to another queue.
    arrived_at = models.DateTimeField(_("arrived"))
    # A booked visitor who came in time: called first once their time has come.
    booked_on_time = models.BooleanField(default=False)
    priority = models.BooleanField(_("needs priority"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    calls = models.PositiveSmallIntegerField(_("times called"), default=0)
    transferred_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="transferred_to"
    )
    interpreter_language = models.CharField(_("interpreter"), max_length=10, blank=True)
    interpreter_joined = models.BooleanField(_("interpreter or mediator joined"), default=False)
    note = models.CharField(_("internal note"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The secret of the live-position link sent by SMS (only its hash).
    position_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    issued_at = models.DateTimeField(_("issued"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day", "queue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "day", "number"], name="ticket_number_unique"),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status__in=OPEN_TICKET_STATUSES),
                name="one_open_ticket_per_booking",
            ),
        ]
        indexes = [models.Index(fields=["queue", "day", "status"], name="ticket_queue_day")]
        permissions = [("call_out_of_order", "Can call a ticket out of order")]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What is called aloud and shown on the screen: ``A012``."""
        return f"{self.queue.letter}{self.number:03d}"

    def move(self, status: str, *, now: datetime, **fields) -> None:
        """The one way a ticket's status changes: checked, stamped, saved."""
        if status not in self.TRANSITIONS[self.status]:
            raise InvalidTicketMove(f"A ticket cannot go from {self.status} to {status}.")
        stamp = {
            TicketStatus.CALLED: "called_at",
            TicketStatus.SERVING: "started_at",
            TicketStatus.DONE: "finished_at",
            TicketStatus.NO_SHOW: "finished_at",
            TicketStatus.TRANSFERRED: "finished_at",
            TicketStatus.NOT_SERVED: "finished_at",
        }.get(status)
        self.status = status
        changed = ["status", *fields]
        if stamp:
            setattr(self, stamp, now)
            changed.append(stamp)
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=changed)


class DisplayScreen(models.Model):
    """The waiting-room screen of a desk: opened with a secret URL, no login. Only the
    hash of its token is kept; renewing it makes the old URL answer 404."""

    desk = models.OneToOneField(Desk, on_delete=models.CASCADE, related_name="display")
    token_hash = models.CharField(max_length=64, unique=True)
    renewed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("waiting-room screen")
        verbose_name_plural = _("waiting-room screens")

    def __str__(self) -> str:
        return f"screen of {self.desk}"
