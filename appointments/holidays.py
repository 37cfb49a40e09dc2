"""The days a desk is shut by the calendar: Italy's public holidays (the ``holidays``
package), its city's patron-saint day (``PatronDay``, our own table with sources), minus
the holidays on which the desk opens after all (``HolidayOpening``).

Read on every list of times, so it is cached: the national calendar per year in memory,
and each desk's days per year in the cache, forgotten whenever a patron day or an opening
changes (a version number in the cache key).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.core.cache import cache

from appointments import availability
from core.versions import version_bump_on_commit, version_read

COUNTRY = "IT"
VERSION_KEY = "holidays:version"


@lru_cache(maxsize=32)
def national(year: int) -> dict[date, str]:
    return dict(holiday_calendars.country_holidays(COUNTRY, years=year))


def _desk_year(desk_id: int, city_id: int, year: int) -> dict[date, str]:
    from appointments.models import HolidayOpening, PatronDay

    version = version_read(VERSION_KEY)
    key = f"holidays:{version}:{desk_id}:{city_id}:{year}"
    days = cache.get(key)
    if days is None:
        days = dict(national(year))
        patron = PatronDay.objects.filter(city=city_id).first()
        if patron is not None:
            with contextlib.suppress(ValueError):  # 29 February in a common year
                days.setdefault(date(year, patron.month, patron.day), patron.saint)
        for opened in HolidayOpening.objects.filter(desk=desk_id, date__year=year):
            days.pop(opened.date, None)
        cache.set(key, days, 24 * 3600)
    return days


def holiday_dates(desk, first: date, last: date) -> dict[date, str]:
    """The desk's closed days by the calendar between two dates (inclusive), with names."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _desk_year(desk.pk, desk.city_id, year).items():
            if first <= day <= last:
                found[day] = name
    return found


def holiday_closures(desk, since: datetime, until: datetime) -> list[availability.Closure]:
    """Those days as closures, midnight to midnight on the desk's clock."""
    tz = ZoneInfo(desk.time_zone)
    first, last = since.astimezone(tz).date(), until.astimezone(tz).date()
    return [
        availability.Closure(
            start=datetime.combine(day, time.min, tzinfo=tz),
            end=datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz),
        )
        for day in sorted(holiday_dates(desk, first, last))
    ]


def forget(**kwargs) -> None:
    """A patron day or an opening changed: every desk's days are read afresh, once the
    change is committed (a request in between would cache the old days again)."""
    version_bump_on_commit(VERSION_KEY)
