"""Fixed-window counters in the cache (Redis in production, shared by every web worker)."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Too many tries in the window; the view answers 429."""


def _key(scope: str, ident: str) -> str:
    # Identifiers (phone numbers, addresses) are hashed: the cache holds no personal data.
    return f"rl:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}"


def rate_limit_hit(*, scope: str, ident: str, limit: int, window_seconds: int = 3600) -> None:
    """Counts one try; raises RateLimited once more than ``limit`` were made in the window."""
    key = _key(scope, ident)
    try:
        cache.add(key, 0, timeout=window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            count = 1
    except Exception:
        # The cache (Redis) is down: let people book rather than fail; /healthz shows it.
        logger.exception("rate limit %s not counted: the cache does not answer", scope)
        return
    if count > limit:
        raise RateLimited(scope)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXIES`` reverse proxies the
    entry of X-Forwarded-For that the outermost trusted proxy added (never one the client
    could have written itself)."""
    proxies = settings.SPORTELLO["TRUSTED_PROXIES"]
    if proxies:
        chain = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "")
