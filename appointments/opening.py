"""Open now / opens at: a desk's weekly hours minus its closures, on its clock. Pure, like
``availability``, whose instants and intervals it shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from appointments.availability import (
    Closure,
    WeeklyRule,
    _days,
    _first_instant_reading,
    _joined,
    _merged,
    _require_aware,
    _valid_on,
)


@dataclass(frozen=True)
class OpenState:
    """Whether a desk is open now (by its walk-in hours and closures), and until when, or
    when it opens next (None: not in the coming week)."""

    is_open: bool
    until: datetime | None = None  # UTC, when open
    opens_at: datetime | None = None  # UTC, when closed


def open_state(
    *,
    rules: Sequence[WeeklyRule],
    closures: Sequence[Closure],
    now: datetime,
    tz: ZoneInfo,
    days: int = 8,
) -> OpenState:
    """Open now / opens at, on the desk's clock, from weekly hours minus closures."""
    _require_aware(now, "now")
    now = now.astimezone(UTC)
    first = now.astimezone(tz).date()
    ranges = sorted(
        (
            _first_instant_reading(datetime.combine(day, rule.start), tz),
            _first_instant_reading(datetime.combine(day, rule.end), tz),
        )
        for day in _days(first=first, last=first + timedelta(days=days - 1))
        for rule in rules
        if rule.weekday == day.weekday() and _valid_on(rule, day) and rule.start < rule.end
    )
    open_ranges = _minus(_joined(ranges), _merged(closures))
    for start, end in open_ranges:
        if start <= now < end:
            return OpenState(is_open=True, until=end)
        if start > now:
            return OpenState(is_open=False, opens_at=start)
    return OpenState(is_open=False)


def _minus(
    ranges: list[tuple[datetime, datetime]], blocked: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Sorted ranges with the sorted, merged blocked intervals cut out of them."""
    left: list[tuple[datetime, datetime]] = []
    for start, end in ranges:
        for b_start, b_end in blocked:
            if b_end <= start or b_start >= end:
                continue
            if b_start > start:
                left.append((start, b_start))
            start = max(start, b_end)
            if start >= end:
                break
        if start < end:
            left.append((start, end))
    return left
