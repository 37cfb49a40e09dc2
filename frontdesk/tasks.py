"""django-q2 task entry points. They only call services."""

from django.utils import timezone

from frontdesk.services import days_end as _days_end
from frontdesk.services import tickets_forget


def days_end() -> int:
    return _days_end()


def forget_personal_data() -> int:
    return tickets_forget(now=timezone.now())
