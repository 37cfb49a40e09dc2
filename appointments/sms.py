"""SMS backends, chosen by ``SPORTELLO["SMS_BACKEND"]``. Tests use the in-memory one."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from core.phones import phone_pseudonym

logger = logging.getLogger("appointments.sms")


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = "sent"


class SMSBackend(Protocol):
    name: str

    def send(self, *, to: str, body: str) -> SendResult: ...


class ConsoleBackend:
    """Writes each message to the server log (the phone pseudonymised): `make demo` shows codes."""

    name = "console"

    def send(self, *, to: str, body: str) -> SendResult:
        provider_id = f"console-{uuid.uuid4().hex[:12]}"
        logger.warning("SMS %s to %s: %s", provider_id, phone_pseudonym(to), body)
        return SendResult(provider_id=provider_id)


class MemoryBackend:
    """Keeps messages in a list for tests to read; ``fail_next`` makes the next sends fail."""

    name = "memory"
    outbox: ClassVar[list[dict[str, str]]] = []
    fail_next: ClassVar[int] = 0

    def send(self, *, to: str, body: str) -> SendResult:
        if MemoryBackend.fail_next:
            MemoryBackend.fail_next -= 1
            raise ConnectionError("simulated provider outage")
        MemoryBackend.outbox.append({"to": to, "body": body})
        return SendResult(provider_id=f"mem-{len(MemoryBackend.outbox)}")

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()
        cls.fail_next = 0


def get_backend() -> SMSBackend:
    return import_string(settings.SPORTELLO["SMS_BACKEND"])()
