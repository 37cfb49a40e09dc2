"""Booking: city -> service -> time -> details -> SMS code -> confirmation."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from appointments import selectors
from appointments.forms import CodeForm, DetailsForm, OnBehalfForm
from appointments.models import Appointment, City, Offering
from appointments.services.booking import (
    Person,
    appointment_book_on_behalf,
    appointment_hold,
    appointment_resend_code,
    appointment_verify,
)
from appointments.services.errors import (
    BookingError,
    OverPhoneLimit,
    SlotTaken,
    TooManyAttempts,
)
from appointments.services.seats import appointment_access_token
from appointments.views.common import (
    client_key,
    code_budget,
    desk_tz,
    offering_or_404,
    over_budget,
    over_limit_page,
    session_get_fresh,
    session_put_fresh,
    slot_taken,
    times_page,
)
from core.proof import proof_puzzle_if_needed, proof_refused
from core.ratelimit import RateLimited, rate_limit_hit
from core.responses import render, too_many
from messaging.challenges import challenge_sms_key

HOLD_SESSION_KEY = "booking_hold"
# Double-tap protection: the id of the booking just confirmed and until when a second tap
# on "Confirm" may land on it. Never the manage token: the next person on a shared phone
# must find no way back to somebody else's booking.
DONE_SESSION_KEY = "booking_done"
DONE_SECONDS = 120


def city_list(request):
    return render(request, "appointments/city_list.html", {"cities": selectors.city_list()})


def service_list(request, city_slug: str):
    city = get_object_or_404(City, slug=city_slug, is_active=True)
    offerings = selectors.city_offerings(city=city)
    return render(request, "appointments/service_list.html", {"city": city, "offerings": offerings})


def time_list(request, city_slug: str, offering_id: int):
    return times_page(request, offering=offering_or_404(city_slug, offering_id))


@never_cache
@require_http_methods(["GET", "POST"])
def details(request, city_slug: str, offering_id: int, start: datetime):
    offering = offering_or_404(city_slug, offering_id)
    slot = selectors.offering_slot(offering=offering, start=start)
    if slot is None:
        raise Http404
    if selectors.user_can_book_on_behalf(user=request.user, offering=offering):
        return _details_on_behalf(request, offering, slot)
    form = DetailsForm(request.POST or None, interpreter_languages=offering.interpreter_languages)
    error = None
    if request.method == "POST" and form.is_valid():
        if error := proof_refused(request):
            return _details_page(request, offering, slot, form, error)
        phone = form.cleaned_data["phone"]
        try:
            budget = code_budget(request, phone)
        except RateLimited as exc:
            return over_budget(request, exc, offering=offering)
        try:
            appointment = appointment_hold(
                offering=offering,
                start=start,
                person=_person(form, translation.get_language()),
                client=client_key(request),
                replacing=request.session.get(HOLD_SESSION_KEY),
            )
        except BookingError as exc:
            budget.give_back()  # nothing was sent
            if isinstance(exc, SlotTaken):
                return slot_taken(request, offering, exc)
            error = exc.message
        else:
            budget.attach(challenge_sms_key(appointment.challenge))
            request.session[HOLD_SESSION_KEY] = appointment.pk
            return redirect("appointments:verify")
    return _details_page(request, offering, slot, form, error)


def _person(form, language: str) -> Person:
    data = form.cleaned_data
    return Person(
        phone=data["phone"] or "",
        language=language,
        name=data["name"],
        interpreter_language=data.get("interpreter_language", ""),
        reason=data["reason"],
    )


def _details_page(request, offering, slot, form, error, *, on_behalf=False):
    context = {
        "offering": offering,
        "slot": slot,
        "form": form,
        "error": error,
        "tz": desk_tz(offering),
        "on_behalf": on_behalf,
        "proof": None if on_behalf else proof_puzzle_if_needed(request),
    }
    return render(request, "appointments/details.html", context)


def _details_on_behalf(request, offering: Offering, slot):
    """Staff or a partner books for someone: same rules, no SMS code, who booked recorded."""
    form = OnBehalfForm(request.POST or None, interpreter_languages=offering.interpreter_languages)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit_hit(scope="on-behalf", ident=f"user:{request.user.pk}")
        except RateLimited:
            return too_many(request)
        try:
            _appointment, token = appointment_book_on_behalf(
                offering=offering,
                start=slot.start,
                person=_person(form, form.cleaned_data["language"]),
                booked_by=request.user,
            )
        except SlotTaken as exc:
            return slot_taken(request, offering, exc)
        except BookingError as exc:
            error = exc.message
        else:
            return redirect(reverse("appointments:manage", args=[token]) + "?new=1")
    return _details_page(request, offering, slot, form, error, on_behalf=True)


def _just_confirmed(request) -> Appointment | None:
    """The booking this browser confirmed in the last two minutes (a second tap)."""
    pk = session_get_fresh(request, DONE_SESSION_KEY)
    return Appointment.objects.filter(pk=pk, status=Appointment.Status.CONFIRMED).first()


def _confirmed(request, token: str, appointment: Appointment):
    request.session.pop(HOLD_SESSION_KEY, None)
    session_put_fresh(request, DONE_SESSION_KEY, appointment.pk, seconds=DONE_SECONDS)
    return redirect(reverse("appointments:manage", args=[token]) + "?new=1")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    appointment = (
        Appointment.objects.select_related("offering__desk__city", "challenge")
        .filter(pk=request.session.get(HOLD_SESSION_KEY))
        .first()
    )
    if appointment is None or appointment.status != Appointment.Status.HELD:
        # A second tap on "Confirm" (a POST: going back in the history to this page must
        # not lead the next person on a shared phone into somebody's booking).
        done = _just_confirmed(request)
        if done and request.method == "POST":
            token = appointment_access_token(appointment=done)
            return redirect(reverse("appointments:manage", args=[token]) + "?new=1")
        # Back in the history after booking: say it is booked, with no way into it.
        return render(request, "appointments/hold_expired.html", {"booked": bool(done)}, status=410)
    form = CodeForm(request.POST or None)
    error, locked = None, False
    if request.method == "POST" and "resend" in request.POST:
        form, error = CodeForm(), proof_refused(request)
        if error is None:
            try:
                budget = code_budget(request, appointment.phone)
            except RateLimited as exc:
                return over_budget(request, exc, offering=appointment.offering)
            error = _resend(appointment, budget)
    elif request.method == "POST" and form.is_valid():
        try:
            token = appointment_verify(appointment=appointment, code=form.cleaned_data["code"])
        except OverPhoneLimit as exc:
            request.session.pop(HOLD_SESSION_KEY, None)
            return over_limit_page(request, appointment, exc)
        except BookingError as exc:
            # Out of tries: the code box goes; a new code (below) gives new tries.
            error, locked = exc.message, isinstance(exc, TooManyAttempts)
        else:
            return _confirmed(request, token, appointment)
    context = {
        "appointment": appointment,
        "form": form,
        "error": error,
        "locked": locked,
        "tz": desk_tz(appointment.offering),
        "proof": proof_puzzle_if_needed(request),
        "change_url": reverse(
            "appointments:details",
            args=[appointment.offering.desk.city.slug, appointment.offering_id, appointment.start],
        ),
    }
    return render(request, "appointments/verify.html", context)


def _resend(appointment: Appointment, budget) -> str:
    """A new code, paid from ``budget``: the message to show."""
    try:
        appointment_resend_code(appointment=appointment)
    except BookingError as exc:
        budget.give_back()
        return exc.message
    appointment.challenge.refresh_from_db()
    budget.attach(challenge_sms_key(appointment.challenge))
    return _("We sent a new code.")
