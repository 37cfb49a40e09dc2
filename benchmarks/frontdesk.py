"""Front desk (issue 8): call-next with 500 waiting, call-to-screen latency, 100 waiting-room
screens polling, and 50 operators working their consoles at once.

    .venv/bin/pip install gunicorn   # once: the WSGI server of docs/deployment.md, installed
                                     # into the venv for this benchmark only (not a dependency)
    .venv/bin/python benchmarks/frontdesk.py [--scenario callnext|latency|display|console|all]
        [--databases postgres sqlite] [--runs 100] [--waiting 500]
        [--calls 40] [--gap 0.5 3.0] [--latency-screens 0]
        [--screens 100] [--duration 20]
        [--operators 50] [--console-duration 60] [--think 0.5 1.5] [--think 0 0]
        [--workers 3] [--json out.json] [--keep]

Needs PostgreSQL (user postgres, trust) and Redis on 127.0.0.1 and talks to nothing else.
Every scenario runs in a child process of its own (``--child``) on a fresh PostgreSQL
database ``sportello_bench_desk`` copied from ``sportello_bench_desk_template`` (migrated
once per invocation; both dropped at the end, no other database is touched) and Redis db 13
(``FLUSHDB`` of that db only), or on a temporary SQLite file. Settings: ``config.settings.dev``
with ``DEBUG=false`` (as the messaging benchmark and ``make demo``), ``DATABASE_URL`` (which
keeps connections 60 s, as production does) and ``REDIS_URL`` (cache and task broker);
SQLite runs without Redis (local-memory cache, ORM broker), as ``make demo`` does. The
production settings are not used: they serve static URLs from collectstatic's manifest
(which would have to be written into the checkout) and set secure cookies, which a client
speaking plain HTTP on 127.0.0.1 does not send back; the middleware, the database settings
and the cache are the same.

The data (``populate``): desks on an ``Etc/GMT±N`` time zone whose clock shows 12:xx (so that
a day's tickets never cross midnight), each with 3 services (3 queues, letters A-C, walk-in
quota raised to 30,000), counters serving all 3 queues, one operator per counter (staff of
that desk, in the "Operators" group), a screen token, 30 confirmed bookings later today not
yet arrived, and a line of waiting tickets issued through the services with arrivals spread
over the last 3 hours: 12 % booked visitors on time (their time came in the last 14 minutes:
called first), 12 % booked for later today who checked in early (waiting, not callable yet),
6 % booked visitors who came late (queue as walk-ins), 10 % walk-ins flagged for priority,
60 % walk-ins (one in ten with a phone number, so "your turn is near" texts are queued), in
the three queues 50/30/20.

Scenarios:

``callnext`` (in process, per database): one desk, one counter serving its 3 queues, 500
tickets waiting. Each run fetches the counter as the view does (outside the timing), times
``services.call_next(counter=...)``, then starts and finishes that ticket and issues one new
walk-in (not timed), so that 500 are always waiting; ``--runs`` runs after 5 warm-ups, split
too into the calls that queued a "your turn is near" text and those that did not (the texts
are counted outside the timing); the SQL queries of the warm-ups and of 20 more calls are
counted with ``CaptureQueriesContext`` (not around the timed calls). Then the same through the
whole middleware stack: ``POST /desk/<id>/call-next/`` with Django's test Client (logged in,
gzip accepted), and the console page itself (full GET, and the background refresh with
``Sportello-Refresh: 1`` and the page's ETag), each with its query count.

``latency``: gunicorn (``--workers 3``, sync workers, as docs/deployment.md) on 127.0.0.1 and
the server data below. One screen polls ``/display/<token>/calls.json`` as static/js/display.js
does: the next request 1 s after the previous answer, with ``If-None-Match`` from the last
ETag (what a browser's ``fetch`` with ``cache: "no-cache"`` sends). This process calls the next
ticket of one of the desk's counters ``--calls`` times, at random moments (uniform gaps of
``--gap`` seconds: any phase of the poll), through the service on the same database; latency =
from the moment ``call_next`` returned (its transaction committed) to the moment the screen
client has read the answer holding the new label. ``--latency-screens N`` adds N other screens
polling the same way meanwhile.

``display``: the same server, ``--screens`` clients (threads, http.client, gzip accepted, 10
per desk), each for ``--duration`` seconds: (1) "304": no pause between requests, the
desk's current ETag in ``If-None-Match``, nothing called (every answer a 304); (2) "200": no
pause, no ``If-None-Match``, a call made every second (every answer a 200); (3) "paced": each
screen as display.js (1 s after the answer, the last ETag), a call every 2 s. Requests per
second, the clients' latency and the server's own time per request (gunicorn's access log,
``%(D)s``) are reported; the server keeps up when the paced run reaches 90 % of 100 polls a
second.

``console``: the same server, 10 desks x 5 counters, ``--operators`` operators (one per
counter, logged in with ``force_login``: a session cookie each, no password hashing), 100
tickets waiting per desk. Each operator first opens its console with ``?counter=`` (not
counted), then loops until the end of ``--console-duration``: background refresh (GET with
``Sportello-Refresh: 1`` and ``If-None-Match``), POST call-next, POST start, background
refresh, POST finish, POST walk-in (one in ten with a phone, one in ten priority), each POST
with the CSRF cookie and ``X-CSRFToken`` and followed, as a browser does, by the GET of the
console page it redirects to: 10 requests a visit. Before every step the operator waits a
think time drawn from ``--think LOW HIGH`` seconds (uniform); ``--think 0 0`` is the stress
run, everyone clicking without pause. Errors: any status other than 200, 302 or 304, a
redirect to the login page, or a failed connection. The target applies to runs with a think
time.

For each run the CPU seconds of gunicorn, PostgreSQL, Redis, this process (the clients) and
anything else on the machine are read from /proc; a run during which other processes took
more than a tenth of a CPU is run again once (``--rerun-if-busy``), and each waits first
(``--idle-wait``) for the machine to be idle. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_common import (  # noqa: E402
    PG_PORT,
    PG_URL,
    CpuWindow,
    free_port,
    machine,
    machine_ticks,
    pg,
    pg_version,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = "sportello_bench_desk"
TEMPLATE = f"{DB}_template"
REDIS_URL = "redis://127.0.0.1:6379/13"
GUNICORN = Path(sys.executable).parent / "gunicorn"
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({sportello-refresh}i)s"
OK_STATUSES = {200, 302, 304}

TARGET_CALL_NEXT_MS = 20
TARGET_LATENCY_S = 1.0


def _display_pause() -> float:
    """The pause static/js/display.js makes after each answer, read from the script itself,
    so the benchmark's screens poll as the real ones do."""
    script = (ROOT / "static" / "js" / "display.js").read_text()
    return int(re.search(r"setTimeout\(poll, (\d+)\)", script).group(1)) / 1000


POLL_PAUSE_S = _display_pause()
TARGET_SCREENS = 100  # screens, each polling once a second
TARGET_CONSOLE_P95_MS = 300


# --- Small helpers ---------------------------------------------------------------------------


def pct(values, share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1); 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


CODE = [
    "frontdesk/services.py",
    "frontdesk/selectors.py",
    "frontdesk/views.py",
    "frontdesk/models.py",
    "core/middleware.py",
    "templates/frontdesk/console.html",
    "static/js/console.js",
    "static/js/display.js",
]


def code_fingerprint() -> dict[str, str]:
    """The measured code (a SHA-256 prefix of each file): the figures belong to these."""
    import hashlib

    return {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest()[:12] for name in CODE}


def services_check(need_gunicorn: bool) -> None:
    for name, port in (("PostgreSQL", int(PG_PORT)), ("Redis", 6379)):
        try:
            socket.create_connection(("127.0.0.1", port), 2).close()
        except OSError:
            sys.exit(f"frontdesk.py needs {name} on 127.0.0.1:{port}")
    if need_gunicorn and not GUNICORN.exists():
        sys.exit(f"{GUNICORN} is missing: .venv/bin/pip install gunicorn (benchmark only)")


def child_env(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",  # what manage.py and make demo use
        "DEBUG": "false",  # dev turns DEBUG on, which keeps every query in memory
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at",  # WhiteNoise: no collectstatic here
    }
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
    else:
        env.update(DATABASE_URL=PG_URL + DB, REDIS_URL=REDIS_URL)
    return env


def template_create() -> float:
    start = time.perf_counter()
    pg("dropdb", "--if-exists", "--force", TEMPLATE)
    pg("createdb", TEMPLATE)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env={**child_env("postgres"), "DATABASE_URL": PG_URL + TEMPLATE},
        check=True,
    )
    return time.perf_counter() - start


def databases_drop() -> None:
    pg("dropdb", "--if-exists", "--force", DB)
    pg("dropdb", "--if-exists", "--force", TEMPLATE)


def redis_flush() -> None:
    import redis

    redis.from_url(REDIS_URL).flushdb()  # db 13 only


# --- CPU of the processes taking part ------------------------------------------------------


def wait_until_idle(limit: float, most: float = 25.0) -> float:
    """Waits (up to ``limit`` s) until the machine is busy less than ``most`` % over 3 s."""
    deadline = time.monotonic() + limit
    while True:
        m0 = machine_ticks()
        time.sleep(3)
        m1 = machine_ticks()
        busy = 100 * (m1[0] - m0[0]) / max(m1[1] - m0[1], 1)
        if busy < most or time.monotonic() >= deadline:
            return round(busy, 1)


# --- Data ------------------------------------------------------------------------------------


def midday_zone(now: datetime) -> str:
    """An IANA zone whose clock shows 12:xx now (``Etc/GMT-N`` is N hours ahead of UTC)."""
    offset = 12 - now.astimezone(UTC).hour
    zone = "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"
    assert now.astimezone(ZoneInfo(zone)).hour == 12, zone
    return zone


SERVICES = (
    ("legal", "Consulenza legale"),
    ("health", "Accoglienza sanitaria"),
    ("housing", "Casa"),
)
QUEUE_WEIGHTS = (5, 3, 2)


def populate(
    *, desks: int, counters: int, waiting: int, bookings: int = 30, seed: int = 8
) -> list[dict]:
    """``desks`` desks as described in the module docstring; returns, per desk, its ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from wagtail.models import Locale

    from appointments.models import City, Desk, Offering, Service
    from frontdesk import services
    from frontdesk.models import Counter, Queue

    rng = random.Random(seed)
    now = timezone.now()
    zone = midday_zone(now)
    locale = Locale.objects.get_or_create(language_code="it")[0]
    city = City.objects.create(name="Perugia", slug="perugia")
    kinds = [
        Service.objects.create(name=name, slug=slug, kind=slug, locale=locale)
        for slug, name in SERVICES
    ]
    operators = Group.objects.filter(name="Operators").first()
    users = get_user_model()
    layout = []
    for d in range(desks):
        desk = Desk.objects.create(
            city=city, name=f"Sportello {d + 1}", address="Piazza Grande 1", time_zone=zone
        )
        offerings = [
            Offering.objects.create(desk=desk, service=s, capacity=1, duration_minutes=20)
            for s in kinds
        ]  # each makes its queue (frontdesk.apps)
        Queue.objects.filter(desk=desk).update(walk_in_quota=30_000)
        queues = list(Queue.objects.filter(desk=desk).order_by("letter"))
        desk_counters, desk_operators = [], []
        for c in range(counters):
            counter = Counter.objects.create(desk=desk, name=f"Sala {c + 1}")
            counter.queues.set(queues)
            user = users.objects.create_user(f"op{d + 1}-{c + 1}", password=None, is_staff=True)
            desk.staff.add(user)
            if operators:
                user.groups.add(operators)
            desk_counters.append(counter.pk)
            desk_operators.append(user.pk)
        line_issue(desk, offerings, queues, waiting, bookings, now, rng, prefix=f"D{d + 1:02d}")
        layout.append(
            {
                "desk": desk.pk,
                "token": services.display_renew(desk=desk),
                "queues": [q.pk for q in queues],
                "counters": desk_counters,
                "operators": desk_operators,
            }
        )
    return layout


def line_issue(desk, offerings, queues, count, bookings, now, rng, prefix) -> None:
    """``count`` waiting tickets through the services (see the module docstring), and
    ``bookings`` confirmed visits later today that have not arrived yet."""
    from appointments.models import Appointment
    from frontdesk import services

    minute = timedelta(minutes=1)
    shares = {"on_time": 0.12, "early": 0.12, "late": 0.06, "priority": 0.10}
    plan = []  # (arrival, kind, queue index, booking start)
    for kind, share in shares.items():
        for _ in range(round(count * share)):
            plan.append([kind])
    plan += [["walk_in"] for _ in range(count - len(plan))]
    for row in plan:
        kind = row[0]
        q = rng.choices(range(len(queues)), weights=QUEUE_WEIGHTS)[0]
        start = None
        if kind == "on_time":
            start = now - rng.uniform(0, 14) * minute
            arrival = start - rng.uniform(0, 20) * minute
        elif kind == "early":
            start = now + rng.uniform(10, 150) * minute
            arrival = now - rng.uniform(0, 30) * minute
        elif kind == "late":
            start = now - rng.uniform(40, 150) * minute
            arrival = start + rng.uniform(20, 35) * minute
        else:
            arrival = now - rng.uniform(0, 180) * minute
        row[:] = [arrival, kind, q, start]
    used: set = set()

    def booking(q: int, start: datetime, n: int) -> Appointment:
        offering = offerings[q]
        start = start.replace(microsecond=0)
        while (q, start) in used:  # one seat per slot: distinct starts
            start += timedelta(seconds=1)
        used.add((q, start))
        return Appointment(
            offering=offering,
            start=start,
            end=start + timedelta(minutes=20),
            seat=1,
            slot_capacity=1,
            phone=f"+39347{rng.randrange(10**7):07d}",
            language="it",
            interpreter_language="ar" if n % 20 == 0 else "",
            code=f"{prefix}{n:05d}",
            status=Appointment.Status.CONFIRMED,
            confirmed_at=now - timedelta(days=2),
        )

    booked = [booking(q, start, n) for n, (_a, _k, q, start) in enumerate(plan) if start]
    later = [
        booking(rng.randrange(len(queues)), now + rng.uniform(60, 170) * minute, len(plan) + n)
        for n in range(bookings)
    ]
    Appointment.objects.bulk_create(booked + later)
    by_code = {a.code: a for a in Appointment.objects.filter(code__startswith=prefix)}
    codes = iter(a.code for a in booked)
    issued = []
    for arrival, kind, q, start in plan:
        issued.append((arrival, kind, q, by_code[next(codes)] if start else None))
    for arrival, kind, q, appointment in sorted(issued, key=lambda row: row[0]):
        if appointment is not None:
            services.check_in(appointment=appointment, now=arrival)
        else:
            phone = f"+39348{rng.randrange(10**7):07d}" if rng.random() < 0.1 else ""
            services.walk_in_issue(
                queue=queues[q],
                now=arrival,
                priority=kind == "priority",
                phone=phone,
                language="it" if phone else "",
            )


def ticket_free(counter_pk: int) -> None:
    """The counter's current ticket, if any, started and finished (the counter is free)."""
    from frontdesk import services
    from frontdesk.models import Ticket, TicketStatus

    for ticket in Ticket.objects.filter(
        counter_id=counter_pk, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
    ):
        if ticket.status == TicketStatus.CALLED:
            ticket = services.start(ticket=ticket)
        services.finish(ticket=ticket)


def walk_in_feed(queue_pks: list[int], rng: random.Random) -> None:
    from frontdesk import services
    from frontdesk.models import Queue

    services.walk_in_issue(queue=Queue.objects.get(pk=rng.choice(queue_pks)))


def call_once(counter_pk: int):
    """Frees the counter, then calls its next ticket; returns (ticket, the moment
    ``call_next`` returned, after its commit)."""
    from frontdesk import services
    from frontdesk.models import Counter

    ticket_free(counter_pk)
    counter = Counter.objects.get(pk=counter_pk)  # as the view finds it: desk not joined
    ticket = services.call_next(counter=counter)
    return ticket, time.perf_counter()


# --- HTTP clients (http.client: cheap, and exactly the headers a browser sends) -------------


class Answer:
    __slots__ = ("status", "headers", "body", "started", "seconds")

    def __init__(self, status, headers, body, started, seconds):
        self.status, self.headers, self.body = status, headers, body
        self.started, self.seconds = started, seconds


class Connection:
    """One client's connection, opened again when the server closes it (gunicorn's sync
    workers answer with ``Connection: close``)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, headers: dict, body: bytes | None = None) -> Answer:
        started = time.perf_counter()
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt or method != "GET":
                    raise
                continue
            seconds = time.perf_counter() - started
            if response.will_close:
                self.conn.close()
                self.conn = None
            if response.getheader("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
            return Answer(response.status, response.headers, data, started, seconds)
        raise AssertionError("unreachable")


class Browser:
    """A logged-in operator's browser: cookies (kept as sent), gzip, CSRF header on POST."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.http = Connection(port)
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, headers=None, form=None) -> Answer:
        sent = {"Accept-Encoding": "gzip", "Accept": "text/html", **(headers or {})}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = self.http.send(method, path, sent, body)
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or (not morsel.value and morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return answer


# --- The server ------------------------------------------------------------------------------


class Server:
    """gunicorn on 127.0.0.1 with an access log of each request's own time (``%(D)s``)."""

    def __init__(self, workers: int, logdir: Path, pidfile: Path | None):
        self.port = free_port()
        self.logdir = logdir
        self.access = logdir / "access.log"
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                str(self.access),
                "--access-logformat",
                ACCESS_FORMAT,
                "--error-logfile",
                str(logdir / "gunicorn.log"),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=child_env("postgres"),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if pidfile:
            pidfile.write_text(str(self.process.pid))
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if Connection(self.port).send("GET", "/healthz", {}).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        # Every worker imports Django on its first request: warm them all up.
        for _ in range(workers * 4):
            Connection(self.port).send("GET", "/healthz", {})

    def mark(self) -> int:
        return self.access.stat().st_size if self.access.exists() else 0

    def log(self, since: int) -> list[tuple[str, str, int, float, str]]:
        """(method, path, status, seconds, refresh header) of each request logged after
        ``since``."""
        time.sleep(0.2)  # the last lines
        with self.access.open() as f:
            f.seek(since)
            rows = []
            for line in f:
                parts = line.split()
                if len(parts) >= 5 and parts[3].isdigit():
                    rows.append((parts[0], parts[1], int(parts[2]), int(parts[3]) / 1e6, parts[4]))
            return rows

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_kind(method: str, path: str, refresh: str) -> str:
    if path.endswith("/calls.json"):
        return "display"
    if method == "POST":
        if path.endswith("/call-next/"):
            return "call-next"
        if path.endswith("/walk-in/"):
            return "walk-in"
        if "/tickets/" in path:
            return path.rstrip("/").rsplit("/", 1)[1]
    if method == "GET" and re.fullmatch(r"/desk/\d+/", path):
        return "refresh" if refresh == "1" else "console"
    return "other"


def measure(
    *, prepare, action, after, runs: int, warmup: int = 5, captured: int = 20, with_warmup=False
):
    """``action(prepare())`` timed ``runs`` times after ``warmup`` (only the action is timed,
    without capturing queries), then ``captured`` more times inside CaptureQueriesContext
    (the warm-ups too with ``with_warmup``); ``after(result)`` runs untimed after each.
    Returns (seconds, SQL lists)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, captures = [], []
    for i in range(warmup + runs + captured):
        argument = prepare()
        if warmup <= i < warmup + runs:
            start = time.perf_counter()
            result = action(argument)
            times.append(time.perf_counter() - start)
        else:
            with CaptureQueriesContext(connection) as capture:
                result = action(argument)
            if i >= warmup or with_warmup:
                captures.append([q["sql"] for q in capture.captured_queries])
        if after:
            after(result)
    return times, captures


def query_counts(captures: list[list[str]]) -> dict:
    """Queries per call as CaptureQueriesContext counts them (transaction statements
    included), the median over the captured calls, and without transaction statements."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    counts = sorted(len(sql) for sql in captures)
    statements = sorted(sum(not q.startswith(control) for q in sql) for sql in captures)
    return {
        "queries": counts[len(counts) // 2],
        "statements": statements[len(statements) // 2],
        "queries_min": counts[0],
        "queries_max": counts[-1],
        "queries_all": counts,
    }


def timing(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": ms(pct(values, 0.5)),
        "p95_ms": ms(pct(values, 0.95)),
        "max_ms": ms(max(values, default=0)),
    }


# --- Scenario: call-next in process ----------------------------------------------------------


def scenario_callnext(args, database: str) -> dict:
    from django.test import Client

    from frontdesk import services
    from frontdesk.models import Counter as DeskCounter
    from frontdesk.models import Ticket, TicketStatus
    from messaging.models import Message

    t0 = time.perf_counter()
    layout = populate(desks=1, counters=1, waiting=args.waiting)
    populate_s = time.perf_counter() - t0
    desk = layout[0]
    counter_pk, queues = desk["counters"][0], desk["queues"]
    rng = random.Random(1)

    def waiting_count() -> int:
        return Ticket.objects.filter(queue__in=queues, status=TicketStatus.WAITING).count()

    assert waiting_count() == args.waiting
    busy = wait_until_idle(args.idle_wait)
    cpu = CpuWindow().start()

    texts = []  # "your turn is near" texts each call queued (counted outside the timing)

    def counter_get():
        texts.append(-Message.objects.filter(kind="turn_near").count())
        return DeskCounter.objects.get(pk=counter_pk)  # as the view finds it

    def call(counter):
        ticket = services.call_next(counter=counter)
        assert ticket is not None
        return ticket

    def served(ticket) -> None:
        texts[-1] += Message.objects.filter(kind="turn_near").count()
        services.finish(ticket=services.start(ticket=ticket))
        walk_in_feed(queues, rng)  # 500 waiting again

    times, captures = measure(
        prepare=counter_get, action=call, after=served, runs=args.runs, with_warmup=True
    )
    assert waiting_count() == args.waiting
    timed_texts = texts[5 : 5 + args.runs]
    with_text = [t for t, n in zip(times, timed_texts, strict=True) if n]
    without_text = [t for t, n in zip(times, timed_texts, strict=True) if not n]
    captured_texts = texts[:5] + texts[5 + args.runs :]
    by_texts = {n: len(sql) for sql, n in zip(captures, captured_texts, strict=True)}
    fewest = min(captures, key=len)
    captures = captures[5:]  # the 20 after the timed calls

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(pk=desk["operators"][0]))
    url = f"/desk/{desk['desk']}/"
    client.get(f"{url}?counter={counter_pk}")

    def post(_):
        response = client.post(f"{url}call-next/", {"counter": counter_pk})
        assert response.status_code == 302, response.status_code
        return response

    def freed(_response) -> None:
        client.cookies.pop("messages", None)  # a browser's next page would show and drop it
        ticket_free(counter_pk)
        walk_in_feed(queues, rng)

    view_times, view_captures = measure(
        prepare=lambda: None, action=post, after=freed, runs=args.runs
    )
    assert waiting_count() == args.waiting
    page_times, page_captures = measure(
        prepare=lambda: None, action=lambda _: client.get(url), after=None, runs=20, captured=3
    )
    response = client.get(url)
    statuses = Counter()
    refresh_times, refresh_captures = measure(
        prepare=lambda: client.get(url)["ETag"],
        action=lambda etag: client.get(url, HTTP_SPORTELLO_REFRESH="1", HTTP_IF_NONE_MATCH=etag),
        after=lambda answer: statuses.update([answer.status_code]),
        runs=20,
        captured=3,
    )
    page_size = len(response.content)
    usage = cpu.stop()

    vendor = "PostgreSQL" if database == "postgres" else "SQLite"
    median = statistics.median(times) * 1000
    figures = {
        "waiting": args.waiting,
        "populate_s": round(populate_s, 1),
        "call_next": {**timing(times), **query_counts(captures)},
        "call_next_with_text": {**timing(with_text), "texts": sum(timed_texts)},
        "call_next_queries_by_texts_queued": by_texts,
        "call_next_without_text": {**timing(without_text), "queries": len(fewest)},
        "call_next_sql_fewest": fewest,
        "call_next_sql_most": max(captures, key=len),
        "view_post": {**timing(view_times), **query_counts(view_captures)},
        "console_get": {
            **timing(page_times),
            **query_counts(page_captures),
            "gzip_bytes": page_size,
            "sql": page_captures[-1],
        },
        "console_refresh": {
            **timing(refresh_times),
            **query_counts(refresh_captures),
            "statuses": dict(statuses),
        },
    }
    c, v = figures["call_next"], figures["view_post"]
    wt, wo = figures["call_next_with_text"], figures["call_next_without_text"]
    g, r = figures["console_get"], figures["console_refresh"]
    rows = [
        {
            "scenario": f"callnext ({vendor})",
            "figure": f"`call_next()`, {args.waiting} waiting in 3 queues, {args.runs} calls",
            "target": f"median < {TARGET_CALL_NEXT_MS} ms",
            "measured": f"median **{median:.1f} ms**, p95 {c['p95_ms']} ms; queries "
            f"{c['queries']} ({c['statements']} without BEGIN/SAVEPOINT/COMMIT), "
            f"{c['queries_min']}-{c['queries_max']} over 20 calls",
            "ok": median < TARGET_CALL_NEXT_MS,
        },
        {
            "scenario": f"callnext ({vendor})",
            "figure": "the same calls, split: those that queued a 'your turn is near' text / not",
            "target": "",
            "measured": f"{wt['n']} with a text: median {wt['p50_ms']} ms, p95 {wt['p95_ms']} ms "
            f"({by_texts.get(1, '?')} queries with one text); {wo['n']} without: median "
            f"{wo['p50_ms']} ms, p95 {wo['p95_ms']} ms ({wo['queries']} queries)",
            "ok": None,
        },
        {
            "scenario": f"callnext ({vendor})",
            "figure": "`POST /desk/<id>/call-next/` (test Client, whole middleware stack)",
            "target": "",
            "measured": f"median {v['p50_ms']} ms, p95 {v['p95_ms']} ms, {v['queries']} queries",
            "ok": None,
        },
        {
            "scenario": f"callnext ({vendor})",
            "figure": f"console page GET with {args.waiting} waiting (test Client)",
            "target": "",
            "measured": f"median {g['p50_ms']} ms, p95 {g['p95_ms']} ms, {g['queries']} queries, "
            f"{g['gzip_bytes'] / 1024:.1f} KB gzip",
            "ok": None,
        },
        {
            "scenario": f"callnext ({vendor})",
            "figure": "console background refresh, unchanged (test Client)",
            "target": "",
            "measured": f"median {r['p50_ms']} ms, p95 {r['p95_ms']} ms, {r['queries']} queries, "
            f"statuses {r['statuses']}",
            "ok": None,
        },
    ]
    return {"figures": figures, "rows": rows, "cpu": usage, "busy_before_pct": busy}


# --- Scenario: call-to-screen latency -------------------------------------------------------


def screen_poll(port: int, path: str, stop: threading.Event, seen: dict | None, polls: list):
    """One screen as static/js/display.js: the next request ``POLL_PAUSE_S`` after the
    answer, with the last ETag; ``seen`` gets the moment each label was first read."""
    conn, etag = Connection(port), None
    while not stop.is_set():
        headers = {"Accept-Encoding": "gzip", "Cache-Control": "no-cache"}
        if etag:
            headers["If-None-Match"] = etag
        try:
            answer = conn.send("GET", path, headers)
        except (OSError, http.client.HTTPException):
            polls.append((time.perf_counter(), 0.0, 0))
            stop.wait(1.0)
            continue
        done = answer.started + answer.seconds
        polls.append((answer.started, answer.seconds, answer.status))
        if answer.status == 200:
            etag = answer.headers.get("ETag") or etag
            calls = json.loads(answer.body)["calls"]
            if seen is not None:
                for call in calls:
                    seen.setdefault(call["label"], done)
        elif answer.status == 304:
            etag = answer.headers.get("ETag") or etag
        stop.wait(POLL_PAUSE_S)


def scenario_latency(args, server: Server, layout: list[dict]) -> dict:
    from django.db import connection

    rng = random.Random(2)
    desk = layout[0]
    path = f"/display/{desk['token']}/calls.json"
    busy = wait_until_idle(args.idle_wait)
    stop = threading.Event()
    seen: dict[str, float] = {}
    polls: list = []
    other_polls: list = []
    threads = [threading.Thread(target=screen_poll, args=(server.port, path, stop, seen, polls))]
    for i in range(args.latency_screens):
        other = layout[(i + 1) % len(layout)]
        other_path = f"/display/{other['token']}/calls.json"
        threads.append(
            threading.Thread(
                target=screen_poll, args=(server.port, other_path, stop, None, other_polls)
            )
        )
    mark = server.mark()
    cpu = CpuWindow(server.process.pid).start()
    for thread in threads:
        thread.start()
    time.sleep(2.5)
    made = []
    for i in range(args.calls):
        time.sleep(rng.uniform(*args.gap))
        ticket, committed = call_once(desk["counters"][i % len(desk["counters"])])
        assert ticket is not None
        made.append((ticket.label, committed))
        walk_in_feed(desk["queues"], rng)
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join()
    usage = cpu.stop()
    connection.close()
    log = [row for row in server.log(mark) if row[1] == path]

    missing = [label for label, _ in made if label not in seen]
    latencies = [seen[label] - committed for label, committed in made if label in seen]
    requests = [seconds for _start, seconds, status in polls if status]
    gaps = [b[0] - (a[0] + a[1]) for a, b in zip(polls, polls[1:], strict=False)]
    worst_request = max(requests, default=0)
    # Worst case: a call committed just after the server read the calls for one poll waits
    # for the rest of that request, the pause, and the whole next request.
    interval_needed = math.floor((TARGET_LATENCY_S - 2 * pct(requests, 0.99)) * 20) / 20
    statuses = Counter(status for _s, _x, status in polls)
    figures = {
        "calls": len(made),
        "seen": len(latencies),
        "missing": missing,
        "latency": {
            "median_s": round(statistics.median(latencies), 3) if latencies else None,
            "p95_s": round(pct(latencies, 0.95), 3),
            "max_s": round(max(latencies, default=0), 3),
            "min_s": round(min(latencies, default=0), 3),
        },
        "polls": len(polls),
        "poll_statuses": dict(statuses),
        "poll_request": timing(requests),
        "poll_pause_mean_s": round(statistics.mean(gaps), 4) if gaps else None,
        "server_time": timing([row[3] for row in log]),
        "other_screens": args.latency_screens,
        "other_polls": len(other_polls),
        "other_poll_request": timing([s for _a, s, st in other_polls if st]),
        "interval_for_max_under_1s": interval_needed,
        "worst_request_ms": ms(worst_request),
    }
    lat = figures["latency"]
    over = lat["max_s"] - TARGET_LATENCY_S
    screens = f", {args.latency_screens} other screens polling" if args.latency_screens else ""
    rows = [
        {
            "scenario": "latency",
            "figure": f"call-to-screen, {len(made)} calls at random moments, one screen polling "
            f"as display.js (1 s after each answer){screens}",
            "target": f"< {TARGET_LATENCY_S:.0f} s",
            "measured": f"median {lat['median_s']} s, p95 {lat['p95_s']} s, max **{lat['max_s']} s**"
            + (f" ({over * 1000:+.0f} ms)" if over > 0 else "")
            + (f"; {len(missing)} never seen" if missing else ""),
            "ok": not missing and lat["max_s"] < TARGET_LATENCY_S,
        },
        {
            "scenario": "latency",
            "figure": "one poll (client), server time (access log)",
            "target": "",
            "measured": f"p50 {figures['poll_request']['p50_ms']} ms, p95 "
            f"{figures['poll_request']['p95_ms']} ms, max {figures['poll_request']['max_ms']} ms; "
            f"server p50 {figures['server_time']['p50_ms']} ms",
            "ok": None,
        },
    ]
    return {"figures": figures, "rows": rows, "cpu": usage, "busy_before_pct": busy}


# --- Scenario: 100 screens polling -----------------------------------------------------------


def caller_loop(layout: list[dict], every: float, until: float, made: list) -> None:
    """Calls the next ticket every ``every`` seconds, desk after desk, counter after counter."""
    from django.db import connection

    rng = random.Random(3)
    counters = [(d, c) for i in range(5) for d in layout for c in d["counters"][i : i + 1]]
    next_at = time.monotonic() + every
    i = 0
    try:
        while True:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= until:
                break
            desk, counter_pk = counters[i % len(counters)]
            ticket, _committed = call_once(counter_pk)
            made.append(ticket.label if ticket else None)
            walk_in_feed(desk["queues"], rng)
            i += 1
            next_at += every
    finally:
        connection.close()


def screen_run(port, path, etag, mode, until, results):
    """One screen: "304" and "200" without pause, "paced" as display.js."""
    conn = Connection(port)
    while time.perf_counter() < until:
        headers = {"Accept-Encoding": "gzip", "Cache-Control": "no-cache"}
        if etag and mode != "200":
            headers["If-None-Match"] = etag
        try:
            answer = conn.send("GET", path, headers)
        except (OSError, http.client.HTTPException):
            results.append((time.perf_counter(), 0.0, 0))
            continue
        results.append((answer.started, answer.seconds, answer.status))
        if mode == "paced":
            if answer.status == 200:
                json.loads(answer.body)
            etag = answer.headers.get("ETag") or etag
            time.sleep(POLL_PAUSE_S)


def scenario_display(args, server: Server, layout: list[dict]) -> dict:
    from django.db import connection

    modes = [("304", 0.0), ("200", 1.0), ("paced", 2.0)]
    figures, rows, usages = {}, [], {}
    busy_before = []
    for mode, every in modes:
        busy_before.append(wait_until_idle(args.idle_wait))
        paths = [f"/display/{d['token']}/calls.json" for d in layout]
        etags = {p: Connection(server.port).send("GET", p, {}).headers.get("ETag") for p in paths}
        results: list[list] = [[] for _ in range(args.screens)]
        mark = server.mark()
        start = time.perf_counter()
        until = start + args.duration
        threads = [
            threading.Thread(
                target=screen_run,
                args=(
                    server.port,
                    paths[i % len(paths)],
                    etags[paths[i % len(paths)]],
                    mode,
                    until,
                    results[i],
                ),
            )
            for i in range(args.screens)
        ]
        made: list = []
        if every:
            threads.append(
                threading.Thread(
                    target=caller_loop,
                    args=(layout, every, time.monotonic() + args.duration, made),
                )
            )
        cpu = CpuWindow(server.process.pid).start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        usages[mode] = cpu.stop()
        log = [row for row in server.log(mark) if row[1].endswith("/calls.json")]
        flat = [r for screen in results for r in screen]
        done = [r for r in flat if r[2]]
        statuses = Counter(r[2] for r in flat)
        errors = sum(n for status, n in statuses.items() if status not in OK_STATUSES)
        periods = [
            b[0] - a[0] for screen in results for a, b in zip(screen, screen[1:], strict=False)
        ]
        figure = {
            "screens": args.screens,
            "seconds": round(elapsed, 2),
            "requests": len(flat),
            "rps": round(len(done) / elapsed, 1),
            "statuses": dict(statuses),
            "errors": errors,
            "client": timing([r[1] for r in done]),
            "server": timing([row[3] for row in log]),
            "server_statuses": dict(Counter(row[2] for row in log)),
            "calls_made": len(made),
            "poll_period_p50_s": round(pct(periods, 0.5), 3),
            "poll_period_p95_s": round(pct(periods, 0.95), 3),
        }
        figures[mode] = figure
        c, s = figure["client"], figure["server"]
        what = {
            "304": f"{args.screens} screens without pause, matching `If-None-Match`, "
            "nothing called (all 304)",
            "200": f"{args.screens} screens without pause, no `If-None-Match`, "
            "a call every second (all 200)",
            "paced": f"{args.screens} screens as display.js (1 s after each answer, last ETag), "
            "a call every 2 s",
        }[mode]
        need = TARGET_SCREENS if mode != "paced" else 0.9 * args.screens
        rows.append(
            {
                "scenario": "display",
                "figure": what,
                "target": f">= {need:.0f} req/s",
                "measured": f"**{figure['rps']} req/s**, client p50 {c['p50_ms']} / p95 "
                f"{c['p95_ms']} ms, server p50 {s['p50_ms']} / p95 {s['p95_ms']} ms, "
                f"statuses {figure['statuses']}"
                + (f", poll period p95 {figure['poll_period_p95_s']} s" if mode == "paced" else ""),
                "ok": figure["rps"] >= need and not errors,
            }
        )
    connection.close()
    return {"figures": figures, "rows": rows, "cpu": usages, "busy_before_pct": busy_before}


# --- Scenario: 50 operators -----------------------------------------------------------------


def operator_loop(op: dict, port: int, clock: dict, think, seed: int, log: list) -> None:
    rng = random.Random(seed)
    browser = Browser(port, {"sessionid": op["session"]})
    base = f"/desk/{op['desk']}/"
    start_re = re.compile(rf"{base}tickets/(\d+)/start/")
    finish_re = re.compile(rf"{base}tickets/(\d+)/finish/")
    state = {"etag": None}

    def alive() -> bool:
        if think[1] > 0:
            time.sleep(rng.uniform(*think))
        return time.monotonic() < clock["until"]

    def note(kind: str, answer: Answer | None, error: str = "") -> None:
        if answer is None:
            log.append((kind, 0, 0.0, error))
            return
        if answer.status not in OK_STATUSES:
            error = f"status {answer.status}"
        log.append((kind, answer.status, answer.seconds, error))

    def send(kind: str, method: str, path: str, **kwargs) -> Answer | None:
        try:
            answer = browser.request(method, path, **kwargs)
        except (OSError, http.client.HTTPException) as exc:
            note(kind, None, type(exc).__name__)
            return None
        location = answer.headers.get("Location", "")
        note(kind, answer, "logged out" if "/admin/login/" in location else "")
        return answer

    def page(path: str) -> str:
        answer = send("console", "GET", path)
        if answer is None or answer.status != 200:
            return ""
        state["etag"] = answer.headers.get("ETag") or state["etag"]
        return answer.body.decode()

    def act(kind: str, path: str, form: dict) -> str:
        answer = send(kind, "POST", path, form=form)
        if answer is None or answer.status != 302:
            return ""
        return page(urllib.parse.urlsplit(answer.headers["Location"]).path)

    def refresh() -> None:
        headers = {"Sportello-Refresh": "1"}
        if state["etag"]:
            headers["If-None-Match"] = state["etag"]
        answer = send("refresh", "GET", base, headers=headers)
        if answer is not None and answer.status == 200:
            state["etag"] = answer.headers.get("ETag") or state["etag"]

    send("choose", "GET", f"{base}?counter={op['counter']}")  # remembered in the session
    page(base)  # (neither is counted: the log is emptied)
    del log[:]
    clock["barrier"].wait()  # everyone starts together
    while alive():
        refresh()
        if not alive():
            break
        html = act("call-next", f"{base}call-next/", {"counter": op["counter"]})
        called = start_re.search(html)
        if called and alive():
            html = act("start", f"{base}tickets/{called.group(1)}/start/", {})
            if alive():
                refresh()
        serving = finish_re.search(html)
        if serving and alive():
            act("finish", f"{base}tickets/{serving.group(1)}/finish/", {})
        if not alive():
            break
        phone = f"+39 349 {rng.randrange(10**7):07d}" if rng.random() < 0.1 else ""
        form = {"queue": rng.choice(op["queues"]), "phone": phone, "language": "it"}
        if rng.random() < 0.1:
            form["priority"] = "on"
        act("walk-in", f"{base}walk-in/", form)


def scenario_console(args, server: Server, layout: list[dict], think) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    operators = []
    users = get_user_model().objects.in_bulk([u for d in layout for u in d["operators"]])
    for desk in layout:
        for counter_pk, user_pk in zip(desk["counters"], desk["operators"], strict=True):
            client = Client()
            client.force_login(users[user_pk])  # a session in the database, as a login makes
            operators.append(
                {
                    "desk": desk["desk"],
                    "counter": counter_pk,
                    "queues": desk["queues"],
                    "session": client.cookies["sessionid"].value,
                }
            )
    operators = operators[: args.operators]
    busy = wait_until_idle(args.idle_wait)
    logs: list[list] = [[] for _ in operators]
    clock: dict = {}

    def go() -> None:  # once every console is open (those first pages are not counted)
        clock.update(
            mark=server.mark(),
            cpu=CpuWindow(server.process.pid).start(),
            start=time.perf_counter(),
            until=time.monotonic() + args.console_duration,
        )

    clock["barrier"] = threading.Barrier(len(operators), action=go)
    threads = [
        threading.Thread(
            target=operator_loop, args=(op, server.port, clock, think, 100 + i, logs[i])
        )
        for i, op in enumerate(operators)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mark, cpu, start = clock["mark"], clock["cpu"], clock["start"]
    elapsed = time.perf_counter() - start
    usage = cpu.stop()
    server_rows = server.log(mark)
    flat = [row for log in logs for row in log]
    kinds = ["console", "refresh", "call-next", "start", "finish", "walk-in"]
    per_kind, server_kind_times = {}, defaultdict(list)
    for method, path, _status, seconds, refresh in server_rows:
        server_kind_times[server_kind(method, path, refresh)].append(seconds)
    for kind in [*kinds, "all"]:
        rows_of = [r for r in flat if kind in ("all", r[0])]
        answered = [r[2] for r in rows_of if r[1]]
        server_times = (
            [s for k, times in server_kind_times.items() if k in kinds for s in times]
            if kind == "all"
            else server_kind_times.get(kind, [])
        )
        per_kind[kind] = {
            **timing(answered),
            "statuses": dict(Counter(r[1] for r in rows_of)),
            "errors": sum(1 for r in rows_of if r[3]),
            "server": timing(server_times),
        }
    error_kinds = Counter(r[3] for r in flat if r[3])
    total = per_kind["all"]
    label = "stress: no think time" if think[1] == 0 else f"think {think[0]}-{think[1]} s"
    figures = {
        "operators": len(operators),
        "desks": len({op["desk"] for op in operators}),
        "think_s": list(think),
        "seconds": round(elapsed, 1),
        "requests": len(flat),
        "rps": round(len(flat) / args.console_duration, 1),  # none starts after the end
        "per_kind": per_kind,
        "error_kinds": dict(error_kinds),
        "workers": args.workers,
    }
    rows = []
    for kind in kinds:
        k = per_kind[kind]
        rows.append(
            {
                "scenario": f"console ({label})",
                "figure": kind,
                "target": "",
                "measured": f"n {k['n']}, p50 {k['p50_ms']} ms, p95 {k['p95_ms']} ms, max "
                f"{k['max_ms']} ms (server p50 {k['server']['p50_ms']}, p95 "
                f"{k['server']['p95_ms']} ms); statuses {k['statuses']}",
                "ok": None,
            }
        )
    rows.append(
        {
            "scenario": f"console ({label})",
            "figure": f"all requests: {len(operators)} operators, {figures['desks']} desks, "
            f"{args.console_duration:.0f} s, gunicorn {args.workers} workers",
            "target": f"p95 < {TARGET_CONSOLE_P95_MS} ms, 0 errors" if think[1] > 0 else "",
            "measured": f"{total['n']} requests ({figures['rps']}/s), p50 {total['p50_ms']} ms, "
            f"p95 **{total['p95_ms']} ms**, max {total['max_ms']} ms, "
            f"**{total['errors']} errors** (server p95 {total['server']['p95_ms']} ms)",
            "ok": (total["p95_ms"] < TARGET_CONSOLE_P95_MS and not total["errors"])
            if think[1] > 0
            else None,
        }
    )
    return {"figures": figures, "rows": rows, "cpu": usage, "busy_before_pct": busy}


# --- Child process: one scenario on one database -----------------------------------------


def django_start(database: str) -> None:
    os.environ.update(child_env(database))
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django
    from django.conf import settings

    if database == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="bench_desk_"))
        settings.DATABASES["default"]["NAME"] = str(folder / "db.sqlite3")
    django.setup()
    assert not settings.DEBUG
    if database == "sqlite":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def child(args) -> int:
    scenario, database = args.child, args.database
    if database == "postgres":
        pg("dropdb", "--if-exists", "--force", DB)
        pg("createdb", "-T", TEMPLATE, DB)
        redis_flush()
    django_start(database)
    from django.db import connection

    result = {"scenario": scenario, "database": database, "measured_at": datetime.now(UTC)}
    server = None
    logdir = Path(tempfile.mkdtemp(prefix=f"bench_desk_{scenario}_"))
    try:
        if scenario == "callnext":
            result.update(scenario_callnext(args, database))
        else:
            t0 = time.perf_counter()
            per_desk = 100
            layout = populate(desks=math.ceil(args.operators / 5), counters=5, waiting=per_desk)
            result["populate_s"] = round(time.perf_counter() - t0, 1)
            connection.close()
            server = Server(args.workers, logdir, Path(args.out + ".gunicorn.pid"))
            for desk in layout:  # each worker's first requests of the screen's view
                for _ in range(args.workers * 2):
                    Connection(server.port).send("GET", f"/display/{desk['token']}/calls.json", {})
            if scenario == "latency":
                result.update(scenario_latency(args, server, layout))
            elif scenario == "display":
                result.update(scenario_display(args, server, layout))
            else:
                runs = []
                for think in args.think:
                    runs.append(scenario_console(args, server, layout, tuple(think)))
                result.update(
                    figures=[r["figures"] for r in runs],
                    rows=[row for r in runs for row in r["rows"]],
                    cpu=[r["cpu"] for r in runs],
                    busy_before_pct=[r["busy_before_pct"] for r in runs],
                )
            result["server_log"] = str(logdir)
    finally:
        if server:
            server.stop()
        connection.close()
        if database == "postgres":
            redis_flush()
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


# --- Parent: every scenario in a child process, then the table ---------------------------


def disturbed(result: dict) -> bool:
    cpus = result.get("cpu")
    cpus = cpus.values() if isinstance(cpus, dict) and "seconds" not in cpus else cpus
    cpus = [cpus] if isinstance(cpus, dict) else list(cpus or [])
    return any(c.get("other_cpu_s", 0) > 0.1 * c.get("seconds", 0) for c in cpus)


def child_run(args, scenario: str, database: str) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench_desk_out_")) / f"{scenario}-{database}.json"
    command = [sys.executable, __file__, *sys.argv[1:]]
    command += ["--child", scenario, "--database", database, "--out", str(out)]
    pidfile = Path(str(out) + ".gunicorn.pid")
    try:
        subprocess.run(command, cwd=ROOT, check=True, timeout=args.child_timeout)  # noqa: S603
    except subprocess.TimeoutExpired:
        if pidfile.exists():  # the child was killed: stop the server it started, by its pid
            with_pid = int(pidfile.read_text())
            with contextlib.suppress(ProcessLookupError):
                os.kill(with_pid, signal.SIGTERM)
        return {"scenario": scenario, "database": database, "error": "timeout", "rows": []}
    except subprocess.CalledProcessError as exc:
        return {"scenario": scenario, "database": database, "error": str(exc), "rows": []}
    return json.loads(out.read_text())


def report(results: list[dict]) -> bool:
    print("\n| scenario | figure | target | measured | |")
    print("| --- | --- | --- | --- | --- |")
    missed = False
    for result in results:
        if result.get("error"):
            print(f"| {result['scenario']} | run failed: {result['error']} | | | MISSED |")
            missed = True
        for row in result.get("rows", []):
            mark = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
            missed |= row["ok"] is False
            print(
                f"| {row['scenario']} | {row['figure']} | {row['target']} | {row['measured']} "
                f"| {mark} |"
            )
    for result in results:
        cpu = result.get("cpu")
        print(f"\n{result['scenario']} ({result['database']}): CPU {json.dumps(cpu)}")
        figures = result.get("figures")
        if result["scenario"] == "latency" and figures:
            print(
                f"  poll interval that keeps the worst case under 1 s: "
                f"{figures['interval_for_max_under_1s']} s (worst request "
                f"{figures['worst_request_ms']} ms)"
            )
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scenario", choices=["callnext", "latency", "display", "console", "all"], default="all"
    )
    parser.add_argument(
        "--databases", nargs="+", choices=["postgres", "sqlite"], default=["postgres", "sqlite"]
    )
    parser.add_argument("--runs", type=int, default=100, help="callnext: timed calls")
    parser.add_argument("--waiting", type=int, default=500, help="callnext: tickets waiting")
    parser.add_argument("--calls", type=int, default=40, help="latency: calls made")
    parser.add_argument("--gap", type=float, nargs=2, default=[0.5, 3.0], help="latency: s")
    parser.add_argument("--latency-screens", type=int, default=0)
    parser.add_argument("--screens", type=int, default=100, help="display: clients")
    parser.add_argument("--duration", type=float, default=20, help="display: s per mode")
    parser.add_argument("--operators", type=int, default=50, help="console: 5 per desk")
    parser.add_argument("--console-duration", type=float, default=60)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        action="append",
        metavar=("LOW", "HIGH"),
        help="console: think time range in s; repeat for several runs (default 0.5 1.5)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--idle-wait", type=float, default=60)
    parser.add_argument("--rerun-if-busy", type=int, default=1)
    parser.add_argument("--child-timeout", type=float, default=400)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.think = args.think or [[0.5, 1.5]]
    if args.child:
        return child(args)

    scenarios = (
        ["callnext", "latency", "display", "console"] if args.scenario == "all" else [args.scenario]
    )
    services_check(need_gunicorn=scenarios != ["callnext"])
    print(f"{machine()}; PostgreSQL {pg_version()}; load {os.getloadavg()}", flush=True)
    print(f"code: {json.dumps(code_fingerprint())}", flush=True)
    results = []
    try:
        if scenarios != ["callnext"] or "postgres" in args.databases:
            print(f"template migrated in {template_create():.1f} s", flush=True)
        for scenario in scenarios:
            for database in args.databases if scenario == "callnext" else ["postgres"]:
                for attempt in range(1 + args.rerun_if_busy):
                    result = child_run(args, scenario, database)
                    for row in result.get("rows", []):
                        print(f"  {row['scenario']}: {row['figure']}: {row['measured']}")
                    print(f"  CPU: {json.dumps(result.get('cpu'))}", flush=True)
                    if not disturbed(result) or attempt == args.rerun_if_busy:
                        break
                    print("(other processes took CPU during that run: again)", flush=True)
                results.append(result)
    finally:
        if not args.keep:
            databases_drop()
    missed = report(results)
    if args.json:
        payload = {
            "machine": machine(),
            "postgresql": pg_version(),
            "code": code_fingerprint(),
            "runs": results,
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
