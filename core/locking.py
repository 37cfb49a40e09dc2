"""One locking helper for every "take the next one": transaction-scoped advisory locks.

Like pretix's ``lock_objects``: it refuses to run outside a transaction (a lock that
outlives it would be a bug), orders the keys so that two callers never deadlock, and
waits at most a few seconds (PostgreSQL's ``lock_timeout``) before LockTimeout.
SQLite needs no lock: its IMMEDIATE transactions already let one writer in at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import DatabaseError, connection, models

DEFAULT_TIMEOUT_SECONDS = 3


class LockTimeout(Exception):
    """The lock was not free within the timeout: somebody else is doing the same thing."""


def _key(item: str | models.Model) -> int:
    if isinstance(item, models.Model):
        item = f"{item._meta.label_lower}:{item.pk}"
    digest = hashlib.blake2b(item.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_objects(
    items: Iterable[str | models.Model], *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
) -> None:
    """Holds an advisory lock on each item (a model instance or a string) until the
    transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock_objects() must run inside transaction.atomic().")
    if connection.vendor != "postgresql":
        return
    keys = sorted({_key(item) for item in items})
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        previous = cursor.fetchone()[0]
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true)", [f"{int(timeout_seconds * 1000)}ms"]
        )
        try:
            for key in keys:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        except DatabaseError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
                raise LockTimeout(str(keys)) from exc
            raise
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
