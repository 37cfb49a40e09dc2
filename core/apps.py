import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: limits, phone numbers, redaction, tokens, formatting, locking."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Python's warnings go through logging too, so the redaction filter sees them.
        logging.captureWarnings(True)
