"""Phone challenges (messaging's), with the booking domain's refusals in the person's words."""

from __future__ import annotations

from datetime import datetime

from appointments.services.errors import BookingError, TooManyAttempts, TooManyCodes, WrongCode
from messaging import challenges
from messaging.challenges import challenge_is_live, challenge_issue
from messaging.models import PhoneChallenge

__all__ = ["challenge_is_live", "challenge_issue", "challenge_resend", "challenge_verify"]


def challenge_resend(
    *,
    challenge: PhoneChallenge,
    language: str,
    city: str,
    now: datetime,
    not_after: datetime | None = None,
) -> None:
    if not challenges.challenge_resend(
        challenge=challenge, language=language, city=city, now=now, not_after=not_after
    ):
        raise TooManyCodes()


def challenge_verify(*, challenge: PhoneChallenge, code: str, now: datetime) -> BookingError | None:
    """None when the number is proven; otherwise the refusal to raise (after the caller's
    transaction block, so that the counted try is kept)."""
    check = challenges.challenge_verify(challenge=challenge, code=code, now=now)
    if check.verdict is challenges.Verdict.PROVEN:
        return None
    if check.verdict is challenges.Verdict.WRONG:
        return WrongCode(attempts_left=check.tries_left)
    return TooManyAttempts()
