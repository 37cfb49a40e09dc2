"""Periodic tasks, declared by each app as (function, minutes) and kept in django-q2."""

from __future__ import annotations


def schedules_ensure(module_prefix: str, tasks: list[tuple[str, int]]) -> None:
    """Creates or updates each task's schedule, and removes the schedules of functions of
    this module that no longer exist (a renamed task would otherwise fail every minute)."""
    from django_q.models import Schedule

    for func, minutes in tasks:
        Schedule.objects.update_or_create(
            name=func,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
    Schedule.objects.filter(func__startswith=module_prefix).exclude(
        func__in=[func for func, _minutes in tasks]
    ).delete()
