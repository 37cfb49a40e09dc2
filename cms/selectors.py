"""What the public pages read about cities and desks, in a few queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from appointments import availability, opening
from appointments.holidays import holiday_closures
from appointments.models import City, Closure, Desk, DeskText, Offering, WalkInHours
from appointments.selectors import desk_texts


@dataclass(frozen=True)
class DeskCard:
    desk: Desk
    hours: list[WalkInHours]
    state: opening.OpenState
    text: DeskText | None = None  # in the reader's language, or the nearest it has

    @property
    def name(self) -> str:
        return (self.text.public_name if self.text else "") or self.desk.name

    @property
    def text_language(self) -> str:
        return self.text.locale.language_code if self.text else ""

    @property
    def map_url(self) -> str:
        """OpenStreetMap at the desk (no tracking, works in any phone's browser)."""
        if self.desk.latitude is None or self.desk.longitude is None:
            return ""
        lat, lon = self.desk.latitude, self.desk.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def city_desks(city: City, *, now=None) -> list[DeskCard]:
    """The city's fixed desks with their texts in the reader's language, their walk-in
    hours and whether they are open now, on each desk's clock (four queries)."""
    now = now or timezone.now()
    desks = list(
        Desk.objects.filter(city=city, is_active=True, is_mobile=False)
        .order_by("name")
        .prefetch_related(Prefetch("walk_in_hours", queryset=WalkInHours.objects.all()))
    )
    closures: dict[int, list[availability.Closure]] = {}
    for closure in Closure.objects.filter(
        desk__in=desks, offering__isnull=True, end__gt=now, start__lt=now + timedelta(days=8)
    ).only("desk_id", "start", "end"):
        closures.setdefault(closure.desk_id, []).append(
            availability.Closure(start=closure.start, end=closure.end)
        )
    texts = desk_texts(desks, language=translation.get_language())
    cards = []
    for desk in desks:
        closures.setdefault(desk.pk, []).extend(
            holiday_closures(desk, now, now + timedelta(days=8))
        )
        hours = list(desk.walk_in_hours.all())
        rules = [
            availability.WeeklyRule(weekday=h.weekday, start=h.start, end=h.end) for h in hours
        ]
        state = opening.open_state(
            rules=rules, closures=closures.get(desk.pk, []), now=now, tz=ZoneInfo(desk.time_zone)
        )
        cards.append(DeskCard(desk=desk, hours=hours, state=state, text=texts.get(desk.pk)))
    return cards


@dataclass(frozen=True)
class Booking:
    """Where "Book" leads for a service in a city: straight to the times when one desk
    offers it, else the list of those desks."""

    offerings: list[Offering]

    @property
    def single(self) -> Offering | None:
        return self.offerings[0] if len(self.offerings) == 1 else None


def service_booking(*, service, city) -> Booking:
    if service is None or city is None:
        return Booking(offerings=[])
    offerings = list(
        Offering.objects.bookable()
        .filter(
            Q(service=service) | Q(service__translation_key=service.translation_key),
            desk__city=city,
        )
        .select_related("desk")
        .order_by("desk__name")
    )
    return Booking(offerings=offerings)
