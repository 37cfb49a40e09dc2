"""Staff's login records and the audit log are kept no longer than set."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings

from accounts.models import AuditEntry


def records_forget(*, now: datetime) -> dict[str, int]:
    """Login records (django-axes: successes, failures, lockout counts) older than
    ``LOGIN_RECORD_DAYS`` and audit entries older than ``AUDIT_DAYS`` are deleted."""
    logins = now - timedelta(days=settings.SPORTELLO["LOGIN_RECORD_DAYS"])
    audit = now - timedelta(days=settings.SPORTELLO["AUDIT_DAYS"])
    return {
        "logins": AccessLog.objects.filter(attempt_time__lt=logins).delete()[0],
        "login_failures": AccessAttempt.objects.filter(attempt_time__lt=logins).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=logins).delete()[0],
        "audit": AuditEntry.objects.filter(at__lt=audit).delete()[0],
    }
