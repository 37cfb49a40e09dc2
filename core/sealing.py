"""Secrets the server must read back later, sealed at rest (Fernet: AES-128-CBC with an HMAC).

Each purpose has its own keys, from a ``SPORTELLO`` setting that lists Fernet keys newest
first (so a key can be rotated); without them a key is derived from SECRET_KEY and the
purpose (development and tests). A copy of the database alone then gives none of them back.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class Unreadable(Exception):
    """Sealed with a key that is no longer configured."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str, purpose: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"{purpose}:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def _box(keys_setting: str, purpose: str) -> MultiFernet:
    keys = tuple(settings.SPORTELLO.get(keys_setting, ()))
    return _fernet(keys, settings.SECRET_KEY, purpose)


def seal_bytes(value: bytes, *, keys_setting: str, purpose: str) -> str:
    return _box(keys_setting, purpose).encrypt(value).decode()


def unseal_bytes(sealed: str, *, keys_setting: str, purpose: str) -> bytes:
    try:
        return _box(keys_setting, purpose).decrypt(sealed.encode())
    except InvalidToken as exc:
        raise Unreadable() from exc


def malformed_keys(keys_setting: str) -> list[int]:
    """The positions (from 1) of the setting's keys that are not Fernet keys: a wrong key
    is caught by ``manage.py check`` at start, not by the first request that needs it."""
    bad = []
    for n, key in enumerate(settings.SPORTELLO.get(keys_setting, ()), start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            bad.append(n)
    return bad
