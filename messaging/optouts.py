"""Numbers that get nothing more: those that opted out (STOP), and those the provider
refused for good. Kept as keyed hashes: the list holds no phone number."""

from __future__ import annotations

from collections.abc import Iterable

from core.tokens import keyed_hash
from messaging.models import Suppression
from messaging.signals import number_opted_in, number_opted_out

# The provider's error codes that mark a number, and why.
MARKING_CODES = {
    "21610": Suppression.Reason.OPTED_OUT,
    "21211": Suppression.Reason.INVALID,
    "30005": Suppression.Reason.INVALID,
    "21614": Suppression.Reason.NOT_MOBILE,
    "30006": Suppression.Reason.NOT_MOBILE,
    # Not 21612 ("cannot be reached by SMS"): Twilio also answers it for problems of our
    # sender, which would mark every number we write to.
}


def phone_key(phone: str) -> str:
    return keyed_hash(phone, purpose="suppression")


def marks_for(phones: Iterable[str]) -> dict[str, str]:
    """phone_key -> reason, for those of these numbers that are marked (one query)."""
    keys = {phone_key(phone) for phone in phones}
    return dict(Suppression.objects.filter(phone_hash__in=keys).values_list("phone_hash", "reason"))


def is_opted_out(phone: str) -> bool:
    return Suppression.objects.filter(
        phone_hash=phone_key(phone), reason=Suppression.Reason.OPTED_OUT
    ).exists()


def opt_out(phone: str) -> None:
    Suppression.objects.update_or_create(
        phone_hash=phone_key(phone),
        defaults={"reason": Suppression.Reason.OPTED_OUT, "error_code": ""},
    )
    number_opted_out.send(sender=Suppression, phone=phone)


def opt_in(phone: str) -> None:
    deleted, _ = Suppression.objects.filter(
        phone_hash=phone_key(phone), reason=Suppression.Reason.OPTED_OUT
    ).delete()
    if deleted:
        number_opted_in.send(sender=Suppression, phone=phone)


def number_mark(phone: str, *, error_code: str) -> None:
    """The provider refused this number with this code; an opt-out is never downgraded."""
    reason = MARKING_CODES.get(error_code)
    if reason is None:
        return
    if reason == Suppression.Reason.OPTED_OUT:
        opt_out(phone)
        return
    if is_opted_out(phone):
        return
    Suppression.objects.update_or_create(
        phone_hash=phone_key(phone), defaults={"reason": reason, "error_code": error_code}
    )


def number_unmark_reached(phone: str) -> None:
    """A text reached this number after all: it is no longer marked as unreachable."""
    Suppression.objects.filter(phone_hash=phone_key(phone)).exclude(
        reason=Suppression.Reason.OPTED_OUT
    ).delete()
