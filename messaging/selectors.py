"""What staff may see of the outbox: which texts went out and what became of them, never
their words (and never the number: the booking shows it already)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from messaging import kinds
from messaging.models import FAILED_STATUSES, Message, MessageStatus

# The provider's error codes, in words a desk can act on.
ERROR_TEXTS = {
    "30003": _("the phone is off or out of reach"),
    "30005": _("the number does not exist"),
    "30006": _("a landline, or a network that takes no texts"),
    "30007": _("blocked by the phone network"),
    "30008": _("unknown network error"),
    "21211": _("not a valid number"),
    "21614": _("not a mobile number"),
    "21610": _("the person sent STOP"),
    "21612": _("the number cannot receive texts"),
}


def messages_about(reference: str) -> QuerySet[Message]:
    return Message.objects.filter(reference=reference).order_by("created_at", "pk")


def failed_since(*, scopes: list[str], since: datetime) -> QuerySet[Message]:
    """Texts of these scopes that ended since then without reaching the person (whenever
    they were queued: a reminder queued last evening counts): failed, or not sent because
    the number is marked."""
    return (
        Message.objects.filter(scope__in=scopes, final_at__gte=since)
        .filter(status__in=[*FAILED_STATUSES, MessageStatus.CANCELLED])
        .exclude(last_error="no longer needed")
        .order_by("-final_at")
    )


def kind_label(message: Message) -> str:
    try:
        return str(kinds.kind(message.kind).label)
    except LookupError:
        return message.kind


def why(message: Message) -> str:
    """Why a text did not arrive, for the desk (empty when it did, or is on its way)."""
    if message.status not in FAILED_STATUSES and message.status != MessageStatus.CANCELLED:
        return ""
    if message.error_code in ERROR_TEXTS:
        return str(ERROR_TEXTS[message.error_code])
    if message.last_error == "number: opted_out":
        return str(_("the person sent STOP"))
    if message.last_error.startswith("number:"):
        return str(_("the number gets no texts"))
    if message.last_error.startswith("gave up"):
        return str(_("the text provider could not be reached in time"))
    if message.last_error == "no longer needed":
        return str(_("no longer needed"))
    return ""
