from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The periodic tasks django-q2 runs: (function, minutes between runs).
PERIODIC_TASKS = [
    ("messaging.tasks.send_due", 1),
]


class MessagingConfig(AppConfig):
    """Texts to people's phones: the outbox, its backends and webhooks, phone challenges and
    the opt-out list. It imports no domain app: domains register their message kinds here
    (their ``notifications`` modules) and hear back through ``messaging.signals``."""

    name = "messaging"
    verbose_name = _("Messages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from messaging import checks, notifications  # noqa: F401  (checks, message kinds)

        post_migrate.connect(_ensure_schedules, sender=self)


def _ensure_schedules(**kwargs) -> None:
    from core.schedules import schedules_ensure

    schedules_ensure("messaging.tasks.", PERIODIC_TASKS)
