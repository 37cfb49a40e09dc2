"""The Twilio backend, through the official client (``twilio``).

Settings in ``SPORTELLO["TWILIO"]``: ACCOUNT_SID, AUTH_TOKEN, MESSAGING_SERVICE_SID or FROM
(a sender number), PUBLIC_URL (the public base URL Twilio calls back and signs), TIMEOUT,
and API_BASE (only to point the client at a local fake Twilio in benchmarks).

Twilio's API has no idempotency key, so a send whose answer was lost (a timeout, a 5xx) is
UNKNOWN: before any new try the sender asks ``find`` whether Twilio has it.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from messaging.backends import Outcome, SendResult

logger = logging.getLogger("messaging.twilio")

TWILIO_API = "https://api.twilio.com"
# Twilio's answers that mean "never to this number"; each marks the number.
REFUSAL_CODES = {
    "21211",  # not a valid phone number
    "21614",  # not a mobile number (a landline)
    "21610",  # the number sent STOP
    "21612",  # not reachable by SMS
}


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP layer (requests), sent to another base URL when one is set."""

    def __init__(self, *, api_base: str = "", **kwargs):
        super().__init__(**kwargs)
        self.api_base = api_base.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if self.api_base and url.startswith(TWILIO_API):
            url = self.api_base + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def twilio_settings() -> dict:
    return settings.SPORTELLO["TWILIO"]


_local = threading.local()


class TwilioBackend:
    name = "twilio"
    # Tests replace only the HTTP layer: a callable returning a twilio HttpClient.
    http_client_factory = None

    def __init__(self):
        self.conf = twilio_settings()

    @property
    def client(self) -> Client:
        """One client (and one pool of connections) per thread and configuration."""
        key = (self.conf["ACCOUNT_SID"], self.conf["AUTH_TOKEN"], self.conf.get("API_BASE", ""))
        key += (TwilioBackend.http_client_factory,)
        cached = getattr(_local, "clients", {})
        if key not in cached:
            factory = TwilioBackend.http_client_factory
            http = (
                factory()
                if factory
                else RebasedHttpClient(
                    api_base=self.conf.get("API_BASE", ""), timeout=self.conf.get("TIMEOUT", 10)
                )
            )
            cached[key] = Client(
                self.conf["ACCOUNT_SID"], self.conf["AUTH_TOKEN"], http_client=http
            )
            _local.clients = cached
        return cached[key]

    def send(self, *, to: str, body: str, callback_url: str) -> SendResult:
        sender = (
            {"messaging_service_sid": self.conf["MESSAGING_SERVICE_SID"]}
            if self.conf.get("MESSAGING_SERVICE_SID")
            else {"from_": self.conf["FROM"]}
        )
        try:
            message = self.client.messages.create(
                to=to, body=body, status_callback=callback_url, **sender
            )
        except TwilioRestException as exc:
            return _refusal(exc)
        except requests.exceptions.ConnectTimeout as exc:  # never connected: nothing sent
            return SendResult(Outcome.NOT_SENT, detail=type(exc).__name__)
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                return SendResult(Outcome.NOT_SENT, detail=type(exc).__name__)
            return SendResult(Outcome.UNKNOWN, detail=type(exc).__name__)
        except Exception as exc:  # a timeout while reading, or anything unforeseen
            logger.warning("Twilio send ended unclearly: %s", type(exc).__name__)
            return SendResult(Outcome.UNKNOWN, detail=type(exc).__name__)
        return SendResult(Outcome.SENT, provider_id=message.sid)

    def find(
        self, *, to: str, body: str, since: datetime, exclude: frozenset[str] = frozenset()
    ) -> str | None:
        """Twilio lists a number's messages newest first; ours is the one with our text
        (the exact text: link shortening must stay off in the Messaging Service)."""
        since = since - timedelta(minutes=5)  # clocks differ a little
        for message in self.client.messages.list(to=to, limit=50):
            created = message.date_created
            if (created is not None and created < since) or message.sid in exclude:
                continue
            if message.body == body and (message.direction or "").startswith("outbound"):
                return message.sid
        return None


def _refusal(exc: TwilioRestException) -> SendResult:
    code = str(exc.code or "")
    detail = f"HTTP {exc.status} code {code}"
    if exc.status == 429:
        return SendResult(Outcome.NOT_SENT, error_code=code, detail=detail)
    if exc.status >= 500:
        return SendResult(Outcome.UNKNOWN, error_code=code, detail=detail)
    if code in REFUSAL_CODES:
        return SendResult(Outcome.REFUSED, error_code=code, detail=detail)
    # Our side (credentials, sender, region permissions): retried until it is fixed or
    # the message gives up, and visible as a technical failure.
    logger.error("Twilio refused a message: %s", detail)
    return SendResult(Outcome.NOT_SENT, error_code=code, detail=detail)


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    text = repr(exc)
    return "NewConnectionError" in text or "Connection refused" in text
