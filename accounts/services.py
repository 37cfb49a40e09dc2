"""Setting up, using and resetting the second factor."""

from __future__ import annotations

from django.db import transaction
from django_otp import login as otp_login
from django_otp import verify_token

from accounts.models import AuthenticatorDevice, BackupCodeDevice

RESET_ACTION = "sportello.second_factor_reset"


def authenticator_for(user) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()


def authenticator_pending(user) -> AuthenticatorDevice:
    """The device being set up: the same one on every reload until it is confirmed."""
    pending = AuthenticatorDevice.objects.filter(user=user, confirmed=False).first()
    return pending or AuthenticatorDevice.create_for(user)


def second_factor_verify(request, *, code: str):
    """The device that accepts ``code`` (six digits: the app; otherwise a backup code),
    after which the session counts as verified; None when none does."""
    user = request.user
    typed = BackupCodeDevice.normalise(code)
    if len(typed) == 6 and typed.isdigit():
        devices = AuthenticatorDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = BackupCodeDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if verify_token(user, device.persistent_id, typed):
            _verified(request, device)
            return device
    return None


def throttled_for(user) -> int:
    """Seconds to wait before the next code is even looked at (django-otp's back-off)."""
    from django.utils import timezone

    wait = 0
    for device in AuthenticatorDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return wait


def authenticator_confirm(request, *, device: AuthenticatorDevice, code: str) -> list[str] | None:
    """The first code from a new app confirms it: the session is verified and ten backup
    codes are issued (returned once, to be shown once). None if the code is wrong."""
    with transaction.atomic():
        device = AuthenticatorDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or device.user_id != request.user.pk or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        AuthenticatorDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = BackupCodeDevice.issue(device.user)
    _verified(request, device)
    return codes


def _verified(request, device) -> None:
    request.session.cycle_key()  # a new session id for the higher privilege
    otp_login(request, device)


def second_factor_reset(*, user, by) -> int:
    """An administrator removes a person's app and backup codes (a lost phone): at their
    next login they set up a new app. Logged in Wagtail's history of that user."""
    from wagtail.log_actions import log

    with transaction.atomic():
        removed = AuthenticatorDevice.objects.filter(user=user).delete()[0]
        removed += BackupCodeDevice.objects.filter(user=user).delete()[0]
        log(instance=user, action=RESET_ACTION, user=by)
    sessions_end(user=user)  # a session on the lost phone must not enrol a new app
    return removed


def sessions_end(*, user) -> int:
    """Every open session of ``user`` ends (database sessions, decoded one by one)."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended
