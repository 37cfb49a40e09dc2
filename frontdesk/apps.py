from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _

PERIODIC_TASKS = [
    ("frontdesk.tasks.days_end", 60),
    ("frontdesk.tasks.forget_personal_data", 60 * 24),
]

# Operators run the day at their desks' counters; desk managers also set up queues and
# counters, may call a ticket out of order (which is logged), and renew the address of
# the waiting-room screen.
GROUP_PERMISSIONS = {
    "Operators": ["frontdesk.view_queue", "frontdesk.view_counter"],
    "Desk managers": [
        "wagtailadmin.access_admin",
        "frontdesk.view_queue",
        "frontdesk.change_queue",
        *(f"frontdesk.{action}_counter" for action in ("add", "change", "delete", "view")),
        "frontdesk.call_out_of_order",
        "frontdesk.change_displayscreen",  # a new secret address for the waiting-room screen
    ],
}


class FrontdeskConfig(AppConfig):
    name = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from appointments.models import Offering
        from frontdesk import notifications  # noqa: F401  (registers its message kind)
        from frontdesk.models import Ticket
        from frontdesk.services import ticket_saved

        post_save.connect(_queue_for_offering, sender=Offering, dispatch_uid="frontdesk-queue")
        post_save.connect(ticket_saved, sender=Ticket, dispatch_uid="frontdesk-ticket-version")
        post_migrate.connect(_ensure_schedules, sender=self)
        post_migrate.connect(_ensure_groups, sender=self)


def _queue_for_offering(sender, instance, created, raw=False, **kwargs) -> None:
    """Each desk has a queue for each service it offers, made with the offering."""
    if raw:
        return
    from frontdesk.services import queue_for

    queue_for(instance)


def _ensure_schedules(**kwargs) -> None:
    from core.schedules import schedules_ensure

    schedules_ensure("frontdesk.tasks.", PERIODIC_TASKS)


def _ensure_groups(**kwargs) -> None:
    from accounts.roles import roles_ensure

    roles_ensure(("frontdesk", "wagtailadmin"), GROUP_PERMISSIONS)
