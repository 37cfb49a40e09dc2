"""The test suite: fast hashing, in-memory SMS, same database choice as base."""

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# async_task runs django-q2's real worker code inline, so a test sees the task's effect.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
SPORTELLO = {  # noqa: F405
    **SPORTELLO,  # noqa: F405
    "SMS_BACKEND": "messaging.backends.MemoryBackend",
    # Tests run at any hour: no quiet hours, except where a test sets them (the
    # ``quiet_hours`` fixture), so what a test sends does not depend on the clock.
    "MESSAGING": {**SPORTELLO["MESSAGING"], "QUIET_HOURS": None},  # noqa: F405
}
