"""Bookable slots from a weekly opening schedule: a pure computation, no models, no I/O.

All arithmetic runs on UTC instants; wall-clock times are only read and written in the
desk's time zone. Aware datetimes in a ``ZoneInfo`` zone add and subtract in wall time and
compare unequal to their UTC twin around the autumn fall-back (PEP 495), so mixing the two
would silently break slot lengths, booking windows and ``taken`` look-ups on DST nights.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class WeeklyRule:
    """One opening time range of a weekly schedule, in the desk's wall-clock time."""

    weekday: int  # 0 = Monday ... 6 = Sunday, as date.weekday()
    start: time
    end: time  # a range ends on the day it starts: end <= start opens nothing
    valid_from: date | None = None  # inclusive
    valid_to: date | None = None  # inclusive

    def __post_init__(self) -> None:
        # An out-of-range weekday would never match and silently hide a whole schedule.
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")


@dataclass(frozen=True)
class Closure:
    """A time when the desk is shut: a holiday, a sick day, a single blocked hour."""

    start: datetime  # aware
    end: datetime  # aware, exclusive

    def __post_init__(self) -> None:
        _require_aware(self.start, "Closure.start")
        _require_aware(self.end, "Closure.end")
        # In UTC: two values in one zone compare by wall clock, ignoring fold (PEP 495), so
        # 02:45 CEST -> 02:15 CET (half an hour on the fall-back night) would read backwards.
        if self.end.astimezone(UTC) < self.start.astimezone(UTC):
            raise ValueError("Closure.end is before Closure.start")


@dataclass(frozen=True)
class Slot:
    """One bookable appointment time."""

    start: datetime  # aware, in the desk's time zone
    end: datetime  # aware, in the desk's time zone; exactly `duration` after start
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        """Places still bookable, never negative."""
        # Overbooking (capacity lowered after people booked) must not show "-1 places".
        return max(self.capacity - self.taken, 0)


def free_slots(
    *,
    rules: Sequence[WeeklyRule],
    closures: Sequence[Closure],
    duration: timedelta,
    capacity: int,
    taken: Mapping[datetime, int],
    now: datetime,
    min_notice: timedelta,
    horizon: timedelta,
    tz: ZoneInfo,
    include_full: bool = False,
) -> list[Slot]:
    """Free slots between now+min_notice and now+horizon, earliest first."""
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    _require_aware(now, "now")
    if capacity <= 0:
        return []
    earliest = now.astimezone(UTC) + min_notice
    latest = now.astimezone(UTC) + horizon
    starts = _candidate_starts(
        rules=rules, duration=duration, earliest=earliest, latest=latest, tz=tz
    )
    counts = _counts_by_instant(taken)
    slots = (
        Slot(
            start=start.astimezone(tz),
            end=(start + duration).astimezone(tz),
            capacity=capacity,
            taken=counts.get(start, 0),
        )
        for start in _outside_closures(starts=starts, duration=duration, closures=closures)
    )
    return [slot for slot in slots if include_full or slot.free > 0]


def next_free(slots: Sequence[Slot], *, limit: int) -> list[Slot]:
    """The first ``limit`` slots that still have a free place."""
    return list(islice((slot for slot in slots if slot.free > 0), max(limit, 0)))


def _require_aware(value: datetime, name: str) -> None:
    """Reject naive datetimes."""
    # astimezone() would read a naive value as the server's local time: wrong, not an error.
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _candidate_starts(
    *,
    rules: Sequence[WeeklyRule],
    duration: timedelta,
    earliest: datetime,
    latest: datetime,
    tz: ZoneInfo,
) -> list[datetime]:
    """Sorted, de-duplicated UTC starts of every slot the schedule offers in the window."""
    by_weekday: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        by_weekday.setdefault(rule.weekday, []).append(rule)
    # A set, because overlapping ranges offer the same start more than once.
    starts: set[datetime] = set()
    for day in _days(first=earliest.astimezone(tz).date(), last=latest.astimezone(tz).date()):
        for rule in by_weekday.get(day.weekday(), ()):
            if _valid_on(rule, day):
                starts.update(
                    start
                    for start in _range_starts(rule=rule, day=day, duration=duration, tz=tz)
                    if earliest <= start <= latest
                )
    return sorted(starts)


def _days(*, first: date, last: date) -> Iterator[date]:
    """Every calendar day from ``first`` through ``last``."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _valid_on(rule: WeeklyRule, day: date) -> bool:
    """Whether ``day`` lies within the rule's validity period."""
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_to is None or day <= rule.valid_to
    )


def _range_starts(
    *, rule: WeeklyRule, day: date, duration: timedelta, tz: ZoneInfo
) -> Iterator[datetime]:
    """UTC starts of the slots that fit in one rule's range on one day."""
    close = _first_instant_reading(datetime.combine(day, rule.end), tz)
    wall = datetime.combine(day, rule.start)
    stop = datetime.combine(day, rule.end)
    previous_end: datetime | None = None
    # The grid steps in wall time so 09:00, 09:30, ... stay on the printed timetable even on
    # DST days; lengths are checked in absolute time below.
    while wall < stop:
        start = _existing_instant(wall, tz)
        if start is not None:
            if start + duration > close:
                return  # later grid points only end later
            # A slot across the spring-forward jump ends an hour later on the clock; unless
            # the duration divides that hour it would overlap the next grid slot.
            if previous_end is None or start >= previous_end:
                yield start
                previous_end = start + duration
        wall += duration


def _existing_instant(wall: datetime, tz: ZoneInfo) -> datetime | None:
    """The UTC instant of a naive local wall time, or None if the clock skips it."""
    # fold=0 picks the first of the two occurrences in the autumn fall-back hour.
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    # A wall time inside the spring-forward gap comes back shifted by the jump.
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return instant


def _first_instant_reading(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first UTC instant at which the local clock reads ``wall`` or later."""
    instant = _existing_instant(wall, tz)
    if instant is not None:
        return instant
    # A closing time inside the spring-forward gap is passed when the clock jumps over it.
    before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)  # post-jump offset: lands early
    after = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)  # pre-jump offset: lands late
    return _jump_between(before=before, after=after, tz=tz)


def _jump_between(*, before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant, to the microsecond, where the UTC offset changes between two instants."""
    # ZoneInfo does not expose its transitions, so bisect; this runs only for gap closing times.
    offset_after = after.astimezone(tz).utcoffset()
    while after - before > _TICK:
        middle = before + (after - before) // 2
        if middle.astimezone(tz).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return after


def _outside_closures(
    *, starts: Sequence[datetime], duration: timedelta, closures: Sequence[Closure]
) -> Iterator[datetime]:
    """The sorted UTC starts whose slot overlaps no closure."""
    blocked = _merged(closures)
    index = 0
    for start in starts:
        # Both lists are sorted, so a closure that ended before this slot never matters again.
        while index < len(blocked) and blocked[index][1] <= start:
            index += 1
        if index < len(blocked) and blocked[index][0] < start + duration:
            continue
        yield start


def _merged(closures: Sequence[Closure]) -> list[tuple[datetime, datetime]]:
    """Closures as sorted, non-overlapping UTC intervals."""
    return _joined(sorted((c.start.astimezone(UTC), c.end.astimezone(UTC)) for c in closures))


def _counts_by_instant(taken: Mapping[datetime, int]) -> dict[datetime, int]:
    """Booking counts keyed by UTC instant, so a key in any time zone finds its slot."""
    counts: dict[datetime, int] = {}
    for start, count in taken.items():
        _require_aware(start, "taken key")
        key = start.astimezone(UTC)
        # Distinct keys for one instant (only possible across zones in the repeated autumn
        # hour, PEP 495) are separate counts for the same slot.
        counts[key] = counts.get(key, 0) + count
    return counts


def _joined(ranges: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted ranges with touching or overlapping ones joined (09-12 and 12-14: 09-14)."""
    joined: list[tuple[datetime, datetime]] = []
    for start, end in ranges:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined
