"""What the three processes of the public flow share: look-ups, limits, time pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments import selectors
from appointments.forms import WaitlistForm
from appointments.models import Appointment, Offering
from core.phones import phone_country_prefix
from core.proof import proof_puzzle_if_needed
from core.ratelimit import LimitsUnavailable, RateLimited, Reservation, client_network, reserve
from core.responses import render, too_many
from core.tokens import keyed_hash

DAYS_PER_PAGE = 7


def offering_or_404(city_slug: str, offering_id: int) -> Offering:
    offering = get_object_or_404(
        Offering.objects.bookable().select_related("desk__city", "service"),
        pk=offering_id,
        desk__city__slug=city_slug,
    )
    return selectors.localize_services([offering])[0]


def appointment_or_404(token: str) -> Appointment:
    appointment = selectors.appointment_by_token(token=token)
    if appointment is None:
        raise Http404
    return appointment


def desk_tz(offering: Offering) -> ZoneInfo:
    return ZoneInfo(offering.desk.time_zone)


def client_key(request) -> str:
    """The client's network as a keyed hash: what a hold records to count holds per address."""
    return keyed_hash(client_network(request), purpose="hold-client")[:32]


def code_budget(request, phone: str) -> Reservation:
    """One SMS code from every budget it spends: the address, all codes together, the
    number's country and the number. All or none: a refusal costs nothing anywhere."""
    prefix = phone_country_prefix(phone)
    return reserve(
        [
            ("code-client", client_network(request)),
            ("code-global", "all"),
            (f"code-country:{prefix}", prefix),
            ("code-phone", phone),
        ]
    )


def session_put_fresh(request, key: str, pk: int, *, seconds: int) -> None:
    """Keeps an id in the session for a short while only (never a secret)."""
    until = timezone.now() + timedelta(seconds=seconds)
    request.session[key] = {"id": pk, "until": until.isoformat()}


def session_get_fresh(request, key: str, *, pop: bool = False) -> int | None:
    """The id kept by ``session_put_fresh`` if its time is not over; forgets a stale one."""
    kept = (request.session.pop(key, None) if pop else request.session.get(key)) or {}
    if not kept or datetime.fromisoformat(kept["until"]) < timezone.now():
        request.session.pop(key, None)
        return None
    return kept["id"]


def over_budget(request, exc: RateLimited, *, offering: Offering):
    """The page for a code that cannot be sent now, with the desk's phone to call instead."""
    context = {"desk": offering.desk}
    if isinstance(exc, LimitsUnavailable):
        message = _("We cannot send SMS codes right now. Please try again in a few minutes.")
        return too_many(request, message, context=context)
    if exc.scope == "code-phone":
        message = _("This number has received the most codes allowed for now.")
        return too_many(request, message, context=context)
    return too_many(request, context=context)


def times_page(request, *, offering: Offering, move_token: str | None = None):
    """The free times of an offering, a week a page: to book, or to move a booking."""
    tz = desk_tz(offering)
    slots = selectors.offering_slots(offering=offering)
    days = [
        (day, list(group))
        for day, group in groupby(slots, key=lambda s: s.start.astimezone(tz).date())
    ]
    try:
        page = max(0, int(request.GET.get("page", 0)))
    except ValueError:
        page = 0
    shown = days[page * DAYS_PER_PAGE : (page + 1) * DAYS_PER_PAGE]
    stops = selectors.desk_stops(desk=offering.desk, days=[day for day, _slots in shown])
    context = {
        "offering": offering,
        "city": offering.desk.city,
        "days": [(day, day_slots, stops.get(day)) for day, day_slots in shown],
        "tz": tz,
        "next_slots": slots[:3] if page == 0 else [],
        "page": page,
        "has_more": len(days) > (page + 1) * DAYS_PER_PAGE,
        "move_token": move_token,
        "waitlist_form": WaitlistForm() if not slots and not move_token else None,
        "proof": proof_puzzle_if_needed(request) if not slots and not move_token else None,
    }
    return render(request, "appointments/time_list.html", context)


def slot_taken(request, offering: Offering, exc):
    context = {
        "offering": offering,
        "city": offering.desk.city,
        "message": exc.message,
        "next_slots": exc.next_slots,
        "tz": desk_tz(offering),
    }
    return render(request, "appointments/slot_taken.html", context, status=409)


def over_limit_page(request, appointment: Appointment, exc):
    """The number is proven and already has bookings in the way: say so, link to them."""
    context = {
        "message": exc.message,
        "links": exc.links,
        "tz": desk_tz(appointment.offering),
        "city": appointment.offering.desk.city,
    }
    return render(request, "appointments/over_limit.html", context, status=409)
