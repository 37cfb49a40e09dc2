"""Reads of the booking domain. Free slots come from the pure ``availability`` module."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from appointments import availability
from appointments.holidays import holiday_closures
from appointments.models import Appointment, City, Closure, DeskStop, DeskText, Offering, Service
from core.languages import language_chain
from core.tokens import token_hash


def _taken(*, offering: Offering, since: datetime, until: datetime, now: datetime) -> dict:
    rows = (
        Appointment.objects.active()
        .exclude(status=Appointment.Status.HELD, hold_expires_at__lte=now)
        .filter(offering=offering, start__gte=since, start__lte=until)
        .values("start")
        .annotate(n=Count("pk"))
        .values_list("start", "n")
    )
    return dict(rows)


def offering_slots(
    *, offering: Offering, now: datetime | None = None, include_full: bool = False
) -> list[availability.Slot]:
    """Bookable slots of an offering in its window, in four queries whatever the bookings."""
    now = now or timezone.now()
    since, until = now + offering.min_notice, now + offering.horizon
    rules = [
        availability.WeeklyRule(
            weekday=r.weekday,
            start=r.start,
            end=r.end,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
        )
        for r in offering.schedule.all()
    ]
    closures = [
        availability.Closure(start=c.start, end=c.end)
        for c in Closure.objects.filter(desk_id=offering.desk_id, end__gt=since, start__lt=until)
        .filter(Q(offering__isnull=True) | Q(offering=offering))
        .only("start", "end")
    ] + holiday_closures(offering.desk, since, until)  # public holidays, the patron day
    tz = ZoneInfo(offering.desk.time_zone)
    slots = availability.free_slots(
        rules=rules,
        closures=closures,
        duration=offering.duration,
        capacity=offering.capacity,
        taken=_taken(offering=offering, since=since, until=until, now=now),
        now=now,
        min_notice=offering.min_notice,
        horizon=offering.horizon,
        tz=tz,
        include_full=include_full,
    )
    if offering.desk.is_mobile:
        days = set(
            DeskStop.objects.filter(desk_id=offering.desk_id, date__gte=since.date()).values_list(
                "date", flat=True
            )
        )
        slots = [s for s in slots if s.start.astimezone(tz).date() in days]
    return slots


def offering_slot(*, offering: Offering, start: datetime, now: datetime | None = None):
    """The slot that starts at ``start`` if it is in the schedule and window (full or not)."""
    for slot in offering_slots(offering=offering, now=now, include_full=True):
        if slot.start == start:
            return slot
    return None


def city_list():
    return City.objects.filter(is_active=True, desks__is_active=True).distinct()


def city_offerings(*, city: City):
    """Bookable offerings of a city, each with its service in the active language."""
    offerings = list(
        Offering.objects.bookable()
        .filter(desk__city=city)
        .select_related("desk", "service")
        .order_by("service__name", "desk__name")
    )
    return localize_services(offerings)


def localize_services(offerings: list[Offering]) -> list[Offering]:
    """Sets ``localized_service``: each offering's service in the active language."""
    localized = service_translations([o.service for o in offerings])
    for offering in offerings:
        offering.localized_service = localized.get(
            offering.service.translation_key, offering.service
        )
    return offerings


def service_translations(services: list[Service]) -> dict:
    """Services in the active language, falling back to the source, in one query."""
    from wagtail.models import Locale

    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return {}
    keys = {s.translation_key for s in services}
    return {
        s.translation_key: s
        for s in Service.objects.filter(translation_key__in=keys, locale=locale)
    }


def appointment_by_token(*, token: str) -> Appointment | None:
    if not token or len(token) > 64:
        return None
    return (
        Appointment.objects.select_related("offering__desk__city", "offering__service")
        .filter(tokens__token_hash=token_hash(token))
        .first()
    )


def appointment_by_code(*, code: str, phone: str) -> Appointment | None:
    """The confirmed booking with this code (cleaned by the form) and phone; None whatever
    part was wrong."""
    return (
        Appointment.objects.booked()
        .select_related("offering__desk__city", "offering__service")
        .filter(code=code, phone=phone)
        .first()
    )


def user_can_book_on_behalf(*, user, offering: Offering) -> bool:
    """Operators at the offering's desk, members of a partner organisation linked to that
    desk, and superusers."""
    if not user.is_authenticated or not user.has_perm("appointments.book_on_behalf"):
        return False
    if user.is_superuser or offering.desk.staff.filter(pk=user.pk).exists():
        return True
    return partner_booking_for(user=user, offering=offering) is not None


def partner_booking_for(*, user, offering: Offering):
    """The active partner organisation through which ``user`` books at this desk, if any."""
    if user is None or not user.is_authenticated:
        return None
    return offering.desk.partners.filter(is_active=True, members=user).first()


def desk_stops(*, desk, days) -> dict:
    """Where a mobile team stands on each of the given days (empty for a fixed desk)."""
    if not desk.is_mobile or not days:
        return {}
    return {stop.date: stop for stop in DeskStop.objects.filter(desk=desk, date__in=days)}


def desk_texts(desks, *, language: str) -> dict[int, DeskText]:
    """What people read about each desk, in their language or the nearest one it has
    (Arabic, else Italian; Bengali, else English, else Italian): one query."""
    chain = language_chain(language)
    found: dict[int, DeskText] = {}
    texts = DeskText.objects.filter(desk__in=desks, locale__language_code__in=chain).select_related(
        "locale"
    )
    for text in sorted(texts, key=lambda t: chain.index(t.locale.language_code), reverse=True):
        found[text.desk_id] = text  # the nearest language is written last
    return found
