"""Secrets handed to people (codes to read aloud, manage links, SMS codes) and their hashes.

Only hashes are stored: a copy of the database gives no way into anybody's booking.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: letters and digits that are not mistaken for each other
# when read aloud or on a cracked screen.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6


def readable_code(length: int = CODE_LENGTH) -> str:
    """A code a person reads aloud at a desk (booking codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def manage_token() -> str:
    """128 bits of randomness (22 characters, short enough for a text); only its hash is
    stored."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sms_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def sms_code_hash(code: str) -> str:
    """Keyed: a 6-digit code has a million values, so a plain hash in a copy of the database
    would give the code back at once while it is still valid."""
    return keyed_hash(code.strip(), purpose="sms-code")


def sms_code_matches(code: str, hashed: str) -> bool:
    return hmac.compare_digest(sms_code_hash(code), hashed)


def keyed_hash(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC with ``HASH_KEY``, else SECRET_KEY) for values that are not secret
    but personal, such as a client address: equal inputs compare equal, nothing can be read
    back. Its own key, so that SECRET_KEY can be rotated (after a leak, say) without the
    opt-out list forgetting who opted out."""
    from django.conf import settings

    secret = settings.SPORTELLO.get("HASH_KEY") or settings.SECRET_KEY
    key = f"{purpose}:{secret}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
