"""Where texts go: ``console`` (the demo: the server log), ``memory`` (tests), ``twilio``.

A backend answers each send with one of four outcomes, because what the sender does next
depends on it: SENT (the provider took it), NOT_SENT (it surely did not: try again later),
UNKNOWN (it may have: look at the provider before any new try) and REFUSED (never will:
the number is not valid, a landline, or opted out).
"""

from __future__ import annotations

import enum
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from core.phones import phone_pseudonym

logger = logging.getLogger("messaging.backends")


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_SENT = "not_sent"
    UNKNOWN = "unknown"
    REFUSED = "refused"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    provider_id: str = ""
    error_code: str = ""
    detail: str = ""


class Backend(Protocol):
    name: str

    def send(self, *, to: str, body: str, callback_url: str) -> SendResult: ...

    def find(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> str | None:
        """The provider's id of this text to this number since then (not one of
        ``exclude``, which belong to other rows), or None. Raises when the provider cannot
        be asked (the caller tries again later)."""


class ConsoleBackend:
    """Writes each text to the server log (the number pseudonymised): `make demo` shows codes."""

    name = "console"

    def send(self, *, to: str, body: str, callback_url: str) -> SendResult:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.warning("SMS %s to %s: %s", provider_id, phone_pseudonym(to), body)
        return SendResult(Outcome.SENT, provider_id=provider_id)

    def find(self, *, to, body, since, exclude=frozenset()) -> str | None:
        return None


class MemoryBackend:
    """Keeps texts in a list for tests to read.

    ``script`` plays outcomes for the next sends: "down" (NOT_SENT), "timeout" (UNKNOWN,
    not taken), "timeout-taken" (UNKNOWN, but the provider did take it), or an error code
    string such as "21211" (REFUSED). ``fail_next`` is a count of "down".
    """

    name = "memory"
    outbox: ClassVar[list[dict[str, str]]] = []
    taken: ClassVar[list[dict[str, str]]] = []  # what the "provider" holds, incl. timed out
    script: ClassVar[list[str]] = []
    fail_next: ClassVar[int] = 0
    lookups: ClassVar[int] = 0
    _lock = threading.Lock()

    def send(self, *, to: str, body: str, callback_url: str) -> SendResult:
        with MemoryBackend._lock:
            step = MemoryBackend.script.pop(0) if MemoryBackend.script else ""
            if not step and MemoryBackend.fail_next:
                MemoryBackend.fail_next -= 1
                step = "down"
            if step == "down":
                return SendResult(Outcome.NOT_SENT, detail="simulated provider outage")
            if step == "timeout":
                return SendResult(Outcome.UNKNOWN, detail="simulated timeout")
            if step.isdigit():
                return SendResult(Outcome.REFUSED, error_code=step, detail="simulated refusal")
            provider_id = f"mem-{len(MemoryBackend.taken) + 1}"
            record = {"to": to, "body": body, "id": provider_id, "callback": callback_url}
            MemoryBackend.taken.append(record)
            MemoryBackend.outbox.append({"to": to, "body": body})  # what the person receives
            if step == "timeout-taken":
                return SendResult(Outcome.UNKNOWN, detail="simulated timeout after taking it")
            return SendResult(Outcome.SENT, provider_id=provider_id)

    def find(self, *, to, body, since, exclude=frozenset()) -> str | None:
        with MemoryBackend._lock:
            MemoryBackend.lookups += 1
            for record in MemoryBackend.taken:
                if record["id"] in exclude:
                    continue
                if record["to"] == to and record["body"] == body:
                    return record["id"]
        return None

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()
        cls.taken.clear()
        cls.script.clear()
        cls.fail_next = 0
        cls.lookups = 0


def get_backend() -> Backend:
    path = settings.SPORTELLO["SMS_BACKEND"]
    return _backend_class(path)()


_classes: dict[str, type] = {}


def _backend_class(path: str) -> type:
    if path not in _classes:
        _classes[path] = import_string(path)
    return _classes[path]
