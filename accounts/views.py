"""The second factor's pages: the code after the password, setting up an app, backup
codes, and an administrator's reset of a lost phone."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.forms import CodeForm, ResetForm
from accounts.middleware import safe_next
from accounts.models import BackupCodeDevice
from accounts.services import (
    authenticator_confirm,
    authenticator_for,
    authenticator_pending,
    second_factor_reset,
    second_factor_verify,
    throttled_for,
)


def _next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """The code from the app (or a backup code), once per login."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if authenticator_for(request.user) is None:
        return redirect(_with_next("accounts:setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = throttled_for(request.user)
        device = None if wait else second_factor_verify(request, code=form.cleaned_data["code"])
        if device is not None:
            if isinstance(device, BackupCodeDevice):
                left = device.remaining
                messages.warning(
                    request,
                    ngettext(
                        "You used a backup code: %(count)d is left. Make new ones soon.",
                        "You used a backup code: %(count)d are left. Make new ones soon.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        if wait:
            form.add_error(
                "code", _("Too many wrong codes. Wait %(seconds)d seconds.") % {"seconds": wait}
            )
        else:
            form.add_error(
                "code",
                _(
                    "That code is not right. Type the 6 digits your app shows now, "
                    "or one of your backup codes."
                ),
            )
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """A new authenticator app: scan or type the key, then type its first code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    next_url = _next(request)
    if authenticator_for(request.user) is not None:
        # A password alone never replaces an app: that takes an administrator's reset.
        return redirect(
            next_url if request.user.is_verified() else _with_next("accounts:verify", next_url)
        )
    device = authenticator_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = authenticator_confirm(request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})
        form.add_error(
            "code", _("That code is not right. Type the 6 digits the app shows for Sportello.")
        )
    context = {
        "form": form,
        "next": next_url,
        "secret": device.secret_text,
        "qr": mark_safe(_qr_svg(device.config_url(issuer=settings.OTP_TOTP_ISSUER))),  # noqa: S308  (our own SVG)
    }
    return render(request, "accounts/setup.html", context)


@never_cache
def backup_codes(request):
    """How many backup codes are left; new ones (the old stop working), shown once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if request.method == "POST":
        codes = BackupCodeDevice.issue(request.user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/admin/"})
    device = BackupCodeDevice.objects.filter(user=request.user).first()
    left = device.remaining if device else 0
    return render(request, "accounts/backup_codes.html", {"codes": None, "left": left})


@never_cache
def reset(request, user_id: int):
    """An administrator removes someone's app and backup codes (logged)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        second_factor_reset(user=person, by=request.user)
        messages.success(
            request,
            _("%(name)s sets up a new authenticator app at their next login.")
            % {"name": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return render(request, "accounts/reset.html", {"form": form, "person": person})
