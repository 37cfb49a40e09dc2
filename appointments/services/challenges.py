"""Phone challenges: issue a 6-digit SMS code, send it again, check what the person typed.

Holds and the waiting list both prove a number this way; the code itself is never stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from appointments import texts
from appointments.models import PhoneChallenge
from appointments.services.errors import BookingError, TooManyAttempts, TooManyCodes, WrongCode
from appointments.services.sms import sms_queue
from core import tokens


def _ttl() -> timedelta:
    return timedelta(minutes=settings.SPORTELLO["CODE_TTL_MINUTES"])


def challenge_sms_key(challenge: PhoneChallenge) -> str:
    """The event key of the newest code SMS of a challenge (budgets attach to it)."""
    return f"challenge:{challenge.pk}:{challenge.sends}"


def _send(challenge: PhoneChallenge, *, code: str, language: str) -> None:
    sms_queue(
        to=challenge.phone,
        language=language,
        dedupe_key=challenge_sms_key(challenge),
        body=texts.verification_text(code=code, language=language),
    )


def challenge_issue(
    *, phone: str, language: str, now: datetime, not_after: datetime | None = None
) -> PhoneChallenge:
    """A new code for a number, queued by SMS in the caller's transaction."""
    code = tokens.sms_code()
    challenge = PhoneChallenge.objects.create(
        phone=phone,
        code_hash=tokens.token_hash(code),
        expires_at=min(now + _ttl(), not_after or now + _ttl()),
    )
    _send(challenge, code=code, language=language)
    return challenge


def challenge_resend(
    *, challenge: PhoneChallenge, language: str, now: datetime, not_after: datetime | None = None
) -> None:
    """A fresh code replaces the old one, with fresh tries; a few times at most."""
    if challenge.sends >= settings.SPORTELLO["CODE_MAX_SENDS"]:
        raise TooManyCodes()
    code = tokens.sms_code()
    challenge.code_hash, challenge.attempts = tokens.token_hash(code), 0
    challenge.sends += 1
    challenge.expires_at = min(now + _ttl(), not_after or now + _ttl())
    challenge.save(update_fields=["code_hash", "attempts", "sends", "expires_at"])
    _send(challenge, code=code, language=language)


def challenge_is_live(challenge: PhoneChallenge | None, *, now: datetime) -> bool:
    """A code was sent, is still valid and may still be tried."""
    return (
        challenge is not None
        and challenge.verified_at is None
        and challenge.expires_at > now
        and challenge.attempts < settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    )


def challenge_verify(*, challenge: PhoneChallenge, code: str, now: datetime) -> BookingError | None:
    """None when the code is right and in time: the number is proven.

    Otherwise the try is counted (saved now, so that it commits with the caller's
    transaction before the caller raises) and the refusal to raise is returned.
    """
    max_attempts = settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    if challenge.verified_at is not None or challenge.attempts >= max_attempts:
        return TooManyAttempts()
    if challenge.expires_at > now and tokens.codes_match(code, challenge.code_hash):
        challenge.verified_at, challenge.code_hash = now, ""
        challenge.save(update_fields=["verified_at", "code_hash"])
        return None
    challenge.attempts += 1
    challenge.save(update_fields=["attempts"])
    left = max_attempts - challenge.attempts
    return TooManyAttempts() if left <= 0 else WrongCode(attempts_left=left)
