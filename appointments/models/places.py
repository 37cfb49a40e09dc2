"""Where people are seen: cities and their desks (fixed one-stop-shops or mobile teams)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import TranslatableMixin


class City(models.Model):
    """A city whose one-stop-shop takes bookings. Cities are data, not code."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    editors = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="city",
        verbose_name=_("editors"),
        help_text=_("The group whose members write this city's pages and desk texts."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class Desk(ClusterableModel):
    """A one-stop-shop location, or a mobile outreach team whose place changes by date."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="desks")
    name = models.CharField(_("name"), max_length=150)
    is_mobile = models.BooleanField(
        _("mobile outreach"),
        default=False,
        help_text=_("A travelling team: its place on each day is given by its stops."),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    short_name = models.CharField(
        _("short name"),
        max_length=24,
        blank=True,
        help_text=_(
            'How text messages name the desk, for example "Via Roma 12". Never the kind of service.'
        ),
    )
    staff_languages = models.JSONField(
        _("languages the staff speak"), default=list, blank=True, help_text=_("Language codes.")
    )
    time_zone = models.CharField(_("time zone"), max_length=50, default="Europe/Rome")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="desks", verbose_name=_("staff")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["city__name", "name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        permissions = [("manage_staff", "Can add and remove the staff of their desks")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def sms_name(self) -> str:
        """The desk as a text message names it: its short name, else the street of its
        address, else the city (never the desk's name: names often say the service)."""
        street = self.address.split(",")[0].strip()
        name = self.short_name or street or self.city.name
        return name if len(name) <= 24 else name[:23] + "…"

    def place_on(self, day: date) -> DeskStop | Desk | None:
        """Where the desk is on a day: itself, or for a mobile team that day's stop."""
        if not self.is_mobile:
            return self
        return next((stop for stop in self.stops.all() if stop.date == day), None)


class DeskStop(models.Model):
    """Where a mobile outreach team stands on one date."""

    desk = ParentalKey(Desk, on_delete=models.CASCADE, related_name="stops")
    date = models.DateField(_("date"))
    address = models.CharField(_("address"), max_length=250)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    directions = models.TextField(_("how to get there"), blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["desk", "date"], name="one_stop_per_day")]
        verbose_name = _("stop of a mobile team")
        verbose_name_plural = _("stops of a mobile team")

    def __str__(self) -> str:
        return f"{self.date}: {self.address}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WalkInHours(models.Model):
    """When people may come to a fixed desk without booking (shown on the city's page, with
    "open now / opens at" on the desk's clock)."""

    desk = ParentalKey(Desk, on_delete=models.CASCADE, related_name="walk_in_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="walk_in_ends_after_start"
            )
        ]
        verbose_name = _("walk-in hours")
        verbose_name_plural = _("walk-in hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class DeskText(TranslatableMixin, models.Model):
    """What people read about a desk, in each language: its public name, how to get there,
    what to bring, accessibility. Translated with wagtail-localize like a page, while the
    desk itself (staff, closures, offerings) exists once."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="texts")
    public_name = models.CharField(
        _("public name"), max_length=150, blank=True, help_text=_("Empty: the desk's name.")
    )
    directions = models.TextField(_("how to get there"), blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)

    class Meta(TranslatableMixin.Meta):
        constraints = [
            models.UniqueConstraint(fields=["desk", "locale"], name="one_desk_text_per_locale")
        ]
        verbose_name = _("desk text")
        verbose_name_plural = _("desk texts")

    def __str__(self) -> str:
        return f"{self.public_name or self.desk.name} ({self.locale})"
