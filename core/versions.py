"""Version numbers in the cache: a reader puts the number in its cache keys or ETags, a
writer bumps it once its transaction commits (a request in between would cache the old
state again under the new number), and everything keyed by the old number is forgotten."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


def version_read(key: str) -> int:
    return cache.get_or_set(key, 1, None)


def version_bump_on_commit(key: str, *, on_error: Callable[[], None] | None = None) -> None:
    """``on_error``: what to do instead of raising if the cache cannot be written."""

    def bump() -> None:
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there yet
                cache.set(key, 2, None)
        except Exception:
            if on_error is None:
                raise
            on_error()

    transaction.on_commit(bump)
