"""Fixed-window counters in the cache (Redis in production, shared by every web worker).

Limits are read from ``SPORTELLO["RATE_LIMITS"]`` (``"10/h"``: ten an hour), scope by scope.
Most limits fail open: if the cache does not answer, people can still look up and change
their bookings. Limits that guard money (SMS codes) fail closed: see
``docs/decisions/0006-limits-that-stop-scripts.md``.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from core.responses import too_many
from core.tokens import keyed_hash

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Too many tries in the window."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class LimitsUnavailable(RateLimited):
    """The counters cannot be read (the cache is down) and this limit fails closed."""


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/h"`` -> ``(10, 3600)``; ``"3/15m"`` -> ``(3, 900)``."""
    count, _slash, period = rate.partition("/")
    unit = period[-1:]
    multiple = int(period[:-1] or 1)
    return int(count), multiple * _PERIODS[unit]


def limit_for(scope: str) -> tuple[int, int]:
    """The (count, window in seconds) configured for a scope; ``name:detail`` falls back to
    ``name`` when that detail has no limit of its own."""
    limits = settings.SPORTELLO["RATE_LIMITS"]
    return parse_rate(limits.get(scope) or limits[scope.split(":", 1)[0]])


def _key(scope: str, ident: str, window: int) -> str:
    """One key per window: a counter given back late never lowers the next window's count.
    Identifiers (phone numbers, addresses) are hashed: the cache holds no personal data."""
    period = int(time.time() // window)
    return f"rl:{scope}:{period}:{keyed_hash(ident, purpose='ratelimit')[:32]}"


def _incr(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def peek(*, scope: str, ident: str) -> int:
    """How many were counted in the current window (0 when the cache does not answer)."""
    try:
        return int(cache.get(_key(scope, ident, limit_for(scope)[1])) or 0)
    except Exception:
        return 0


def rate_limit_hit(*, scope: str, ident: str) -> None:
    """Counts one try; RateLimited once more than the scope's limit were made in its window.

    Fails open: when the cache is down the try is let through and logged.
    """
    limit, window = limit_for(scope)
    try:
        count = _incr(_key(scope, ident, window), window)
    except Exception:
        logger.exception("rate limit %s not counted: the cache does not answer", scope)
        return
    if count > limit:
        raise RateLimited(scope)


@dataclass
class Reservation:
    """Counters taken together by ``reserve``; ``give_back`` returns them (nothing was sent)."""

    keys: list[str] = field(default_factory=list)

    def give_back(self) -> None:
        _return(self.keys)
        self.keys = []

    def attach(self, name: str, *, seconds: int = 3600) -> None:
        """Remembers the counters under ``name`` (an SMS), so that ``give_back_attached``
        can return them if that SMS is never sent."""
        try:
            cache.set(f"rl-res:{name}", self.keys, timeout=seconds)
        except Exception:
            logger.info("rate limit reservation not attached: the cache does not answer")


def give_back_attached(name: str) -> bool:
    """Returns the counters attached to ``name``, once; False when there were none."""
    try:
        keys = cache.get(f"rl-res:{name}")
        cache.delete(f"rl-res:{name}")
    except Exception:
        return False
    if not keys:
        return False
    _return(keys)
    return True


def _return(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.decr(key)
        except Exception:  # expired, or the cache went away: nothing to return
            logger.info("rate limit reservation not returned: %s", key.split(":")[1])


def reserve(checks: Iterable[tuple[str, str]]) -> Reservation:
    """Takes one from every (scope, ident) counter, or from none of them.

    RateLimited names the first scope over its limit; every counter taken is returned, so a
    refused attempt costs nothing anywhere. Fails closed: LimitsUnavailable when the cache
    does not answer.
    """
    reservation = Reservation()
    try:
        for scope, ident in checks:
            limit, window = limit_for(scope)
            key = _key(scope, ident, window)
            count = _incr(key, window)
            reservation.keys.append(key)
            if count > limit:
                reservation.give_back()
                raise RateLimited(scope)
    except RateLimited:
        raise
    except Exception as exc:
        logger.exception("limits unavailable: the cache does not answer")
        reservation.give_back()
        raise LimitsUnavailable("cache") from exc
    return reservation


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


def client_network(request) -> str:
    """The client's address as a limit counts it: IPv4 alone, IPv6 by its /64 (one home or
    one phone holds a whole /64, so counting single IPv6 addresses would count nothing)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client it names
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def client_network_address(request) -> str:
    """``client_network`` as one address (an IPv6 /64 by its first address), for what
    stores an address field: the login lockout counts one home or phone's /64 as one."""
    network = client_network(request)
    return network.split("/", 1)[0]


def rate_limit(scope: str, *, key: Callable = client_network, methods: tuple[str, ...] = ("POST",)):
    """View decorator: counts each request of ``methods`` under ``key(request)`` and answers
    429 with a page in the person's language past the scope's limit."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    rate_limit_hit(scope=scope, ident=key(request))
                except RateLimited:
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
