"""Messaging's own texts: the phone code, and the answer to a text that is not a keyword.

Every text begins with "Sportello" and the city (alphanumeric senders are one-way in
Italy, so the text itself must say who writes) and never names the kind of service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messaging import kinds, sealing
from messaging.models import Message


def signed(city: str, text: str) -> str:
    """The text under the sender's name: "Sportello Torino: ..."."""
    sender = f"Sportello {city}".strip() if city else "Sportello"
    return f"{sender}: {text}"


def render_code(messages: Sequence[Message], now: datetime) -> dict[int, str | None]:
    texts = {}
    for message in messages:
        code = sealing.unseal(message.secrets).get("code")
        if not code:  # blanked: the message is final, there is nothing more to send
            texts[message.pk] = None
            continue
        with translation.override(message.language):
            body = _("Your code is %(code)s. It is valid for %(minutes)s minutes.") % {
                "code": code,
                "minutes": message.params.get("minutes", 10),
            }
        texts[message.pk] = signed(message.params.get("city", ""), body)
    return texts


def render_reply(messages: Sequence[Message], now: datetime) -> dict[int, str | None]:
    texts = {}
    for message in messages:
        phone = message.params.get("desk_phone", "")
        with translation.override(message.language):
            body = (
                _("This number does not read messages. To speak to the desk, call %(phone)s.")
                % {"phone": phone}
                if phone
                else _("This number does not read messages.")
            )
        texts[message.pk] = signed(message.params.get("city", ""), body)
    return texts


kinds.register("code", label=gettext_lazy("phone code"), render=render_code, quiet_hours=False)
kinds.register("reply", label=gettext_lazy("answer to a text"), render=render_reply)
