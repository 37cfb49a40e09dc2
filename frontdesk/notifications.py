"""The front desk's text: "your turn is near", with a link to the live position.

Rendered when sent, from the ticket as it is then: a ticket already called, ended or
moved to another queue gets nothing. Never names the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontdesk.models import Ticket, TicketStatus
from messaging import kinds, sealing
from messaging.models import Message
from messaging.notifications import signed
from messaging.outbox import message_queue

TURN_NEAR = "turn_near"


def position_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/t/{token}"


def notify_turn_near(*, ticket: Ticket, token: str, ahead: int, now: datetime) -> None:
    desk = ticket.queue.desk
    message_queue(
        kind=TURN_NEAR,
        to=ticket.phone,
        language=ticket.language or "it",
        dedupe_key=f"ticket:{ticket.pk}:near",
        params={"ticket": ticket.pk, "ahead": ahead},
        secrets={"token": token},
        reference=f"ticket:{ticket.pk}",
        scope=f"desk:{desk.pk}",
        time_zone=desk.time_zone,
        now=now,
    )


def _render(messages: Sequence[Message], now: datetime) -> dict[int, str | None]:
    tickets = Ticket.objects.select_related("queue__desk__city").in_bulk(
        [m.params.get("ticket") for m in messages if m.params.get("ticket")]
    )
    texts: dict[int, str | None] = {}
    for message in messages:
        ticket = tickets.get(message.params.get("ticket"))
        if ticket is None or ticket.status != TicketStatus.WAITING:
            texts[message.pk] = None  # called, ended or moved on already
            continue
        token = sealing.unseal(message.secrets)["token"]
        with translation.override(message.language):
            body = _(
                "Your number %(ticket)s is near: %(ahead)s before you. Please come back to the desk. %(url)s"
            ) % {
                "ticket": ticket.label,
                "ahead": message.params.get("ahead", 0),
                "url": position_url(token),
            }
        texts[message.pk] = signed(ticket.queue.desk.city.name, body)
    return texts


kinds.register(TURN_NEAR, label=gettext_lazy("your turn is near"), render=_render)
