"""A booking's own page, reached by its secret link: see, move, cancel, take an offer.

Opening a page never changes anything (link previews must not cancel): every change is a
POST from a confirming page. Every page here names a person's visit: none is cached.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from appointments import calendar, selectors
from appointments.forms import LookupForm
from appointments.models import Appointment, WaitlistEntry
from appointments.models.booking import BOOKED_STATUSES
from appointments.services.booking import appointment_cancel, appointment_reschedule
from appointments.services.errors import BookingError, OverPhoneLimit, SlotTaken
from appointments.services.seats import appointment_access_token
from appointments.services.waitlist import waitlist_accept, waitlist_decline
from appointments.views.common import (
    appointment_or_404,
    desk_tz,
    over_limit_page,
    slot_taken,
    times_page,
)
from core.ratelimit import RateLimited, rate_limit, rate_limit_hit
from core.responses import render, too_many


def _context(appointment: Appointment, token: str) -> dict:
    desk = appointment.offering.desk
    tz = desk_tz(appointment.offering)
    place = desk.place_on(appointment.start.astimezone(tz).date())
    offering = selectors.localize_services([appointment.offering])[0]
    is_offer = appointment.status == Appointment.Status.HELD
    language = translation.get_language()
    text = selectors.desk_texts([desk], language=language).get(desk.pk)
    return {
        "appointment": appointment,
        "token": token,
        "desk": desk,
        "desk_name": (text.public_name if text else "") or desk.name,
        "desk_text": text,
        # Words not yet translated into the reader's language carry their own language.
        "text_language": text.locale.language_code if text else language,
        "directions": place.directions if place is not desk and place else text and text.directions,
        # A mobile team's stop is written once (no language mark); a desk text has its own.
        "directions_language": text.locale.language_code if text and place is desk else "",
        "city": desk.city,
        "place": place,
        "tz": tz,
        "service": offering.localized_service,
        "map_url": calendar.map_url(place) if place else "",
        "is_offer": is_offer,
        "interpreter": _language_name(appointment.interpreter_language),
        "is_cancelled": appointment.status == Appointment.Status.CANCELLED,
        # A waiting-list offer that ran out or was declined: no code to show, book again.
        "is_gone": appointment.status in (Appointment.Status.EXPIRED, Appointment.Status.RELEASED),
        "changeable": appointment.status == Appointment.Status.CONFIRMED
        and appointment.start > timezone.now(),
    }


def _language_name(code: str) -> str:
    """A language as its speakers write it (العربية, ትግርኛ), for the interpreter line."""
    try:
        return translation.get_language_info(code)["name_local"] if code else ""
    except KeyError:
        return code


def _page(request, appointment, token, *, error=None, status=None, **extra):
    context = {**_context(appointment, token), "error": error, **extra}
    return render(request, "appointments/manage.html", context, status=status)


@never_cache
def show(request, token: str):
    """Shows a booking, a cancelled one, or a waiting-list offer not taken yet."""
    appointment = appointment_or_404(token)
    return _page(request, appointment, token, new=request.GET.get("new") == "1")


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    appointment = appointment_or_404(token)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment)
        except BookingError as exc:
            return _page(request, appointment, token, error=exc.message, status=409)
        return redirect("appointments:manage", token=token)
    context = _context(appointment, token)
    if not context["changeable"]:  # already cancelled, or begun: its page says what it is
        return redirect("appointments:manage", token=token)
    return render(request, "appointments/cancel_confirm.html", context)


def _offer_or_404(token: str) -> Appointment:
    appointment = appointment_or_404(token)
    if not WaitlistEntry.objects.filter(offered=appointment).exists():
        raise Http404
    return appointment


@never_cache
@require_POST
def accept(request, token: str):
    appointment = _offer_or_404(token)
    try:
        new_token = waitlist_accept(appointment=appointment)
    except OverPhoneLimit as exc:
        return over_limit_page(request, appointment, exc)
    except BookingError as exc:
        return _page(request, appointment, token, error=exc.message, status=409)
    return redirect(reverse("appointments:manage", args=[new_token]) + "?new=1")


@never_cache
@require_POST
def decline(request, token: str):
    appointment = _offer_or_404(token)
    try:
        waitlist_decline(appointment=appointment)
    except BookingError as exc:
        return _page(request, appointment, token, error=exc.message, status=409)
    return render(request, "appointments/offer_declined.html", _context(appointment, token))


def _movable_or_404(token: str) -> Appointment:
    appointment = appointment_or_404(token)
    if appointment.status != Appointment.Status.CONFIRMED:
        raise Http404
    return appointment


@never_cache
def move_times(request, token: str):
    appointment = appointment_or_404(token)
    if appointment.status != Appointment.Status.CONFIRMED:  # its page says what it is now
        return redirect("appointments:manage", token=token)
    offering = selectors.localize_services([appointment.offering])[0]
    return times_page(request, offering=offering, move_token=token)


@never_cache
@require_POST
def move(request, token: str, start: datetime):
    appointment = _movable_or_404(token)
    try:
        rate_limit_hit(scope="move", ident=token)
    except RateLimited:
        return too_many(request)
    try:
        appointment_reschedule(appointment=appointment, start=start)
    except SlotTaken as exc:
        return slot_taken(request, appointment.offering, exc)
    except BookingError as exc:
        return _page(request, appointment, token, error=exc.message, status=409)
    return redirect("appointments:manage", token=token)


@never_cache
def ics(request, token: str):
    appointment = appointment_or_404(token)
    if appointment.status not in BOOKED_STATUSES:  # cancelled, or an offer not taken yet
        return redirect("appointments:manage", token=token)
    context = _context(appointment, token)
    body = calendar.appointment_ics(
        appointment=appointment, place=context["place"], service_name=str(context["service"])
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sportello-{appointment.code}.ics"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("lookup")
def lookup(request):
    """Phone + booking code. Any mistake gets the same answer, and tries are limited."""
    form = LookupForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        appointment = selectors.appointment_by_code(
            code=form.cleaned_data["code"], phone=form.cleaned_data["phone"]
        )
        if appointment is not None:
            token = appointment_access_token(appointment=appointment)
            return redirect("appointments:manage", token=token)
        error = _("We found no active booking with this phone number and code.")
    return render(request, "appointments/lookup.html", {"form": form, "error": error})
