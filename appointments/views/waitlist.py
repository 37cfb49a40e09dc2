"""The waiting list: join with an SMS code when nothing is free, or leave it."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from appointments.forms import CodeForm, WaitlistForm
from appointments.models import WaitlistEntry
from appointments.services.errors import BookingError
from appointments.services.waitlist import waitlist_confirm, waitlist_join, waitlist_leave
from appointments.views.common import (
    code_budget,
    offering_or_404,
    over_budget,
    session_get_fresh,
    session_put_fresh,
    times_page,
)
from core.proof import proof_puzzle_if_needed, proof_refused
from core.ratelimit import RateLimited
from core.responses import render
from messaging.challenges import challenge_sms_key

PENDING_SESSION_KEY = "waitlist_pending"
# The place this browser proved with the code, for a short while: enough to leave the list.
PROVEN_SESSION_KEY = "waitlist_proven"
PROVEN_MINUTES = 10


@never_cache
@require_POST
def join(request, city_slug: str, offering_id: int):
    offering = offering_or_404(city_slug, offering_id)
    form = WaitlistForm(request.POST)
    error = proof_refused(request) if form.is_valid() else None
    if error or not form.is_valid():
        context = {
            "offering": offering,
            "form": form,
            "error": error,
            "proof": proof_puzzle_if_needed(request),
        }
        return render(request, "appointments/waitlist.html", context, status=400)
    phone = form.cleaned_data["phone"]
    try:
        budget = code_budget(request, phone)
    except RateLimited as exc:
        return over_budget(request, exc, offering=offering)
    try:
        entry, sent = waitlist_join(
            offering=offering,
            phone=phone,
            language=translation.get_language(),
            mine=request.session.get(PENDING_SESSION_KEY),
        )
    except BookingError:  # places are free again: the times page shows them
        budget.give_back()
        return times_page(request, offering=offering)
    if sent:
        budget.attach(challenge_sms_key(entry.challenge))
    else:  # a code sent a moment ago is still valid: nothing new was sent
        budget.give_back()
    request.session[PENDING_SESSION_KEY] = entry.pk
    return redirect("appointments:waitlist_verify")


def _joined(request, entry: WaitlistEntry):
    """The number is proven: this browser may leave the list for a few minutes."""
    request.session.pop(PENDING_SESSION_KEY, None)
    session_put_fresh(request, PROVEN_SESSION_KEY, entry.pk, seconds=PROVEN_MINUTES * 60)
    return render(
        request, "appointments/waitlist.html", {"offering": entry.offering, "joined": True}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The SMS code confirms a place on the waiting list."""
    entry = (
        WaitlistEntry.objects.select_related("offering__desk__city", "challenge")
        .filter(pk=request.session.get(PENDING_SESSION_KEY), status=WaitlistEntry.Status.PENDING)
        .first()
    )
    if entry is None:
        return render(request, "appointments/hold_expired.html", status=410)
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            place = waitlist_confirm(entry=entry, code=form.cleaned_data["code"])
        except BookingError as exc:
            error = exc.message
        else:
            return _joined(request, place)
    context = {"offering": entry.offering, "phone": entry.phone, "form": form, "error": error}
    return render(request, "appointments/waitlist_verify.html", context)


@never_cache
@require_POST
def leave(request):
    pk = session_get_fresh(request, PROVEN_SESSION_KEY, pop=True)
    entry = WaitlistEntry.objects.select_related("offering").filter(pk=pk).first()
    if entry is None:
        return render(request, "appointments/hold_expired.html", status=410)
    waitlist_leave(entry=entry)
    return render(request, "appointments/waitlist.html", {"offering": entry.offering, "left": True})
