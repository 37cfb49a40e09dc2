"""django-q2 task entry points. They only call services."""

from appointments.services.booking import holds_expire
from appointments.services.reminders import reminders_queue
from appointments.services.retention import personal_data_forget
from appointments.services.waitlist import waitlist_sweep as _waitlist_sweep


def expire_holds() -> int:
    return holds_expire()


def queue_reminders() -> int:
    return reminders_queue()


def waitlist_sweep() -> int:
    return _waitlist_sweep()


def forget_personal_data() -> dict[str, int]:
    return personal_data_forget()


def clear_sessions() -> None:
    """Expired sessions go: a shared phone's old session holds nothing worth keeping."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
