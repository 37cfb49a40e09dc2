"""``manage.py check`` refuses a Twilio backend that could not send or verify."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def message_keys_valid(app_configs, **kwargs):
    """A wrong key would refuse every booking that sends a text: caught at start instead."""
    from core.sealing import malformed_keys

    return [
        Error(f"MESSAGE_KEYS: key {n} is not a Fernet key.", id="sportello.E104")
        for n in malformed_keys("MESSAGE_KEYS")
    ]


@register(deploy=True)
def message_keys_set(app_configs, **kwargs):
    if settings.SPORTELLO.get("MESSAGE_KEYS"):
        return []
    return [
        Warning(
            "MESSAGE_KEYS is not set: texts waiting to be sent are sealed with a key derived "
            "from SECRET_KEY, and become unreadable if SECRET_KEY is rotated.",
            id="sportello.W105",
        )
    ]


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
