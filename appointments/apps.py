from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedules, sender=self)


# The periodic tasks django-q2 runs: (function, minutes between runs).
PERIODIC_TASKS = [
    ("appointments.tasks.sms_send_due", 1),
    ("appointments.tasks.expire_holds", 1),
    ("appointments.tasks.waitlist_sweep", 5),
]


def _ensure_schedules(**kwargs) -> None:
    from django_q.models import Schedule

    for func, minutes in PERIODIC_TASKS:
        Schedule.objects.update_or_create(
            name=func,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
