"""What can be booked: services, offered at desks on a weekly schedule, minus closures."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from appointments.models.places import Desk, Weekday


class Service(TranslatableMixin, models.Model):
    """Something a person can book: legal counselling, health intake, housing advice..."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal counselling")
        HEALTH = "health", _("Health and socio-sanitary intake")
        HOUSING = "housing", _("Housing counselling")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("short description"), max_length=500, blank=True)

    # What wagtail-localize sends to translators; slug and kind stay as in the source.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
        SynchronizedField("kind"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class OfferingQuerySet(models.QuerySet):
    def bookable(self):
        return self.filter(is_active=True, desk__is_active=True, desk__city__is_active=True)


class Offering(ClusterableModel):
    """A service at a desk (Open Referral's service-at-location), with its schedule."""

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="offerings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offerings")
    duration_minutes = models.PositiveSmallIntegerField(
        _("visit length (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("people seen at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    min_notice_minutes = models.PositiveIntegerField(_("book at least (minutes ahead)"), default=60)
    horizon_days = models.PositiveSmallIntegerField(
        _("book at most (days ahead)"), default=30, validators=[MinValueValidator(1)]
    )
    interpreter_languages = models.JSONField(
        _("interpreter can be requested for"),
        default=list,
        blank=True,
        help_text=_("Language codes, for example ar, ti, ps."),
    )
    remind_day_before = models.BooleanField(
        _("text a reminder the day before"),
        default=True,
        help_text=_("Sent 24 hours before; a reminder that would fall at night goes at 20:00."),
    )
    remind_hours_before = models.PositiveSmallIntegerField(
        _("text a reminder this many hours before"),
        default=3,
        validators=[MaxValueValidator(12)],
        help_text=_("0 for none."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["desk", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "service"], name="one_offering_per_desk_service"
            )
        ]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")

    def __str__(self) -> str:
        return f"{self.service} @ {self.desk}"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=self.horizon_days)


class ScheduleRule(models.Model):
    """One opening time range on one weekday, optionally valid between two dates."""

    Weekday = Weekday

    offering = ParentalKey(Offering, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="rule_ends_after_start"
            )
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("This date must not be before the first one.")})


class Closure(models.Model):
    """A time when a desk, or one offering, takes no bookings: a holiday, a sick day, an hour."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="closures")
    offering = models.ForeignKey(
        Offering,
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        help_text=_("Leave empty to close the whole desk."),
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="closure_ends_after_start"
            )
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.desk}: {self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class PatronDay(models.Model):
    """A city's patron-saint day, when its desks close. Kept by administrators, each with
    where the date comes from: the ``holidays`` package knows the patron days by province,
    and a province's is not always its cities' (decision 0012)."""

    city = models.OneToOneField(
        "appointments.City", on_delete=models.CASCADE, related_name="patron_day"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    saint = models.CharField(_("patron saint"), max_length=100)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where the date comes from.")
    )

    class Meta:
        verbose_name = _("patron-saint day")
        verbose_name_plural = _("patron-saint days")

    def __str__(self) -> str:
        return f"{self.city}: {self.saint} ({self.day}/{self.month})"

    def clean(self):
        try:
            date(2024, self.month or 1, self.day or 1)  # a leap year: 29 February exists
        except ValueError as exc:
            raise ValidationError({"day": _("This day does not exist in that month.")}) from exc


class HolidayOpening(models.Model):
    """A desk opens on a public holiday or its city's patron day after all."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="holiday_openings")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "date"], name="one_opening_per_desk_day")
        ]
        verbose_name = _("opening on a holiday")
        verbose_name_plural = _("openings on holidays")

    def __str__(self) -> str:
        return f"{self.desk}: {self.date:%Y-%m-%d}"
