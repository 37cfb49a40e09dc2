"""Texts people send to us: the opt-out keywords, and one short answer to anything else."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.phones import phone_normalize
from core.ratelimit import RateLimited, rate_limit_hit
from messaging import kinds, optouts
from messaging.outbox import message_queue

logger = logging.getLogger(__name__)
SEEN_FOR = 7 * 24 * 3600  # seconds a provider's message id is remembered


def _first_time(message_sid: str) -> bool:
    try:
        return cache.add(f"inbound-sid:{message_sid}", 1, timeout=SEEN_FOR)
    except Exception:  # the cache is down: handled (keywords are idempotent anyway)
        return True


# Twilio's default keywords (it blocks and answers them itself); matched on the whole text.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "YES", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}


def inbound_receive(
    *, sender: str, body: str, opt_out_type: str = "", message_sid: str = "", now: datetime
) -> str:
    """What a text from ``sender`` did: opted_out, opted_in, help, answered or ignored.

    Each of the provider's messages counts once: a webhook retried, or a signed request
    captured and replayed (to opt a number back in), changes nothing the second time."""
    if message_sid and not _first_time(message_sid):
        return "ignored"
    try:
        phone = phone_normalize(sender)
    except ValidationError:
        return "ignored"  # a short code or a sender we could never answer
    word = " ".join(body.split()).upper()
    opt_out_type = opt_out_type.upper()
    if opt_out_type == "STOP" or word in STOP_WORDS:
        optouts.opt_out(phone)
        return "opted_out"
    if opt_out_type == "START" or word in START_WORDS:
        optouts.opt_in(phone)
        return "opted_in"
    if opt_out_type == "HELP" or word in HELP_WORDS:
        return "help"  # the provider answers HELP itself
    if optouts.is_opted_out(phone):
        return "ignored"
    try:  # never an endless conversation with another machine, nor a bill
        rate_limit_hit(scope="sms-reply", ident="all")
    except RateLimited:
        logger.warning("answers to inbound texts are over their limit: not answered")
        return "ignored"
    reply = kinds.reply_for(phone) or {"kind": "reply", "language": "it", "params": {}}
    key = optouts.phone_key(phone)[:20]
    message_queue(
        to=phone,
        # One answer a day to a number, whatever it sends.
        dedupe_key=f"reply:{key}:{now.date().isoformat()}",
        now=now,
        **reply,
    )
    return "answered"
