"""django-q2 task entry points. They only call services."""

from appointments.services.booking import holds_expire
from appointments.services.retention import personal_data_forget
from appointments.services.sms import sms_send as _sms_send
from appointments.services.sms import sms_send_due as _sms_send_due
from appointments.services.waitlist import waitlist_sweep as _waitlist_sweep


def sms_send(sms_id: int) -> str:
    return _sms_send(sms_id=sms_id)


def sms_send_due() -> int:
    return _sms_send_due()


def expire_holds() -> int:
    return holds_expire()


def waitlist_sweep() -> int:
    return _waitlist_sweep()


def forget_personal_data() -> dict[str, int]:
    return personal_data_forget()


def clear_sessions() -> None:
    """Expired sessions go: a shared phone's old session holds nothing worth keeping."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
