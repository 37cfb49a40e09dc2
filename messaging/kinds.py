"""The kinds of message, registered by the apps that own their wording.

A kind renders a batch of its messages at send time (``now`` is the sender's clock) (one query for the batch, not one per
message): each text, or None when the message no longer makes sense (the booking was
cancelled or moved) and must not be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from messaging.models import Message

Renderer = Callable[[Sequence["Message"], datetime], dict[int, "str | None"]]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    render: Renderer
    quiet_hours: bool = True  # False only for phone codes, which a person is waiting for


_KINDS: dict[str, Kind] = {}


def register(name: str, *, label, render: Renderer, quiet_hours: bool = True) -> None:
    _KINDS[name] = Kind(name=name, label=label, render=render, quiet_hours=quiet_hours)


def kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no message kind {name!r} is registered") from None


def kinds() -> dict[str, Kind]:
    return dict(_KINDS)


# Who answers an inbound text that is not a keyword: a domain app registers a function
# (phone) -> dict of message_queue arguments (kind, language, params, scope, time_zone)
# or None. The last registered wins; without one, messaging's own generic answer goes.
_reply_builders: list[Callable[[str], dict | None]] = []


def register_reply(builder: Callable[[str], dict | None]) -> None:
    _reply_builders.append(builder)


def reply_for(phone: str) -> dict | None:
    for builder in reversed(_reply_builders):
        reply = builder(phone)
        if reply:
            return reply
    return None
