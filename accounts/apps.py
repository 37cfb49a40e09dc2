from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts: lockout after failed logins, the second factor, session limits."""

    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from accounts import checks  # noqa: F401
