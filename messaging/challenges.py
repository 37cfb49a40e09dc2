"""Phone challenges: a 6-digit SMS code that proves a person holds a number.

Whatever asks for proof (a hold, a place on a waiting list) points to a challenge. The
code itself is never stored: its hash on the challenge, and sealed in its message until
that message is final.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from core import tokens
from messaging.models import PhoneChallenge
from messaging.outbox import message_queue

CODE_KIND = "code"


def _ttl() -> timedelta:
    return timedelta(minutes=settings.SPORTELLO["CODE_TTL_MINUTES"])


def challenge_sms_key(challenge: PhoneChallenge) -> str:
    """The event key of the newest code message of a challenge (budgets attach to it)."""
    return f"challenge:{challenge.pk}:{challenge.sends}"


def _send(challenge: PhoneChallenge, *, code: str, language: str, city: str, now) -> None:
    message_queue(
        kind=CODE_KIND,
        to=challenge.phone,
        language=language,
        dedupe_key=challenge_sms_key(challenge),
        params={"city": city, "minutes": settings.SPORTELLO["CODE_TTL_MINUTES"]},
        secrets={"code": code},
        give_up_at=challenge.expires_at,  # a late code is no use
        now=now,
    )


def challenge_issue(
    *, phone: str, language: str, city: str, now: datetime, not_after: datetime | None = None
) -> PhoneChallenge:
    """A new code for a number, queued by SMS in the caller's transaction."""
    code = tokens.sms_code()
    challenge = PhoneChallenge.objects.create(
        phone=phone,
        code_hash=tokens.sms_code_hash(code),
        expires_at=min(now + _ttl(), not_after or now + _ttl()),
    )
    _send(challenge, code=code, language=language, city=city, now=now)
    return challenge


def challenge_resend(
    *,
    challenge: PhoneChallenge,
    language: str,
    city: str,
    now: datetime,
    not_after: datetime | None = None,
) -> bool:
    """A fresh code replaces the old one, with fresh tries; False once enough were sent."""
    if challenge.sends >= settings.SPORTELLO["CODE_MAX_SENDS"]:
        return False
    code = tokens.sms_code()
    challenge.code_hash, challenge.attempts = tokens.sms_code_hash(code), 0
    challenge.sends += 1
    challenge.expires_at = min(now + _ttl(), not_after or now + _ttl())
    challenge.save(update_fields=["code_hash", "attempts", "sends", "expires_at"])
    _send(challenge, code=code, language=language, city=city, now=now)
    return True


def challenge_is_live(challenge: PhoneChallenge | None, *, now: datetime) -> bool:
    """A code was sent, is still valid and may still be tried."""
    return (
        challenge is not None
        and challenge.verified_at is None
        and challenge.expires_at > now
        and challenge.attempts < settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    )


class Verdict(enum.Enum):
    PROVEN = "proven"
    WRONG = "wrong"
    USED_UP = "used_up"  # no tries left, or already used


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    tries_left: int = 0


def challenge_verify(*, challenge: PhoneChallenge, code: str, now: datetime) -> Check:
    """PROVEN when the code is right and in time. Otherwise the try is counted (saved now,
    so that it commits with the caller's transaction even if the caller then raises)."""
    max_attempts = settings.SPORTELLO["CODE_MAX_ATTEMPTS"]
    if challenge.verified_at is not None or challenge.attempts >= max_attempts:
        return Check(Verdict.USED_UP)
    if challenge.expires_at > now and tokens.sms_code_matches(code, challenge.code_hash):
        challenge.verified_at, challenge.code_hash = now, ""
        challenge.save(update_fields=["verified_at", "code_hash"])
        return Check(Verdict.PROVEN)
    challenge.attempts += 1
    challenge.save(update_fields=["attempts"])
    left = max_attempts - challenge.attempts
    return Check(Verdict.USED_UP) if left <= 0 else Check(Verdict.WRONG, tries_left=left)
