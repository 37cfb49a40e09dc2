"""The public booking flow: city -> service -> time -> details -> SMS code -> confirmation.

Every step is a plain page with links and forms: it works without JavaScript.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appointments import calendar, selectors
from appointments.forms import CodeForm, DetailsForm, LookupForm, OnBehalfForm, WaitlistForm
from appointments.models import Appointment, City, Offering, WaitlistEntry
from appointments.ratelimit import RateLimited, client_address, rate_limit_hit
from appointments.redaction import mask_phone
from appointments.services.booking import (
    Person,
    appointment_access_token,
    appointment_book_on_behalf,
    appointment_cancel,
    appointment_hold,
    appointment_reschedule,
    appointment_resend_code,
    appointment_verify,
)
from appointments.services.errors import BookingError, SlotTaken
from appointments.services.waitlist import waitlist_accept, waitlist_confirm, waitlist_join

HOLD_SESSION_KEY = "booking_hold"
DONE_SESSION_KEY = "booking_done"
WAITLIST_SESSION_KEY = "waitlist_pending"
DAYS_PER_PAGE = 7


def render(request, template_name, context=None, status=None):
    """Django's render; a page about one desk (a ``tz`` in its context) shows that desk's clock."""
    tz = (context or {}).get("tz")
    with timezone.override(tz) if tz else contextlib.nullcontext():
        return django_render(request, template_name, context, status=status)


def encode_start(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


def decode_start(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise Http404 from exc


def _limits():
    return settings.SPORTELLO


def _count_code_send(request, phone: str) -> None:
    """One more SMS code for this number and this client; RateLimited past the hour's limit."""
    rate_limit_hit(
        scope="code-phone", ident=phone, limit=_limits()["CODE_SENDS_PER_PHONE_PER_HOUR"]
    )
    rate_limit_hit(
        scope="code-client",
        ident=client_address(request),
        limit=_limits()["CODE_SENDS_PER_CLIENT_PER_HOUR"],
    )


def too_many(request, message: str | None = None) -> HttpResponse:
    text = message or _("Too many tries. Please wait an hour and try again, or call the desk.")
    return render(request, "appointments/too_many.html", {"message": text}, status=429)


def _offering(city_slug: str, offering_id: int) -> Offering:
    offering = get_object_or_404(
        Offering.objects.bookable().select_related("desk__city", "service"),
        pk=offering_id,
        desk__city__slug=city_slug,
    )
    return selectors.localize_services([offering])[0]


def city_list(request):
    return render(request, "appointments/city_list.html", {"cities": selectors.city_list()})


def service_list(request, city_slug: str):
    city = get_object_or_404(City, slug=city_slug, is_active=True)
    offerings = selectors.city_offerings(city=city)
    return render(request, "appointments/service_list.html", {"city": city, "offerings": offerings})


def _days(slots, tz: ZoneInfo):
    return [
        (day, list(group))
        for day, group in groupby(slots, key=lambda s: s.start.astimezone(tz).date())
    ]


def time_list(
    request,
    city_slug: str,
    offering_id: int,
    *,
    move_token: str | None = None,
    appointment: Appointment | None = None,
):
    if appointment:
        offering = selectors.localize_services([appointment.offering])[0]
    else:
        offering = _offering(city_slug, offering_id)
    tz = ZoneInfo(offering.desk.time_zone)
    slots = selectors.offering_slots(offering=offering)
    days = _days(slots, tz)
    try:
        page = max(0, int(request.GET.get("page", 0)))
    except ValueError:
        page = 0
    shown = days[page * DAYS_PER_PAGE : (page + 1) * DAYS_PER_PAGE]
    stops = selectors.desk_stops(desk=offering.desk, days=[day for day, _slots in shown])
    shown = [(day, day_slots, stops.get(day)) for day, day_slots in shown]
    context = {
        "offering": offering,
        "city": offering.desk.city,
        "days": shown,
        "tz": tz,
        "next_slots": slots[:3] if page == 0 else [],
        "page": page,
        "has_more": len(days) > (page + 1) * DAYS_PER_PAGE,
        "move_token": move_token,
        "waitlist_form": WaitlistForm() if not slots else None,
    }
    return render(request, "appointments/time_list.html", context)


def _slot_or_404(offering: Offering, start: datetime):
    slot = selectors.offering_slot(offering=offering, start=start)
    if slot is None:
        raise Http404
    return slot


@require_http_methods(["GET", "POST"])
def details(request, city_slug: str, offering_id: int, start: str):
    offering = _offering(city_slug, offering_id)
    when = decode_start(start)
    slot = _slot_or_404(offering, when)
    if selectors.user_can_book_on_behalf(user=request.user, offering=offering):
        return _details_on_behalf(request, offering, slot)
    form = DetailsForm(request.POST or None, interpreter_languages=offering.interpreter_languages)
    error = None
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            _count_code_send(request, phone)
        except RateLimited:
            return too_many(request)
        _release_previous_hold(request)
        try:
            appointment = appointment_hold(
                offering=offering, start=when, person=_person(form, translation.get_language())
            )
        except SlotTaken as exc:
            return _taken(request, offering, exc)
        except BookingError as exc:
            error = exc.message
        else:
            request.session[HOLD_SESSION_KEY] = appointment.pk
            return redirect("appointments:verify")
    return _details_page(request, offering, slot, form, error)


def _release_previous_hold(request) -> None:
    """Going back to pick another time frees the seat this browser was holding."""
    previous = Appointment.objects.filter(
        pk=request.session.pop(HOLD_SESSION_KEY, None), status=Appointment.Status.HELD
    ).first()
    if previous is not None:
        with contextlib.suppress(BookingError):
            appointment_cancel(appointment=previous)


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
        "tz": ZoneInfo(offering.desk.time_zone),
        "on_behalf": on_behalf,
    }
    return render(request, "appointments/details.html", context)


def _details_on_behalf(request, offering, slot):
    """Staff or a partner books for someone: same rules, no SMS code, who booked recorded."""
    form = OnBehalfForm(request.POST or None, interpreter_languages=offering.interpreter_languages)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            _appointment, token = appointment_book_on_behalf(
                offering=offering,
                start=slot.start,
                person=_person(form, form.cleaned_data["language"]),
                booked_by=request.user,
            )
        except SlotTaken as exc:
            return _taken(request, offering, exc)
        except BookingError as exc:
            error = exc.message
        else:
            return redirect(reverse("appointments:manage", args=[token]) + "?new=1")
    return _details_page(request, offering, slot, form, error, on_behalf=True)


def _taken(request, offering: Offering, exc: SlotTaken):
    context = {
        "offering": offering,
        "city": offering.desk.city,
        "message": exc.message,
        "next_slots": exc.next_slots,
        "tz": ZoneInfo(offering.desk.time_zone),
    }
    return render(request, "appointments/slot_taken.html", context, status=409)


@require_http_methods(["GET", "POST"])
def verify(request):
    hold_id = request.session.get(HOLD_SESSION_KEY)
    appointment = (
        Appointment.objects.select_related("offering__desk__city").filter(pk=hold_id).first()
    )
    if appointment is None or appointment.status != Appointment.Status.HELD:
        if done := request.session.get(DONE_SESSION_KEY):  # a second tap on "Confirm"
            return redirect(reverse("appointments:manage", args=[done]) + "?new=1")
        return render(request, "appointments/hold_expired.html", status=410)
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and "resend" in request.POST:
        form = CodeForm()
        try:
            _count_code_send(request, appointment.phone)
            appointment_resend_code(appointment=appointment)
        except RateLimited:
            return too_many(request)
        except BookingError as exc:
            error = exc.message
        else:
            error = _("We sent a new code.")
    elif request.method == "POST" and form.is_valid():
        try:
            token = appointment_verify(appointment=appointment, code=form.cleaned_data["code"])
        except BookingError as exc:
            error = exc.message
        else:
            del request.session[HOLD_SESSION_KEY]
            request.session[DONE_SESSION_KEY] = token
            return redirect(reverse("appointments:manage", args=[token]) + "?new=1")
    context = {
        "appointment": appointment,
        "form": form,
        "error": error,
        "masked_phone": mask_phone(appointment.phone),
        "tz": ZoneInfo(appointment.offering.desk.time_zone),
    }
    return render(request, "appointments/verify.html", context)


def _manage_context(appointment: Appointment, token: str) -> dict:
    desk = appointment.offering.desk
    tz = ZoneInfo(desk.time_zone)
    place = desk.place_on(appointment.start.astimezone(tz).date())
    offering = selectors.localize_services([appointment.offering])[0]
    return {
        "appointment": appointment,
        "token": token,
        "desk": desk,
        "place": place,
        "tz": tz,
        "service": offering.localized_service,
        "map_url": calendar.map_url(place) if place else "",
        "is_offer": appointment.status == Appointment.Status.HELD,
        "changeable": appointment.status == Appointment.Status.BOOKED
        and appointment.start > timezone.now(),
    }


def _by_token(token: str) -> Appointment:
    appointment = selectors.appointment_by_token(token=token)
    if appointment is None:
        raise Http404
    return appointment


def manage(request, token: str):
    """Shows a booking. GET never changes anything: link previews must not cancel."""
    appointment = _by_token(token)
    context = _manage_context(appointment, token)
    context["new"] = request.GET.get("new") == "1"
    return render(request, "appointments/manage.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    appointment = _by_token(token)
    if request.method == "POST":
        try:
            appointment_cancel(appointment=appointment)
        except BookingError as exc:
            context = {**_manage_context(appointment, token), "error": exc.message}
            return render(request, "appointments/manage.html", context, status=409)
        return redirect("appointments:manage", token=token)
    return render(request, "appointments/cancel_confirm.html", _manage_context(appointment, token))


@require_http_methods(["POST"])
def accept(request, token: str):
    appointment = _by_token(token)
    try:
        waitlist_accept(appointment=appointment)
    except BookingError as exc:
        context = {**_manage_context(appointment, token), "error": exc.message}
        return render(request, "appointments/manage.html", context, status=409)
    return redirect(reverse("appointments:manage", args=[token]) + "?new=1")


@require_http_methods(["GET", "POST"])
def move(request, token: str):
    appointment = _by_token(token)
    if appointment.status != Appointment.Status.BOOKED:
        raise Http404
    if request.method == "POST":
        start = decode_start(request.POST.get("start", ""))
        try:
            rate_limit_hit(scope="move", ident=token, limit=_limits()["MOVES_PER_BOOKING_PER_HOUR"])
        except RateLimited:
            return too_many(request)
        try:
            appointment_reschedule(appointment=appointment, start=start)
        except SlotTaken as exc:
            return _taken(request, appointment.offering, exc)
        except BookingError as exc:
            context = {**_manage_context(appointment, token), "error": exc.message}
            return render(request, "appointments/manage.html", context, status=409)
        return redirect("appointments:manage", token=token)
    return time_list(request, "", 0, move_token=token, appointment=appointment)


def ics(request, token: str):
    appointment = _by_token(token)
    if not appointment.is_active:
        raise Http404
    context = _manage_context(appointment, token)
    body = calendar.appointment_ics(
        appointment=appointment, place=context["place"], service_name=str(context["service"])
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sportello-{appointment.code}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Phone + booking code. Any mistake gets the same answer, and tries are limited."""
    form = LookupForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            rate_limit_hit(
                scope="lookup",
                ident=client_address(request),
                limit=_limits()["LOOKUPS_PER_CLIENT_PER_HOUR"],
            )
        except RateLimited:
            return too_many(request)
        appointment = None
        if form.is_valid():
            appointment = selectors.appointment_by_code(
                code=form.cleaned_data["code"], phone=form.cleaned_data["phone"]
            )
            if appointment is not None:
                token = appointment_access_token(appointment=appointment)
                return redirect("appointments:manage", token=token)
            error = _("We found no active booking with this phone number and code.")
    return render(request, "appointments/lookup.html", {"form": form, "error": error})


@require_http_methods(["POST"])
def waitlist(request, city_slug: str, offering_id: int):
    offering = _offering(city_slug, offering_id)
    form = WaitlistForm(request.POST)
    if not form.is_valid():
        return render(
            request, "appointments/waitlist.html", {"offering": offering, "form": form}, status=400
        )
    phone = form.cleaned_data["phone"]
    try:
        _count_code_send(request, phone)
    except RateLimited:
        return too_many(request)
    entry = waitlist_join(offering=offering, phone=phone, language=translation.get_language())
    request.session[WAITLIST_SESSION_KEY] = entry.pk
    return redirect("appointments:waitlist_verify")


@require_http_methods(["GET", "POST"])
def waitlist_verify(request):
    """The SMS code confirms a place on the waiting list."""
    entry = (
        WaitlistEntry.objects.select_related("offering__desk__city")
        .filter(pk=request.session.get(WAITLIST_SESSION_KEY))
        .first()
    )
    if entry is None:
        return render(request, "appointments/hold_expired.html", status=410)
    context = {"offering": entry.offering, "masked_phone": mask_phone(entry.phone)}
    if entry.status != WaitlistEntry.Status.PENDING:
        return render(request, "appointments/waitlist.html", {**context, "joined": True})
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            waitlist_confirm(entry=entry, code=form.cleaned_data["code"])
        except BookingError as exc:
            error = exc.message
        else:
            return render(request, "appointments/waitlist.html", {**context, "joined": True})
    return render(
        request, "appointments/waitlist_verify.html", {**context, "form": form, "error": error}
    )


def start_url(offering: Offering, start: datetime) -> str:
    return reverse(
        "appointments:details", args=[offering.desk.city.slug, offering.pk, encode_start(start)]
    )
