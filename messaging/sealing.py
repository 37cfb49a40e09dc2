"""Secret parameters of a message (an SMS code, a manage link's token), sealed at rest.

A message may wait hours before it is sent (quiet hours, a provider outage, one delayed
retry after "phone unreachable") and must be rendered the same way each time, so that a
message the provider may already have can be recognised. Its secrets are therefore kept
encrypted (Fernet: AES-128-CBC with an HMAC) with keys from the environment, not in clear,
and blanked once the message is final. ``MESSAGE_KEYS`` lists keys, newest first, so a key
can be rotated; without it a key is derived from SECRET_KEY (development and tests).
"""

from __future__ import annotations

import json

from core.sealing import Unreadable, seal_bytes, unseal_bytes

__all__ = ["Unreadable", "seal", "unseal"]
_KEYS = {"keys_setting": "MESSAGE_KEYS", "purpose": "sportello-message-secrets"}


def seal(values: dict[str, str] | None) -> str:
    if not values:
        return ""
    return seal_bytes(json.dumps(values, separators=(",", ":")).encode(), **_KEYS)


def unseal(sealed: str) -> dict[str, str]:
    if not sealed:
        return {}
    return json.loads(unseal_bytes(sealed, **_KEYS))
