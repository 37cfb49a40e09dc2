"""A person's own data at the desk: the number, the SMS code they read out, then their
data to take away (JSON) or to erase (frontdesk.person). No number is ever in an address
or a session: the session holds the phone check's id only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.audit import Action, audit
from core.forms import FriendlyForm, PhoneField, SmsCodeField
from core.ratelimit import RateLimited, reserve
from core.responses import render
from frontdesk import selectors
from frontdesk.person import person_erase, person_export, person_find
from frontdesk.views import staff_only
from messaging.challenges import Verdict, challenge_issue, challenge_verify
from messaging.models import PhoneChallenge

SESSION_KEY = "person:{}"
OPEN_MINUTES = 15  # the person's data stays open this long after the code


class NumberForm(FriendlyForm):
    phone = PhoneField(label=gettext_lazy("The person's mobile number"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the text with the code"), choices=settings.LANGUAGES
    )


class CodeForm(FriendlyForm):
    code = SmsCodeField(label=gettext_lazy("The code the person received"))


class EraseForm(FriendlyForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("The person asked me to erase all their data, and has seen it first.")
    )


def _state(request, desk) -> tuple[PhoneChallenge | None, bool]:
    """The phone check under way for this desk's page, and whether it is proven and open."""
    state = request.session.get(SESSION_KEY.format(desk.pk))
    if not state:
        return None, False
    challenge = PhoneChallenge.objects.filter(pk=state["challenge"]).first()
    fresh = datetime.fromisoformat(state["until"]) > timezone.now()
    if challenge is None or not fresh:
        request.session.pop(SESSION_KEY.format(desk.pk), None)
        return None, False
    return challenge, bool(state.get("proven"))


def _remember(request, desk, challenge, *, proven: bool, minutes: int) -> None:
    until = timezone.now() + timedelta(minutes=minutes)
    request.session[SESSION_KEY.format(desk.pk)] = {
        "challenge": challenge.pk,
        "proven": proven,
        "until": until.isoformat(),
    }


def _page(request, desk, step: str, **context):
    return render(
        request,
        "frontdesk/person.html",
        {"desk": desk, "step": step, "tz": ZoneInfo(desk.time_zone), **context},
    )


@staff_only
@never_cache
@sensitive_post_parameters("phone")
def person_start(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    form = NumberForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:  # the public flow's SMS budgets (the number, all codes together), and the staff member's
            reserve(
                [
                    ("person-code", f"user:{request.user.pk}"),
                    ("code-global", "all"),
                    ("code-phone", phone),
                ]
            )
        except RateLimited:
            form.add_error(None, _("Too many codes were sent. Try again in an hour."))
        else:
            with transaction.atomic():
                challenge = challenge_issue(
                    phone=phone,
                    language=form.cleaned_data["language"],
                    city=desk.city.name,
                    now=timezone.now(),
                )
            _remember(request, desk, challenge, proven=False, minutes=10)
            return redirect("frontdesk:person_code", desk_id=desk.pk)
    return _page(request, desk, "number", form=form)


@staff_only
@never_cache
@sensitive_post_parameters("code")
def person_code(request, desk_id: int):
    desk = selectors.desk_for(request.user, desk_id)
    challenge, proven = _state(request, desk)
    if challenge is None:
        return redirect("frontdesk:person_start", desk_id=desk.pk)
    if proven:
        return redirect("frontdesk:person_data", desk_id=desk.pk)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # one try at a time: parallel posts never get extra tries
            challenge = PhoneChallenge.objects.select_for_update().get(pk=challenge.pk)
            check = challenge_verify(
                challenge=challenge, code=form.cleaned_data["code"], now=timezone.now()
            )
        if check.verdict is Verdict.PROVEN:
            _remember(request, desk, challenge, proven=True, minutes=OPEN_MINUTES)
            audit(request, Action.PERSON_FIND, desk_id=desk.pk, phone=challenge.phone)
            return redirect("frontdesk:person_data", desk_id=desk.pk)
        if check.verdict is Verdict.USED_UP:
            request.session.pop(SESSION_KEY.format(desk.pk), None)
            messages.error(request, _("That code can no longer be used. Send a new one."))
            return redirect("frontdesk:person_start", desk_id=desk.pk)
        form.add_error(
            "code", _("That code is not right. Tries left: %(n)d.") % {"n": check.tries_left}
        )
    return _page(request, desk, "code", form=form)


def person_proven(view):
    """The desk's view of a person's data once their code was read out: ``view(request,
    desk, challenge)``; otherwise back to the start (the number, then the code)."""

    @wraps(view)
    def wrapped(request, desk_id: int):
        desk = selectors.desk_for(request.user, desk_id)
        challenge, proven = _state(request, desk)
        if not proven:
            return redirect("frontdesk:person_start", desk_id=desk.pk)
        return view(request, desk, challenge)

    return wrapped


@staff_only
@never_cache
@person_proven
def person_data(request, desk, challenge):
    data = person_find(phone=challenge.phone)
    return _page(request, desk, "data", data=data, form=EraseForm())


@staff_only
@never_cache
@person_proven
def person_export_json(request, desk, challenge):
    data = person_export(person_find(phone=challenge.phone))
    audit(request, Action.PERSON_EXPORT, desk_id=desk.pk, phone=challenge.phone)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="sportello-my-data.json"'
    return response


@staff_only
@require_POST
@person_proven
def person_erase_view(request, desk, challenge):
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the person asked for it."))
        return redirect("frontdesk:person_data", desk_id=desk.pk)
    counts = person_erase(phone=challenge.phone, by=request.user)
    request.session.pop(SESSION_KEY.format(desk.pk), None)
    detail = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n)
    audit(request, Action.PERSON_ERASE, desk_id=desk.pk, detail=detail)  # no number, no hash
    messages.success(request, _("Done: the person's data is erased."))
    return redirect("frontdesk:console", desk_id=desk.pk)
