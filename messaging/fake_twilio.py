"""A fake of Twilio's Messages API, for tests and benchmarks: never the network.

It answers what Sportello asks (create a message, list a number's messages) as Twilio
does, in JSON, and can be told to fail: ``script`` plays the next answers ("500", "429",
"timeout" before or "timeout-after-create" after taking the message, an error code such as
"21211"), ``fail_rate`` fails that share of requests with a 500 at random.

Two ways in: ``FakeTwilioHttpClient`` replaces only the twilio client's HTTP layer (tests),
and ``serve()`` runs it as a real HTTP server in its own process (benchmarks), to which the
real client and its real HTTP layer (requests) talk.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests
from twilio.http import HttpClient
from twilio.http.response import Response

MESSAGES_PATH = "/Messages.json"


class FakeTimeout(Exception):
    """The fake's answer was lost (the client sees a read timeout)."""


class FakeTwilio:
    def __init__(self, *, fail_rate: float = 0.0, seed: int | None = None):
        self.messages: list[dict] = []
        self.script: list[str] = []
        self.fail_rate = fail_rate
        self.requests = 0
        self.creates = 0
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def handle(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
        with self._lock:
            self.requests += 1
            step = self.script.pop(0) if self.script else ""
            if not step and self.fail_rate and self._random.random() < self.fail_rate:
                step = "500"
        if step == "timeout":
            raise FakeTimeout()
        if step in ("500", "503"):
            return int(step), _error(int(step), 20500, "Internal Server Error")
        if step == "429":
            return 429, _error(429, 20429, "Too Many Requests")
        if not path.endswith(MESSAGES_PATH):
            return 404, _error(404, 20404, "The requested resource was not found")
        if method == "GET":
            return 200, self._list(query)
        if step.isdigit():
            return 400, _error(400, int(step), "The 'To' number is not valid.")
        message = self._create(form)
        if step == "timeout-after-create":
            raise FakeTimeout()
        return 201, message

    def _create(self, form: dict) -> dict:
        now = datetime.now(UTC)
        message = {
            "sid": "SM" + uuid.uuid4().hex,
            "to": form.get("To", ""),
            "from": form.get("From", ""),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body", ""),
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "date_created": format_datetime(now),
            "date_updated": format_datetime(now),
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "status_callback": form.get("StatusCallback", ""),
        }
        with self._lock:
            self.messages.append(message)
            self.creates += 1
        return message

    def _list(self, query: dict) -> dict:
        to = query.get("To")
        with self._lock:
            found = [m for m in reversed(self.messages) if not to or m["to"] == to]
        size = int(query.get("PageSize", 50))
        return {
            "messages": found[:size],
            "page": 0,
            "page_size": size,
            "first_page_uri": "",
            "next_page_uri": None,
            "previous_page_uri": None,
            "uri": "",
        }

    def bodies_to(self, to: str) -> list[str]:
        return [m["body"] for m in self.messages if m["to"] == to]


def _error(status: int, code: int, message: str) -> dict:
    return {"code": code, "message": message, "more_info": "", "status": status}


class FakeTwilioHttpClient(HttpClient):
    """The twilio client's HTTP layer, answered by a FakeTwilio in this process."""

    def __init__(self, fake: FakeTwilio):
        super().__init__(logger=None, is_async=False)
        self.fake = fake

    def request(
        self,
        method,
        url,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        query = {k: str(v) for k, v in (params or {}).items()}
        form = {k: str(v) for k, v in (data or {}).items()}
        try:
            status, payload = self.fake.handle(method.upper(), urlsplit(url).path, query, form)
        except FakeTimeout:
            raise requests.exceptions.ReadTimeout("fake Twilio did not answer in time") from None
        return Response(status, json.dumps(payload))


def serve(*, port: int = 0, fail_rate: float = 0.0, seed: int | None = None):
    """A threaded HTTP server on 127.0.0.1 answering as Twilio; returns (server, fake)."""
    fake = FakeTwilio(fail_rate=fail_rate, seed=seed)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, method: str):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            try:
                status, payload = fake.handle(method, parts.path, query, form)
            except FakeTimeout:
                self.close_connection = True  # the client's read times out or is reset
                return
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self._answer("GET")

        def do_POST(self):
            self._answer("POST")

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server, fake


if __name__ == "__main__":  # python -m messaging.fake_twilio PORT [FAIL_RATE]
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    http_server, state = serve(port=port, fail_rate=rate, seed=1)
    with contextlib.suppress(KeyboardInterrupt):
        http_server.serve_forever()
