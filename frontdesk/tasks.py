"""django-q2 task entry points. They only call services."""

from frontdesk.services import days_end as _days_end


def days_end() -> int:
    return _days_end()
