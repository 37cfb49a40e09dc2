"""The operator's console: plain pages and form posts (every action works without
JavaScript), only for the desks the operator works at (404 for any other)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import Action, audit
from appointments import selectors as booking_selectors
from appointments.audit import booking_audit
from appointments.models import Appointment, InvalidTransition
from appointments.services.booking import appointment_cancel, appointment_reschedule
from appointments.services.errors import BookingError, ChangedMeanwhile, SlotTaken
from core.digits import ascii_digits
from core.formatting import format_short_day, format_time
from core.locking import LockTimeout
from core.phones import phone_mask, phone_normalize
from core.responses import render
from frontdesk import selectors, services
from frontdesk.models import InvalidTicketMove, Queue, TicketStatus

COUNTER_KEY = "frontdesk:counter:{}"


def desk_busy_retry(view):
    """A desk's lock held too long by others (core.locking's LockTimeout) is a message
    to try again, never an error page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LockTimeout:
            messages.error(request, _("The desk is busy. Please try again."))
            return redirect("frontdesk:console", desk_id=kwargs["desk_id"])

    return wrapped


def staff_only(view):
    """Login required. A form posted after the session ended (the idle logout) comes back,
    once logged in, to the console it was posted from, not to a URL that only takes POST."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        back = request.get_full_path()
        if request.method != "GET":
            if "appointment_id" in kwargs:  # back to the booking being changed
                back = reverse(
                    "frontdesk:booking",
                    kwargs={
                        "desk_id": kwargs["desk_id"],
                        "appointment_id": kwargs["appointment_id"],
                    },
                )
            elif "desk_id" in kwargs:
                back = reverse("frontdesk:console", kwargs={"desk_id": kwargs["desk_id"]})
            else:
                back = reverse("frontdesk:desks")
        return redirect_to_login(back, login_url=settings.LOGIN_URL)

    return wrapped


@staff_only
@never_cache
def desks(request):
    mine = list(selectors.staff_desks(request.user))
    if len(mine) == 1:
        return redirect("frontdesk:console", desk_id=mine[0].pk)
    return render(request, "frontdesk/desks.html", {"desks": mine})


@staff_only
@never_cache
@require_http_methods(["GET", "POST"])
def console(request, desk_id: int):
    """The day at the desk. A search for a booking is a POST, so that a phone number never
    sits in the address bar, the browser's history or an access log; its results are not
    refreshed in the background (the refresh is a GET of the plain console)."""
    desk = selectors.desk_for(request.user, desk_id)
    now = timezone.now()
    day = services.desk_day(desk, now)
    if "counter" in request.GET:  # remembered in the session; the address stays plain
        counter = selectors.counter_for(desk, request.GET["counter"])
        request.session[COUNTER_KEY.format(desk.pk)] = counter.pk if counter else None
        return _back(desk)
    counter = selectors.counter_for(desk, request.session.get(COUNTER_KEY.format(desk.pk)))
    query = ascii_digits(request.POST.get("q", "")).strip() if request.method == "POST" else ""
    etag = _console_etag(request, desk, counter, day, now)
    refreshing = bool(request.headers.get("Sportello-Refresh"))
    if refreshing and etag:  # the page refreshing itself: mostly a 304, from two reads
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
    tickets = list(selectors.tickets_open(desk, day=day))
    if query:
        bookings = list(selectors.bookings_find(desk, query, now=now))
        digits = "".join(ch for ch in query if ch.isdigit())
        audit(
            request,
            Action.BOOKING_SEARCH,
            desk_id=desk.pk,
            detail=f"…{digits[-3:]}" if len(digits) >= 6 else "code",
        )
    else:
        bookings = list(selectors.bookings_today(desk, day=day))
    board = selectors.queue_board(desk, day=day, now=now)
    counters = list(desk.counters.filter(is_active=True))
    waiting = [t for t in tickets if t.status in (TicketStatus.WAITING, TicketStatus.PARKED)]
    context = {
        "desk": desk,
        "counters": counters,
        "counter": counter,
        "current": next(
            (
                t
                for t in tickets
                if counter
                and t.counter_id == counter.pk
                and t.status in (TicketStatus.CALLED, TicketStatus.SERVING)
            ),
            None,
        ),
        "board": board,
        "waiting": waiting[:WAITING_SHOWN],
        "waiting_more": max(0, len(waiting) - WAITING_SHOWN),
        "bookings": bookings,
        "check_in_ids": {
            b.pk
            for b in bookings
            if b.status == Appointment.Status.CONFIRMED and services.desk_day(desk, b.start) == day
        },
        "query": query,
        "queues": Queue.objects.filter(desk=desk, is_active=True).select_related("service"),
        "languages": [
            (code, translation.get_language_info(code)["name_local"])
            for code, _name in settings.LANGUAGES
        ],
        "no_show_after": services.rules()["NO_SHOW_AFTER_CALLS"],
        "refresh_seconds": 0 if query else CONSOLE_REFRESH_SECONDS,
        "etag": etag,
        "idle_seconds": settings.SPORTELLO["STAFF_IDLE_MINUTES"] * 60,
        "now": now,
        "tz": ZoneInfo(desk.time_zone),  # times on the desk's clock
    }
    response = render(request, "frontdesk/console.html", context)
    if refreshing:  # a refresh swaps in parts of the page: flash messages wait for a visit
        messages.get_messages(request).used = False
    if etag and not query:
        response["ETag"] = etag
    return response


CONSOLE_REFRESH_SECONDS = 10
WAITING_SHOWN = 60  # the next ones; the board counts them all


def _console_etag(request, desk, counter, day, now) -> str:
    """What the console shows, as a cheap fingerprint, read before anything else: the
    desk's ticket version (bumped whenever one of its tickets is written), today's bookings
    (how many, last change), the reader (user, language, counter) and the minute (waits are
    shown in minutes). A refresh that would show nothing new is a 304 from these two reads.
    Empty when the cache cannot give the version: then every refresh is a full page."""
    version = services.desk_version(desk.pk)
    if version is None:
        return ""
    bookings = selectors.bookings_today(desk, day=day).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    state = (
        request.user.pk,
        desk.pk,
        version,
        bookings["n"],
        bookings["changed"].isoformat() if bookings["changed"] else "",
        translation.get_language(),
        counter.pk if counter else None,
        now.replace(second=0, microsecond=0).isoformat(),
    )
    digest = hashlib.blake2b(repr(state).encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def _back(desk):
    return redirect(reverse("frontdesk:console", kwargs={"desk_id": desk.pk}))


@staff_only
@require_POST
@desk_busy_retry
def call_next(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    counter = selectors.counter_for(desk, request.POST.get("counter"))
    if counter is None:
        raise Http404
    try:
        ticket = services.call_next(counter=counter)
    except services.CounterBusy:
        messages.error(request, _("Finish the current ticket first."))
    else:
        if ticket is None:
            messages.info(request, _("Nobody is waiting for this counter."))
        else:
            messages.success(request, _("Called %(ticket)s.") % {"ticket": ticket.label})
    return _back(desk)


ACTIONS = {
    "recall": services.recall,
    "start": services.start,
    "finish": services.finish,
    "no-show": services.no_show,
    "park": services.park,
    "resume": services.resume,
}


@staff_only
@require_POST
@desk_busy_retry
def ticket_action(request, desk_id: int, ticket_id: int, action: str):
    desk = selectors.desk_for(request.user, desk_id)
    ticket = selectors.ticket_for(desk, ticket_id)
    try:
        if action in ACTIONS:
            ACTIONS[action](ticket=ticket)
        elif action == "call":
            return _call_out_of_order(request, desk, ticket)
        elif action == "transfer":
            to = Queue.objects.filter(desk=desk, pk=request.POST.get("queue") or 0).first()
            if to is None:
                raise Http404
            services.transfer(ticket=ticket, to=to, by=request.user)
        elif action == "update":
            services.ticket_update(
                ticket=ticket,
                priority=request.POST.get("priority") == "on",
                note=request.POST.get("note", ""),
                interpreter_joined=request.POST.get("interpreter_joined") == "on",
            )
        else:
            raise Http404
    except (InvalidTicketMove, InvalidTransition):
        messages.error(
            request, _("This cannot be done with ticket %(ticket)s now.") % {"ticket": ticket.label}
        )
    return _back(desk)


def _call_out_of_order(request, desk, ticket):
    if not request.user.has_perm("frontdesk.call_out_of_order"):
        raise PermissionDenied
    counter = selectors.counter_for(desk, request.POST.get("counter"))
    if counter is None:
        raise Http404
    try:
        services.call_out_of_order(counter=counter, ticket=ticket, by=request.user)
    except services.CounterBusy:
        messages.error(request, _("Finish the current ticket first."))
    else:
        messages.success(request, _("Called %(ticket)s.") % {"ticket": ticket.label})
    return _back(desk)


@staff_only
@require_POST
@desk_busy_retry
def walk_in(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    queue = Queue.objects.filter(desk=desk, pk=request.POST.get("queue") or 0).first()
    if queue is None:
        raise Http404
    phone, language = request.POST.get("phone", "").strip(), request.POST.get("language", "")
    if phone:
        try:
            phone = phone_normalize(phone)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return _back(desk)
    try:
        ticket = services.walk_in_issue(
            queue=queue,
            phone=phone,
            language=language if language in dict(settings.LANGUAGES) else "",
            priority=request.POST.get("priority") == "on",
            by=request.user,
        )
    except services.QuotaReached:
        messages.error(request, _("No more walk-in tickets today for this queue."))
    else:
        messages.success(request, _("Ticket %(ticket)s issued.") % {"ticket": ticket.label})
    return _back(desk)


@staff_only
@require_POST
@desk_busy_retry
def check_in(request, desk_id: int, appointment_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    appointment = Appointment.objects.filter(pk=appointment_id, offering__desk=desk).first()
    if appointment is None:
        raise Http404
    try:
        ticket = services.check_in(appointment=appointment, by=request.user)
    except (services.NotToday, InvalidTransition):
        messages.error(request, _("This booking cannot be checked in now."))
    else:
        messages.success(request, _("Checked in: ticket %(ticket)s.") % {"ticket": ticket.label})
    return _back(desk)


# --- Bookings by phone, and the day's list on paper ----------------------------------------


@staff_only
@never_cache
def booking(request, desk_id: int, appointment_id: int):
    """A person calls: the operator finds their booking, and cancels it or moves it to a
    free time of the same service; the person gets the usual text either way."""
    desk = selectors.desk_for(request.user, desk_id)
    appointment = selectors.booking_for(desk, appointment_id)
    booking_audit(request, Action.BOOKING_VIEW, appointment)
    now = timezone.now()
    changeable = appointment.status == Appointment.Status.CONFIRMED and appointment.start > now
    slots = []
    if changeable:
        slots = [
            slot
            for slot in booking_selectors.offering_slots(offering=appointment.offering, now=now)
            if slot.start != appointment.start
        ][:MOVE_CHOICES]
    return render(
        request,
        "frontdesk/booking.html",
        {
            "desk": desk,
            "appointment": appointment,
            "changeable": changeable,
            "slots": slots,
            "phone": phone_mask(appointment.phone) if appointment.phone else "",
            "idle_seconds": settings.SPORTELLO["STAFF_IDLE_MINUTES"] * 60,
            "tz": ZoneInfo(desk.time_zone),
        },
    )


MOVE_CHOICES = 24  # the next free times offered on the phone


def _booking_back(desk, appointment):
    return redirect("frontdesk:booking", desk_id=desk.pk, appointment_id=appointment.pk)


@staff_only
@require_POST
def booking_cancel(request, desk_id: int, appointment_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    appointment = selectors.booking_for(desk, appointment_id)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that the person asked to cancel."))
        return _booking_back(desk, appointment)
    try:
        appointment_cancel(appointment=appointment, by=request.user)
    except BookingError:
        messages.error(request, _("This booking can no longer be cancelled."))
    else:
        booking_audit(request, Action.BOOKING_CHANGE, appointment, detail="cancelled")
        messages.success(request, _("Booking %(code)s cancelled.") % {"code": appointment.code})
    return _booking_back(desk, appointment)


@staff_only
@require_POST
def booking_move(request, desk_id: int, appointment_id: int, start):
    desk = selectors.desk_for(request.user, desk_id)
    appointment = selectors.booking_for(desk, appointment_id)
    try:  # the time the operator's page showed: if somebody moved it meanwhile, not again
        shown = datetime.fromisoformat(request.POST.get("from", ""))
    except ValueError:
        messages.error(request, ChangedMeanwhile.message)
        return _booking_back(desk, appointment)
    try:
        appointment = appointment_reschedule(
            appointment=appointment, start=start, expected_start=shown
        )
    except ChangedMeanwhile as exc:
        messages.error(request, exc.message)
    except SlotTaken:
        messages.error(request, _("That time was just taken. Choose another one."))
    except BookingError:
        messages.error(request, _("This booking can no longer be moved."))
    else:
        booking_audit(request, Action.BOOKING_CHANGE, appointment, detail="moved")
        tz = ZoneInfo(desk.time_zone)
        when = (
            f"{format_short_day(appointment.start, tz=tz)} {format_time(appointment.start, tz=tz)}"
        )
        messages.success(
            request,
            _("Booking %(code)s moved to %(when)s.") % {"code": appointment.code, "when": when},
        )
    return _booking_back(desk, appointment)


@staff_only
@never_cache
def day_list(request, desk_id: int):
    """The day's bookings on one printable page, for when the network is down: time, code,
    name, the end of the phone number, service and interpreter, and a box to tick."""
    desk = selectors.desk_for(request.user, desk_id)
    today = services.desk_day(desk, timezone.now())
    try:
        day = date.fromisoformat(ascii_digits(request.GET.get("day", "")))
    except ValueError:
        day = today
    if not today <= day <= today + timedelta(days=7):
        day = today
    audit(request, Action.DAY_LIST, desk_id=desk.pk, detail=day.isoformat())
    rows = [
        (b, f"…{b.phone[-3:]}" if b.phone else "")  # enough to tell two people apart
        for b in selectors.bookings_today(desk, day=day).select_related("offering__desk")
    ]
    return render(
        request,
        "frontdesk/day_list.html",
        {
            "desk": desk,
            "day": day,
            "rows": rows,
            "tomorrow": today + timedelta(days=1),
            "today": today,
            "tz": ZoneInfo(desk.time_zone),
        },
    )


# --- The waiting-room screen (no login: a secret URL) -----------------------------------


def _calls(desk):
    now = timezone.now()
    return selectors.display_calls(desk, day=services.desk_day(desk, now))


@never_cache
def display(request, token: str):
    desk = selectors.display_desk(token)
    response = render(
        request,
        "frontdesk/display.html",
        {"desk": desk, "calls": _calls(desk), "token": token, "tz": ZoneInfo(desk.time_zone)},
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def display_calls(request, token: str):
    """What the screen polls every second. Its ETag lets an unchanged answer be a 304
    (Django's ConditionalGetMiddleware), so a hundred screens cost next to nothing."""
    desk = selectors.display_desk(token)
    calls = [
        {"label": c.label, "counter": c.counter, "at": c.called_at.isoformat()}
        for c in _calls(desk)
    ]
    body = json.dumps({"calls": calls}, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = '"' + hashlib.blake2b(body.encode(), digest_size=12).hexdigest() + '"'
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


@staff_only
@require_POST
def display_renew(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    if not request.user.has_perm("frontdesk.change_displayscreen"):  # desk managers
        raise PermissionDenied
    token = services.display_renew(desk=desk)
    url = request.build_absolute_uri(reverse("frontdesk:display", kwargs={"token": token}))
    messages.success(
        request,
        _("The screen's new address (shown only now; the old one no longer works): %(url)s")
        % {"url": url},
    )
    return _back(desk)


@never_cache
def position(request, token: str):
    """``/t/<token>``: a walk-in's live place in the line, in their language, no login."""
    found = selectors.position_for(token, now=timezone.now())
    with translation.override(found.ticket.language or settings.LANGUAGE_CODE):
        response = render(
            request,
            "frontdesk/position.html",
            {"position": found, "ticket": found.ticket, "status": TicketStatus},
        )
    response["Referrer-Policy"] = "no-referrer"
    return response
