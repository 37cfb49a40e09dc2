"""Secrets handed to people: booking codes to read aloud, manage tokens, SMS codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: letters and digits that are not mistaken for each other
# when read aloud or on a cracked screen.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6


def booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def manage_token() -> str:
    """At least 128 bits of randomness; only its hash is stored."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sms_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def codes_match(code: str, hashed: str) -> bool:
    return hmac.compare_digest(token_hash(code.strip()), hashed)
