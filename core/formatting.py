"""Dates and times in the person's language, through Babel (CLDR).

Django's own formats stop at the languages Django ships; Babel knows Tigrinya, Somali,
Pashto, Dari and the rest, and their calendars' month and weekday names.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from django.utils import timezone, translation

from config.languages import babel_locale


def _locale(language: str | None) -> str:
    return babel_locale(language or translation.get_language() or "it")


def _local(value: datetime, tz: ZoneInfo | None) -> datetime:
    """In ``tz``, else in the active time zone (a desk's page activates the desk's)."""
    if timezone.is_naive(value):
        return value
    return value.astimezone(tz or timezone.get_current_timezone())


def format_day(
    value: date | datetime,
    *,
    language: str | None = None,
    style: str = "full",
    tz: ZoneInfo | None = None,
) -> str:
    """``martedì 3 marzo 2026`` / ``الثلاثاء، ٣ مارس ٢٠٢٦``, the day at the desk."""
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    return babel_dates.format_date(value, format=style, locale=_locale(language))


def format_short_day(
    value: date | datetime, *, language: str | None = None, tz: ZoneInfo | None = None
) -> str:
    """``lun 7 dic`` / ``Mon, Dec 7``: weekday, day and month, for text messages."""
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    return babel_dates.format_skeleton("MMMEd", value, locale=_locale(language))


def format_time(
    value: time | datetime, *, language: str | None = None, tz: ZoneInfo | None = None
) -> str:
    """``09:30`` / ``9:30 AM`` / ``٩:٣٠ ص`` as the language writes a time of day."""
    if isinstance(value, datetime):
        value = _local(value, tz).timetz().replace(tzinfo=None)
    return babel_dates.format_time(value, format="short", locale=_locale(language))


def format_language(code: str, *, language: str | None = None) -> str:
    """``arabo`` / ``Arabic`` / ``العربية``: a language's name in the reader's language
    (for the interpreter a visitor needs), the code itself if Babel does not know it."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(_locale(language))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name or code
