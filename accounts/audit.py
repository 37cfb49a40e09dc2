"""Recording staff's access to personal data (``AuditEntry``), without the number itself."""

from __future__ import annotations

from accounts.models import AuditEntry
from core.phones import phone_mask
from core.tokens import keyed_hash

Action = AuditEntry.Action


def subject_hash(phone: str) -> str:
    """What ties entries to one person (their number, E.164), readable by nobody."""
    return keyed_hash(phone, purpose="audit-subject") if phone else ""


def audit(
    request,
    action: str,
    *,
    desk_id: int | None = None,
    ref: str = "",
    phone: str = "",
    detail: str = "",
) -> AuditEntry:
    user = request.user
    masked = phone_mask(phone) if phone else ""
    return AuditEntry.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username(),
        action=action,
        desk_id=desk_id,
        object_ref=ref,
        subject_hash=subject_hash(phone),
        detail=" ".join(part for part in (masked, detail) if part)[:200],
    )


def audit_entries_about(phone: str):
    return AuditEntry.objects.filter(subject_hash=subject_hash(phone))
