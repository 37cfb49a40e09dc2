"""django-q2 task entry points. They only call services."""

from django.utils import timezone

from accounts.retention import records_forget


def forget_records() -> dict[str, int]:
    return records_forget(now=timezone.now())
