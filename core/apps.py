from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: limits, phone numbers, redaction, tokens, formatting, locking."""

    name = "core"
    verbose_name = _("Core")
