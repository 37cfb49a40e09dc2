"""``manage.py check``: the keys that seal authenticator seeds."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from core.sealing import malformed_keys


@register()
def device_keys_valid(app_configs, **kwargs):
    return [
        Error(f"DEVICE_KEYS: key {n} is not a Fernet key.", id="sportello.E120")
        for n in malformed_keys("DEVICE_KEYS")
    ]


@register(deploy=True)
def device_keys_set(app_configs, **kwargs):
    if settings.SPORTELLO.get("DEVICE_KEYS"):
        return []
    return [
        Warning(
            "DEVICE_KEYS is not set: staff's authenticator seeds are sealed with a key derived "
            "from SECRET_KEY; rotating SECRET_KEY would then make every staff member set up "
            "their authenticator app again.",
            id="sportello.W121",
        )
    ]


@register(deploy=True)
def hash_key_set(app_configs, **kwargs):
    if settings.SPORTELLO.get("HASH_KEY"):
        return []
    return [
        Warning(
            "HASH_KEY is not set: keyed hashes (the opt-out list) use SECRET_KEY, and "
            "rotating SECRET_KEY would forget who opted out of texts.",
            id="sportello.W122",
        )
    ]
