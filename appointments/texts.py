"""SMS texts: short, in the person's language, and never naming the kind of service."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from appointments.models import Appointment
from core.formatting import format_day, format_time


def manage_url(*, token: str, language: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/{language}/manage/{token}/"


def _when(appointment: Appointment) -> dict[str, str]:
    """Day and time as the clock at the desk shows them."""
    lang, tz = appointment.language, ZoneInfo(appointment.offering.desk.time_zone)
    return {
        "day": format_day(appointment.start, language=lang, style="medium", tz=tz),
        "time": format_time(appointment.start, language=lang, tz=tz),
    }


def verification_text(*, code: str, language: str) -> str:
    with translation.override(language):
        return _("Sportello: your code is %(code)s. It is valid for 10 minutes.") % {"code": code}


def confirmation_text(*, appointment: Appointment, token: str) -> str:
    with translation.override(appointment.language):
        return _(
            "Sportello: booking %(code)s on %(day)s at %(time)s. To see, move or cancel it: %(url)s"
        ) % {
            "code": appointment.code,
            **_when(appointment),
            "url": manage_url(token=token, language=appointment.language),
        }


def moved_text(*, appointment: Appointment) -> str:
    with translation.override(appointment.language):
        return _("Sportello: booking %(code)s is now on %(day)s at %(time)s.") % {
            "code": appointment.code,
            **_when(appointment),
        }


def cancelled_text(*, appointment: Appointment) -> str:
    with translation.override(appointment.language):
        return _("Sportello: booking %(code)s is cancelled.") % {"code": appointment.code}


def waitlist_offer_text(*, appointment: Appointment, token: str, minutes: int) -> str:
    with translation.override(appointment.language):
        return _(
            "Sportello: a place is free on %(day)s at %(time)s. "
            "It is kept for you for %(minutes)s minutes: %(url)s"
        ) % {
            **_when(appointment),
            "minutes": minutes,
            "url": manage_url(token=token, language=appointment.language),
        }
