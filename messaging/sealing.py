"""Secret parameters of a message (an SMS code, a manage link's token), sealed at rest.

A message may wait hours before it is sent (quiet hours, a provider outage, one delayed
retry after "phone unreachable") and must be rendered the same way each time, so that a
message the provider may already have can be recognised. Its secrets are therefore kept
encrypted (Fernet: AES-128-CBC with an HMAC) with keys from the environment, not in clear,
and blanked once the message is final. ``MESSAGE_KEYS`` lists keys, newest first, so a key
can be rotated; without it a key is derived from SECRET_KEY (development and tests).
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"sportello-message-secrets:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def _box() -> MultiFernet:
    return _fernet(tuple(settings.SPORTELLO.get("MESSAGE_KEYS", ())), settings.SECRET_KEY)


def seal(values: dict[str, str] | None) -> str:
    if not values:
        return ""
    return _box().encrypt(json.dumps(values, separators=(",", ":")).encode()).decode()


class Unreadable(Exception):
    """Sealed with a key that is no longer configured."""


def unseal(sealed: str) -> dict[str, str]:
    if not sealed:
        return {}
    try:
        return json.loads(_box().decrypt(sealed.encode()))
    except InvalidToken as exc:
        raise Unreadable() from exc
