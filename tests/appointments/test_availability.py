"""Slot computation from weekly rules: plain values in, plain values out, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from appointments.availability import Closure, Slot, WeeklyRule, free_slots, next_free

ROME = ZoneInfo("Europe/Rome")
TUESDAY = date(2026, 3, 3)
SPRING_FORWARD = date(2026, 3, 29)  # 02:00 CET jumps to 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # 03:00 CEST falls back to 02:00 CET
HOUR = timedelta(hours=1)
HALF_HOUR = timedelta(minutes=30)


def rome(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ROME)


def slots(**overrides) -> list[Slot]:
    """free_slots() with a quiet default desk: Monday noon, a week ahead, nothing booked."""
    arguments = {
        "rules": [],
        "closures": [],
        "duration": HOUR,
        "capacity": 1,
        "taken": {},
        "now": rome(TUESDAY - timedelta(days=1), 12),
        "min_notice": timedelta(0),
        "horizon": timedelta(days=7),
        "tz": ROME,
    }
    return free_slots(**(arguments | overrides))


def walls(result: list[Slot]) -> list[str]:
    return [f"{slot.start:%Y-%m-%d %H:%M}" for slot in result]


def hours(result: list[Slot]) -> list[str]:
    return [f"{slot.start:%H:%M}" for slot in result]


def length(slot: Slot) -> timedelta:
    # Same-zone aware subtraction ignores the UTC offset, so measure in UTC.
    return slot.end.astimezone(UTC) - slot.start.astimezone(UTC)


TUESDAY_RULES = [
    WeeklyRule(weekday=1, start=time(9), end=time(12)),
    WeeklyRule(weekday=1, start=time(14), end=time(17)),
]


# --- an ordinary week ---------------------------------------------------------------------


def test_a_tuesday_with_two_ranges_gives_the_slots_of_each():
    result = slots(rules=TUESDAY_RULES, horizon=timedelta(days=2))

    assert walls(result) == [
        "2026-03-03 09:00",
        "2026-03-03 10:00",
        "2026-03-03 11:00",
        "2026-03-03 14:00",
        "2026-03-03 15:00",
        "2026-03-03 16:00",
    ]
    assert all(slot.start.tzinfo is ROME and length(slot) == HOUR for slot in result)
    assert result[0] == Slot(start=rome(TUESDAY, 9), end=rome(TUESDAY, 10), capacity=1, taken=0)


def test_a_slot_that_would_run_past_the_end_of_the_range_is_not_offered():
    rule = WeeklyRule(weekday=1, start=time(9), end=time(11, 30))

    assert hours(slots(rules=[rule], horizon=timedelta(days=2))) == ["09:00", "10:00"]


def test_overlapping_rules_do_not_duplicate_slots():
    rules = [
        WeeklyRule(weekday=1, start=time(9), end=time(12)),
        WeeklyRule(weekday=1, start=time(10), end=time(13)),
        WeeklyRule(weekday=1, start=time(9), end=time(12)),
    ]

    assert hours(slots(rules=rules, horizon=timedelta(days=2))) == [
        "09:00",
        "10:00",
        "11:00",
        "12:00",
    ]


def test_validity_bounds_are_inclusive():
    rule = WeeklyRule(
        weekday=1,
        start=time(9),
        end=time(10),
        valid_from=date(2026, 3, 10),
        valid_to=date(2026, 3, 17),
    )

    result = slots(rules=[rule], horizon=timedelta(days=28))

    assert walls(result) == ["2026-03-10 09:00", "2026-03-17 09:00"]


def test_rules_only_open_on_their_weekday_for_the_whole_horizon():
    rule = WeeklyRule(weekday=1, start=time(9), end=time(10))

    result = slots(rules=[rule], horizon=timedelta(days=30))

    assert [slot.start.date() for slot in result] == [
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 3, 17),
        date(2026, 3, 24),
        date(2026, 3, 31),
    ]


def test_capacity_zero_or_less_offers_nothing():
    assert slots(rules=TUESDAY_RULES, capacity=0) == []
    assert slots(rules=TUESDAY_RULES, capacity=-1) == []


def test_bad_input_is_rejected_rather_than_guessed():
    with pytest.raises(ValueError, match="duration"):
        slots(rules=TUESDAY_RULES, duration=timedelta(0))
    with pytest.raises(ValueError, match="now"):
        slots(rules=TUESDAY_RULES, now=datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="taken"):
        slots(rules=TUESDAY_RULES, taken={datetime(2026, 3, 3, 9): 1})
    with pytest.raises(ValueError, match="weekday"):
        WeeklyRule(weekday=7, start=time(9), end=time(10))
    with pytest.raises(ValueError, match="aware"):
        Closure(start=datetime(2026, 3, 3, 9), end=rome(TUESDAY, 10))


# --- daylight saving time -------------------------------------------------------------------


SUNDAY_NIGHT = WeeklyRule(weekday=6, start=time(1), end=time(4))


def test_spring_forward_skips_the_missing_hour_and_keeps_slots_thirty_real_minutes():
    result = slots(
        rules=[SUNDAY_NIGHT],
        duration=HALF_HOUR,
        now=rome(SPRING_FORWARD - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    # 02:00 and 02:30 never appear on a clock in Rome that night.
    assert hours(result) == ["01:00", "01:30", "03:00", "03:30"]
    assert [slot.start.astimezone(UTC).strftime("%H:%M") for slot in result] == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
    ]
    assert all(length(slot) == HALF_HOUR for slot in result)
    # The 01:30 slot ends when the clock jumps, so it ends at 03:00 local.
    assert f"{result[1].end:%H:%M %z}" == "03:00 +0200"


def test_fall_back_offers_the_repeated_hour_once_at_its_first_occurrence():
    result = slots(
        rules=[SUNDAY_NIGHT],
        now=rome(FALL_BACK - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    assert hours(result) == ["01:00", "02:00", "03:00"]
    assert len({slot.start for slot in result}) == len(result)
    repeated = result[1]
    assert repeated.start.fold == 0
    assert repeated.start.utcoffset() == timedelta(hours=2)  # still summer time
    assert all(length(slot) == HOUR for slot in result)
    assert f"{result[2].start:%H:%M %z}" == "03:00 +0100"


def test_fall_back_with_half_hour_slots_has_no_duplicates():
    result = slots(
        rules=[SUNDAY_NIGHT],
        duration=HALF_HOUR,
        now=rome(FALL_BACK - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    assert hours(result) == ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    assert all(length(slot) == HALF_HOUR for slot in result)


def test_spring_forward_with_a_duration_that_does_not_divide_the_hour():
    result = slots(
        rules=[SUNDAY_NIGHT],
        duration=timedelta(minutes=45),
        now=rome(SPRING_FORWARD - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    # 02:30 does not exist; 01:45 runs 45 real minutes to 03:30, so the 03:15 grid slot
    # would overlap it and is not offered.
    assert hours(result) == ["01:00", "01:45"]
    assert f"{result[1].end:%H:%M}" == "03:30"


def test_slots_of_one_range_never_overlap_across_the_jump():
    rule = WeeklyRule(weekday=6, start=time(1, 30), end=time(6))

    result = slots(
        rules=[rule],
        duration=timedelta(minutes=90),
        now=rome(SPRING_FORWARD - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    # 01:30 CET + 90 min is 04:00 CEST, so the 03:00 grid slot would overlap it by an hour.
    assert hours(result) == ["01:30", "04:30"]
    assert all(a.end <= b.start for a, b in zip(result, result[1:], strict=False))


def test_a_range_closing_inside_the_missing_hour_closes_when_the_clock_jumps():
    rule = WeeklyRule(weekday=6, start=time(0), end=time(2, 30))
    night = {"now": rome(SPRING_FORWARD - timedelta(days=1), 12), "horizon": timedelta(days=2)}

    # 01:00 CET + 1 h ends at the jump (03:00 CEST): the clock passes 02:30 right then.
    assert hours(slots(rules=[rule], **night)) == ["00:00", "01:00"]
    # 00:00 + 90 min ends at 01:30 CET; 01:30 + 90 min would end at 04:00 CEST, too late.
    assert hours(slots(rules=[rule], duration=timedelta(minutes=90), **night)) == ["00:00"]
    # 01:30 CET + 45 min is 03:15 CEST: past the jump, so past closing time.
    assert hours(slots(rules=[rule], duration=timedelta(minutes=45), **night)) == [
        "00:00",
        "00:45",
    ]


def test_a_taken_key_on_the_repeated_hour_matches_by_instant():
    in_utc = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST, the first 02:00
    in_rome = in_utc.astimezone(ROME)
    assert in_rome != in_utc  # PEP 495: across zones, a repeated wall time never compares equal

    for key in (in_utc, in_rome):
        result = slots(
            rules=[SUNDAY_NIGHT],
            capacity=2,
            taken={key: 1},
            now=rome(FALL_BACK - timedelta(days=1), 12),
            horizon=timedelta(days=2),
        )

        assert [slot.taken for slot in result] == [0, 1, 0]


# --- closures -------------------------------------------------------------------------------


MORNING = [WeeklyRule(weekday=1, start=time(9), end=time(12))]


def test_a_closure_inside_a_range_removes_exactly_the_overlapping_slots():
    closure = Closure(start=rome(TUESDAY, 10), end=rome(TUESDAY, 11))

    result = slots(rules=MORNING, duration=HALF_HOUR, closures=[closure], horizon=timedelta(days=2))

    # 09:30 ends as the closure starts and 11:00 starts as it ends: neither overlaps.
    assert hours(result) == ["09:00", "09:30", "11:00", "11:30"]


def test_a_closure_partly_covering_slots_removes_each_of_them():
    closure = Closure(start=rome(TUESDAY, 10, 15), end=rome(TUESDAY, 10, 45))

    result = slots(rules=MORNING, duration=HALF_HOUR, closures=[closure], horizon=timedelta(days=2))

    assert hours(result) == ["09:00", "09:30", "11:00", "11:30"]


def test_a_whole_day_closure_removes_the_day_and_nothing_else():
    holiday = Closure(start=rome(date(2026, 3, 10), 0), end=rome(date(2026, 3, 11), 0))

    result = slots(rules=MORNING, closures=[holiday], horizon=timedelta(days=15))

    assert sorted({slot.start.date() for slot in result}) == [date(2026, 3, 3), date(2026, 3, 17)]


def test_closures_in_any_order_and_zone_are_all_honoured():
    closures = [
        Closure(
            start=datetime(2026, 3, 3, 10, tzinfo=UTC), end=datetime(2026, 3, 3, 11, tzinfo=UTC)
        ),
        Closure(start=rome(TUESDAY, 9), end=rome(TUESDAY, 9, 30)),
        Closure(start=rome(TUESDAY, 9, 15), end=rome(TUESDAY, 9, 45)),  # overlaps the one above
    ]

    result = slots(rules=MORNING, duration=HALF_HOUR, closures=closures, horizon=timedelta(days=2))

    # 10:00-11:00 UTC is 11:00-12:00 in Rome.
    assert hours(result) == ["10:00", "10:30"]


def test_a_closure_across_the_repeated_hour_is_measured_in_real_time():
    # 02:45 CEST -> 02:15 CET: half an hour, though the clock reads backwards.
    closure = Closure(
        start=datetime(2026, 10, 25, 0, 45, tzinfo=UTC).astimezone(ROME),
        end=datetime(2026, 10, 25, 1, 15, tzinfo=UTC).astimezone(ROME),
    )
    assert closure.end.fold == 1

    result = slots(
        rules=[SUNDAY_NIGHT],
        duration=HALF_HOUR,
        closures=[closure],
        now=rome(FALL_BACK - timedelta(days=1), 12),
        horizon=timedelta(days=2),
    )

    # Only the 02:30 CEST slot overlaps it; the grid steps 02:00, 02:30 (CEST), then 03:00 CET.
    assert [slot.start.astimezone(UTC).strftime("%H:%M") for slot in result] == [
        "23:00",
        "23:30",
        "00:00",
        "02:00",
        "02:30",
    ]
    # Swapped, the clock reads forwards but the end comes half an hour before the start.
    with pytest.raises(ValueError, match="before"):
        Closure(start=closure.end, end=closure.start)


# --- capacity and bookings ------------------------------------------------------------------


NINE = rome(TUESDAY, 9)
ONE_SLOT = [WeeklyRule(weekday=1, start=time(9), end=time(10))]


def test_capacity_three_with_two_taken_leaves_one_free():
    (slot,) = slots(rules=ONE_SLOT, capacity=3, taken={NINE: 2})

    assert (slot.capacity, slot.taken, slot.free) == (3, 2, 1)


def test_a_full_slot_is_left_out_unless_asked_for():
    assert slots(rules=ONE_SLOT, capacity=3, taken={NINE: 3}) == []

    (slot,) = slots(rules=ONE_SLOT, capacity=3, taken={NINE: 3}, include_full=True)
    assert slot.free == 0


def test_an_overbooked_slot_shows_no_negative_places():
    (slot,) = slots(rules=ONE_SLOT, capacity=3, taken={NINE: 5}, include_full=True)

    assert (slot.taken, slot.free) == (5, 0)


def test_a_taken_key_in_utc_matches_the_local_slot():
    nine_in_utc = datetime(2026, 3, 3, 8, tzinfo=UTC)

    (slot,) = slots(rules=ONE_SLOT, capacity=3, taken={nine_in_utc: 2})

    assert slot.free == 1
    assert slot.start == NINE


def test_next_free_returns_the_first_slots_with_room():
    rules = [WeeklyRule(weekday=1, start=time(9), end=time(13))]
    result = slots(rules=rules, capacity=1, taken={rome(TUESDAY, 10): 1}, include_full=True)

    assert hours(next_free(result, limit=2)) == ["09:00", "11:00"]
    assert hours(next_free(result, limit=10)) == ["09:00", "11:00", "12:00"]
    assert next_free(result, limit=0) == []


# --- booking window -------------------------------------------------------------------------


def test_a_slot_exactly_at_the_minimum_notice_is_bookable_a_minute_later_it_is_not():
    two_hours = timedelta(hours=2)

    on_time = slots(rules=ONE_SLOT, now=rome(TUESDAY, 7), min_notice=two_hours)
    late = slots(rules=ONE_SLOT, now=rome(TUESDAY, 7, 1), min_notice=two_hours)

    assert hours(on_time) == ["09:00"]
    assert late == []


def test_with_one_minute_slots_the_one_before_the_notice_is_left_out():
    rules = [WeeklyRule(weekday=1, start=time(8, 59), end=time(9, 2))]
    minute = timedelta(minutes=1)

    result = slots(rules=rules, duration=minute, now=rome(TUESDAY, 7), min_notice=2 * HOUR)

    assert hours(result) == ["09:00", "09:01"]


def test_with_one_minute_slots_the_one_after_the_horizon_is_left_out():
    rules = [WeeklyRule(weekday=1, start=time(15, 59), end=time(16, 2))]
    minute = timedelta(minutes=1)

    result = slots(rules=rules, duration=minute, now=rome(TUESDAY, 8), horizon=8 * HOUR)

    assert hours(result) == ["15:59", "16:00"]


def test_a_slot_exactly_at_the_horizon_is_bookable_a_minute_further_it_is_not():
    rules = [WeeklyRule(weekday=1, start=time(15), end=time(17))]
    now = rome(TUESDAY - timedelta(days=1), 16)

    assert hours(slots(rules=rules, now=now, horizon=timedelta(days=1))) == ["15:00", "16:00"]
    assert hours(slots(rules=rules, now=now, horizon=timedelta(hours=23, minutes=59))) == ["15:00"]


def test_the_window_is_measured_in_real_time_across_a_clock_change():
    # Saturday 12:00 CET + 48 real hours is Monday 13:00 CEST, not 12:00.
    rules = [WeeklyRule(weekday=0, start=time(12), end=time(14))]
    now = rome(SPRING_FORWARD - timedelta(days=1), 12)

    assert hours(slots(rules=rules, now=now, horizon=timedelta(hours=48))) == ["12:00", "13:00"]
    assert hours(slots(rules=rules, now=now.astimezone(UTC), horizon=timedelta(hours=47))) == [
        "12:00"
    ]


# --- properties -----------------------------------------------------------------------------


# No example database: a test run should leave nothing behind in the working tree.
PROPERTY = settings(
    deadline=None, max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow]
)
QUARTER = timedelta(minutes=15)
DAY = timedelta(days=1)
# Thursdays before both 2026 clock changes, or a quiet week, so DST nights come up often.
instants = st.sampled_from(
    [
        datetime(2026, 3, 26, tzinfo=UTC),
        datetime(2026, 6, 4, tzinfo=UTC),
        datetime(2026, 10, 22, tzinfo=UTC),
    ]
).flatmap(
    lambda base: st.integers(min_value=0, max_value=2 * 24 * 60).map(
        lambda minutes: base + timedelta(minutes=minutes)
    )
)


@st.composite
def weekly_rules(draw, *, near: date, slot_quarters: int) -> WeeklyRule:
    # Half the rules are Sunday nights, when the clock changes.
    night = draw(st.booleans())
    first = draw(st.integers(min_value=0, max_value=16 if night else 94))
    # Room for one to four slots and a remainder, so ranges rarely come out empty.
    quarters = slot_quarters * draw(st.integers(1, 4)) + draw(st.integers(0, 3))
    last = min(first + quarters, 95)
    start, end = (time(n // 4, (n % 4) * 15) for n in (first, last))
    # Bounds around the clock change, so they usually let it through but not always.
    valid_from = st.none() | st.integers(min_value=-3, max_value=3).map(lambda n: near + DAY * n)
    valid_to = st.none() | st.integers(min_value=2, max_value=8).map(lambda n: near + DAY * n)
    return WeeklyRule(
        weekday=6 if night else draw(st.integers(min_value=0, max_value=6)),
        start=start,
        end=end,
        valid_from=draw(valid_from),
        valid_to=draw(valid_to),
    )


@st.composite
def desks(draw) -> dict:
    now = draw(instants)
    closures = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        start = now + timedelta(
            minutes=draw(st.integers(min_value=-24 * 60, max_value=6 * 24 * 60))
        )
        # Mostly a blocked hour or two, sometimes a holiday of a few days.
        minutes = st.integers(min_value=0, max_value=4 * 60) | st.integers(0, 3 * 24 * 60)
        end = start + timedelta(minutes=draw(minutes))
        zone = draw(st.sampled_from([UTC, ROME]))
        closures.append(Closure(start=start.astimezone(zone), end=end.astimezone(zone)))
    min_notice = timedelta(minutes=draw(st.integers(min_value=0, max_value=12 * 60)))
    slot_quarters = draw(st.integers(min_value=1, max_value=8))
    rules = weekly_rules(near=now.date(), slot_quarters=slot_quarters)
    # Usually days ahead, past Sunday night; sometimes hours, or less than the notice.
    short = draw(st.integers(min_value=0, max_value=3)) == 0
    lead = st.integers(-60, 12 * 60) if short else st.integers(3 * 24 * 60, 6 * 24 * 60)
    horizon = timedelta(minutes=draw(lead))
    return {
        "rules": draw(st.lists(rules, min_size=1, max_size=4)),
        "closures": closures,
        "duration": QUARTER * slot_quarters,
        "now": now.astimezone(draw(st.sampled_from([UTC, ROME]))),
        "min_notice": min_notice,
        "horizon": min_notice + horizon,
        "tz": ROME,
    }


def reading(instant: datetime) -> datetime:
    """What a wall clock in Rome shows at ``instant``."""
    return instant.astimezone(ROME).replace(tzinfo=None)


def inside(slot: Slot, rule: WeeklyRule, duration: timedelta) -> bool:
    """Whether ``slot`` lies in ``rule``, checked by reading the clock rather than resolving."""
    day = slot.start.date()
    opens = datetime.combine(day, rule.start)
    closes = datetime.combine(day, rule.end)
    start = reading(slot.start)
    # Every quarter hour of the slot and its last moment: catches the repeated autumn hour.
    # Step in UTC: adding to a Rome datetime would step the wall clock instead.
    first, last = slot.start.astimezone(UTC), slot.end.astimezone(UTC)
    samples = [first + QUARTER * k for k in range(duration // QUARTER)]
    samples.append(last - timedelta(microseconds=1))
    return (
        day.weekday() == rule.weekday
        and (rule.valid_from is None or rule.valid_from <= day)
        and (rule.valid_to is None or day <= rule.valid_to)
        and opens <= start
        and (start - opens) % duration == timedelta(0)
        and all(reading(sample) < closes for sample in samples)
    )


def overlaps(slot: Slot, closure: Closure) -> bool:
    # In UTC: two Rome datetimes compare by wall clock and ignore fold (PEP 495), so the
    # first 02:00 of the fall-back night would not come before the second.
    start, end = slot.start.astimezone(UTC), slot.end.astimezone(UTC)
    return closure.start.astimezone(UTC) < end and start < closure.end.astimezone(UTC)


def grid(day: date, rule: WeeklyRule, duration: timedelta) -> list[datetime]:
    """The rule's timetable on ``day`` as naive wall times: start, start + duration, ..."""
    count = -(-(datetime.combine(day, rule.end) - datetime.combine(day, rule.start)) // duration)
    return [datetime.combine(day, rule.start) + duration * k for k in range(max(count, 0))]


def expected_starts(desk: dict) -> set[datetime]:
    """Every slot start, found by walking each day's grid and checking it by the clock."""
    earliest = desk["now"].astimezone(UTC) + desk["min_notice"]
    latest = desk["now"].astimezone(UTC) + desk["horizon"]
    found = set()
    day = reading(earliest).date()
    while day <= reading(latest).date():
        for rule in desk["rules"]:
            previous_end = datetime.min.replace(tzinfo=UTC)
            for wall in grid(day, rule, desk["duration"]):
                start = wall.replace(tzinfo=ROME).astimezone(UTC)
                end = start + desk["duration"]
                slot = Slot(start=start.astimezone(ROME), end=end, capacity=1, taken=0)
                # Skip clock times that never happen, and slots overlapping the previous one.
                if reading(start) != wall or start < previous_end:
                    continue
                if not inside(slot, rule, desk["duration"]):
                    continue
                previous_end = end
                if earliest <= start <= latest and not any(
                    overlaps(slot, closure) for closure in desk["closures"]
                ):
                    found.add(start)
        day += timedelta(days=1)
    return found


@PROPERTY
@given(desk=desks(), capacity=st.integers(min_value=1, max_value=4), data=st.data())
def test_every_returned_slot_is_in_a_rule_outside_closures_inside_the_window(desk, capacity, data):
    offered = free_slots(capacity=capacity, taken={}, include_full=True, **desk)
    # Book a random number of places on each offered slot, keyed in UTC or in Rome.
    taken = {
        slot.start.astimezone(data.draw(st.sampled_from([UTC, ROME]))): data.draw(
            st.integers(min_value=0, max_value=capacity + 1)
        )
        for slot in offered
    }

    result = free_slots(capacity=capacity, taken=taken, **desk)

    # Rome and UTC keys for the repeated autumn hour compare unequal (PEP 495): use UTC.
    by_instant = {start.astimezone(UTC): count for start, count in taken.items()}

    earliest = desk["now"].astimezone(UTC) + desk["min_notice"]
    latest = desk["now"].astimezone(UTC) + desk["horizon"]
    for slot in result:
        assert any(inside(slot, rule, desk["duration"]) for rule in desk["rules"])
        assert not any(overlaps(slot, closure) for closure in desk["closures"])
        assert earliest <= slot.start <= latest
        assert 0 < slot.free <= capacity
        assert slot.taken == by_instant[slot.start.astimezone(UTC)]
        assert slot.start.tzinfo is ROME
        assert slot.end.astimezone(UTC) - slot.start.astimezone(UTC) == desk["duration"]
    starts = [slot.start.astimezone(UTC) for slot in result]
    assert all(a < b for a, b in zip(starts, starts[1:], strict=False))


@PROPERTY
@given(desk=desks())
# Found by hypothesis: a closure ending at the second 02:00 (CET) covers the 02:00 CEST slot,
# which a wall-clock comparison of the two Rome datetimes missed.
@example(
    desk={
        "rules": [WeeklyRule(weekday=6, start=time(0, 30), end=time(2, 15))],
        "closures": [
            Closure(
                start=rome(date(2026, 10, 22), 3),
                end=datetime(2026, 10, 25, 1, tzinfo=UTC).astimezone(ROME),  # 02:00, fold=1
            )
        ],
        "duration": QUARTER,
        "now": datetime(2026, 10, 22, tzinfo=UTC),
        "min_notice": timedelta(0),
        "horizon": timedelta(days=3),
        "tz": ROME,
    }
)
def test_no_slot_the_schedule_allows_is_missing(desk):
    offered = free_slots(capacity=1, taken={}, **desk)

    assert {slot.start.astimezone(UTC) for slot in offered} == expected_starts(desk)
