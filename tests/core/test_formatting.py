from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.formatting import format_day, format_time

UTC = ZoneInfo("UTC")


def test_days_are_written_in_the_language_even_where_django_has_no_locale():
    day = date(2026, 3, 3)
    assert format_day(day, language="it") == "martedì 3 marzo 2026"
    assert "ማርች" in format_day(day, language="ti") or "መጋቢት" in format_day(day, language="ti")
    assert "Maarso" in format_day(day, language="so") or "Bisha" in format_day(day, language="so")
    assert "مارچ" in format_day(day, language="ps") or "مارچ" in format_day(day, language="ps")


def test_times_are_shown_at_the_desk_local_time():
    moment = datetime(2026, 7, 1, 7, 30, tzinfo=UTC)  # 09:30 in Rome (summer time)
    assert format_time(moment, language="it") == "09:30"
    assert format_time(moment, language="en") == "9:30\u202fAM"
