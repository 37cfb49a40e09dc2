"""``manage.py check`` refuses a Twilio backend that could not send or verify."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def twilio_configured(app_configs, **kwargs):
    if not settings.SPORTELLO["SMS_BACKEND"].endswith("TwilioBackend"):
        return []
    conf, errors = settings.SPORTELLO["TWILIO"], []
    for name in ("ACCOUNT_SID", "AUTH_TOKEN"):
        if not conf.get(name):
            errors.append(
                Error(f"TWILIO_{name} is required by the Twilio backend.", id="sportello.E101")
            )
    if not (conf.get("MESSAGING_SERVICE_SID") or conf.get("FROM")):
        errors.append(
            Error("Set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM.", id="sportello.E102")
        )
    if not str(conf.get("PUBLIC_URL", "")).startswith("https://"):
        errors.append(
            Error("TWILIO_PUBLIC_URL must be the public https:// origin.", id="sportello.E103")
        )
    return errors
