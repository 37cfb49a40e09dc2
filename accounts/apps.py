from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts: lockout after failed logins, the second factor, session limits."""

    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from accounts import checks  # noqa: F401

        post_migrate.connect(_ensure_schedules, sender=self)


PERIODIC_TASKS = [("accounts.tasks.forget_records", 60 * 24)]


def _ensure_schedules(**kwargs) -> None:
    from core.schedules import schedules_ensure

    schedules_ensure("accounts.tasks.", PERIODIC_TASKS)
