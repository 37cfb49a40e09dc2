"""Site (issue 9): server time, requests per second and size on the wire of the public Wagtail
pages (home, city, service, standard, a fallback alias) beside WhiteNoise serving the
stylesheet, and the caching headers those pages send to an anonymous visitor.

    .venv/bin/pip install gunicorn   # once: the WSGI server of docs/deployment.md, installed
                                     # into the venv for this benchmark only (not a dependency)
    .venv/bin/python benchmarks/site_pages.py [--runs 200] [--warmup 20] [--clients 8 32]
        [--duration 20] [--workers 2] [--json out.json] [--keep] [--reuse]
        [--wait-limit 1500] [--no-wait]

Needs PostgreSQL (user postgres, trust) and Redis on 127.0.0.1 and talks to nothing else.

Set-up (not timed): a fresh PostgreSQL database ``sportello_bench_site`` (``--reuse``: the one
a ``--keep`` run left, demo already loaded), ``migrate``, then ``load_demo --quiet-logins``
with DEBUG on (16 cities, city and service pages in it/en/ar, fallback aliases in all 16
locales); Redis db 12 (``FLUSHDB`` of that db only, before and after) is the cache. The
settings are ``config.settings.dev`` with ``DEBUG=false``, ``DATABASE_URL`` (connections kept
60 s, as in production) and ``REDIS_URL``, as benchmarks/frontdesk.py runs them, plus a
settings module written into a temporary folder that changes only the static files:
``STATIC_ROOT`` in that folder and production's storage (WhiteNoise's
``CompressedManifestStaticFilesStorage``), filled by ``collectstatic``. So the pages link
``/static/css/site.<hash>.css`` and WhiteNoise serves its pre-compressed ``.gz``, as in
production (with DEBUG off and the dev storage the stylesheet would be a 404: nothing is
collected into the checkout's ``staticfiles/``). Production's own settings module is not used
(secure cookies and HTTPS redirects, which a plain-HTTP client on 127.0.0.1 cannot follow).

Measured, each part after waiting (``--wait-limit`` s at most, polling every 15 s) until no
``benchmarks/frontdesk.py`` runs and the 1-minute load average is below 0.8; a part that
started without that says so (``busy``), and the CPU that other processes took during each
part is read from /proc:

1. ``inprocess``: each page through Django's whole middleware stack (``django.test.Client``,
   gzip accepted, no cookies: every request an anonymous first visit), ``--runs`` requests
   after ``--warmup``, median and p95 (nearest rank); the SQL queries of one more request
   (``CaptureQueriesContext``, warm cache). The stylesheet through WhiteNoise's middleware
   likewise (its body read inside the timing).
2. ``sequential``: gunicorn (``--workers``, sync workers) on 127.0.0.1, one client, the same
   pages one after another: the server's own time per request from the access log
   (``%(D)s``), and the client's.
3. ``throughput``: the same server, N client threads (``--clients``, http.client, gzip
   accepted, a connection kept as long as the server keeps it: gunicorn's sync workers close
   it after every answer), ``--duration`` s each: the Arabic city page alone, the Arabic
   service page alone, the stylesheet alone, then the three mixed (each client cycles
   city, service, stylesheet). Requests per second, errors (any status other than 200, or a
   failed connection), client and server time.
4. ``weight``: size on the wire of each page type in it, ar and ti (the fallback): the gzip
   body gunicorn sends for the HTML, plus the stylesheet's (WhiteNoise's ``.gz``); the pages
   load no JavaScript (checked: any ``<script src>`` is counted too). Target < 30 KB.
5. ``headers``: what an anonymous visitor gets: ``Cache-Control``, ``Vary``, ``Set-Cookie``,
   ``ETag``, ``Expires``, whether the HTML holds a CSRF token or a POST form, and whether the
   body changes with ``Accept-Language`` or a language cookie (it must not: the language is
   in the path; the CSRF token, new for each visitor, left aside). ``/`` (the redirect to a
   language), the problem-report form (a POST form with its CSRF token) and a city page asked
   with a flash-message cookie (what a member of staff carries after a console action whose
   message was not shown yet) are shown beside them.

Exits 1 if a page weighs 30 KB or more, or any request failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench_common import (  # noqa: E402
    PG_HOST,
    PG_PORT,
    PG_URL,
    PG_USER,
    CpuWindow,
    free_port,
    machine,
    pg,
    pg_version,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = "sportello_bench_site"
REDIS_URL = "redis://127.0.0.1:6379/12"
GUNICORN = Path(sys.executable).parent / "gunicorn"
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
SETTINGS_MODULE = "bench_site_settings"
CITY = "perugia"
TARGET_KB = 30
IDLE_LOAD = 0.8
HEADERS = {"Accept-Encoding": "gzip", "Accept": "text/html,*/*", "Accept-Language": "it"}

CODE = [
    "cms/models.py",
    "cms/selectors.py",
    "cms/templatetags/site_pages.py",
    "core/context_processors.py",
    "core/middleware.py",
    "templates/base.html",
    "templates/cms/page.html",
    "templates/cms/city_page.html",
    "templates/cms/service_page.html",
    "templates/cms/_desk_card.html",
    "static/css/site.css",
    "config/settings/base.py",
]


# --- Small helpers ---------------------------------------------------------------------------


def pct(values, share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1); 0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def timing(seconds: list[float]) -> dict:
    return {
        "n": len(seconds),
        "p50_ms": ms(statistics.median(seconds)) if seconds else 0.0,
        "p95_ms": ms(pct(seconds, 0.95)),
        "min_ms": ms(min(seconds, default=0)),
        "max_ms": ms(max(seconds, default=0)),
    }


def code_fingerprint() -> dict[str, str]:
    """The measured code (a SHA-256 prefix of each file): the figures belong to these."""
    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    files = {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest()[:12] for name in CODE}
    return {"commit": commit, **files}


def pg_database_exists(name: str) -> bool:
    query = "SELECT datname FROM pg_database"
    out = subprocess.run(  # noqa: S603
        ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-Atc", query],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return name in out.stdout.split()


def services_check() -> None:
    for name, port in (("PostgreSQL", int(PG_PORT)), ("Redis", 6379)):
        try:
            socket.create_connection(("127.0.0.1", port), 2).close()
        except OSError:
            sys.exit(f"site_pages.py needs {name} on 127.0.0.1:{port}")
    if not GUNICORN.exists():
        sys.exit(f"{GUNICORN} is missing: .venv/bin/pip install gunicorn (benchmark only)")


def redis_flush() -> None:
    import redis

    redis.from_url(REDIS_URL).flushdb()  # db 12 only


# --- The machine: wait until it is free, and who used the CPU -------------------------------


def frontdesk_running() -> bool:
    probe = subprocess.run(  # noqa: S603
        ["pgrep", "-f", "benchmarks/frontdesk.py"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def wait_for_machine(label: str, limit: float, enabled: bool = True) -> dict:
    """Waits (polling every 15 s, ``limit`` s at most) until no frontdesk benchmark runs and
    the 1-minute load average is below ``IDLE_LOAD``; says what it found."""
    start = time.monotonic()
    while True:
        desk, load = frontdesk_running(), os.getloadavg()[0]
        free = not desk and load < IDLE_LOAD
        waited = time.monotonic() - start
        if free or not enabled or waited >= limit:
            state = {
                "part": label,
                "waited_s": round(waited),
                "load1": round(load, 2),
                "frontdesk_running": desk,
                "busy": not free,
            }
            note = "" if free else " (NOT idle: measuring anyway)"
            print(
                f"[{label}] after {waited:.0f} s: load {load:.2f}, frontdesk {desk}{note}",
                flush=True,
            )
            return state
        time.sleep(15)


# --- Set-up: settings with collected static files, database, demo ---------------------------


def settings_write(folder: Path) -> None:
    """A settings module that is config.settings.dev with static files collected into
    ``folder`` the way production stores them (hashed names, pre-compressed copies)."""
    (folder / f"{SETTINGS_MODULE}.py").write_text(
        '"""benchmarks/site_pages.py: config.settings.dev, static files as in production."""\n'
        "from config.settings.dev import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(folder / 'static')!r}\n"
        "STORAGES = {\n"
        "    **STORAGES,  # noqa: F405\n"
        '    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},\n'
        "}\n"
    )


def django_env(folder: Path, debug: bool = False) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "DEBUG": "true" if debug else "false",  # load_demo runs only with DEBUG on
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": PG_URL + DB,
        "REDIS_URL": REDIS_URL,
    }


def manage(folder: Path, *args: str, debug: bool = False) -> float:
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(folder, debug),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - start, 1)


def prepare(folder: Path, reuse: bool) -> dict:
    settings_write(folder)
    made = {"collectstatic_s": manage(folder, "collectstatic", "--no-input", "-v0")}
    if reuse and pg_database_exists(DB):
        made["database"] = "reused"
        return made
    redis_flush()
    pg("dropdb", "--if-exists", "--force", DB)
    pg("createdb", DB)
    made["migrate_s"] = manage(folder, "migrate", "--no-input", "-v0")
    made["load_demo_s"] = manage(folder, "load_demo", "--quiet-logins", debug=True)
    made["database"] = "new"
    return made


def django_start(folder: Path) -> None:
    os.environ.update(django_env(folder))
    sys.path.insert(0, str(folder))
    import django
    from django.conf import settings

    django.setup()
    assert not settings.DEBUG


# --- The pages -----------------------------------------------------------------------------


def page_urls() -> dict:
    """(kind, language) -> {"url", "fallback"}: the demo's pages, found in the page tree."""
    from wagtail.models import Page

    from cms.models import CityPage, HomePage, ServicePage, StandardPage

    it_city = CityPage.objects.get(city__slug=CITY, locale__language_code="it")
    sources = {
        "home": HomePage.objects.get(locale__language_code="it"),
        "city": it_city,
        "service": ServicePage.objects.child_of(it_city).get(slug="legal"),
        "service (health)": ServicePage.objects.child_of(it_city).get(slug="health"),
        "standard (faq)": StandardPage.objects.get(locale__language_code="it", role="faq"),
        "standard (privacy)": StandardPage.objects.get(locale__language_code="it", role="privacy"),
    }
    found = {}
    for kind, source in sources.items():
        for page in Page.objects.filter(translation_key=source.translation_key).select_related(
            "locale"
        ):
            url = page.get_url()
            if url:
                found[(kind, page.locale.language_code)] = {
                    "url": urlsplit(url).path,
                    "fallback": bool(page.alias_of_id),
                }
    return found


def stylesheet_url(html: bytes) -> str:
    import re

    found = re.search(rb'<link rel="stylesheet" href="(/static/[^"]+)"', html)
    return found.group(1).decode() if found else "/static/css/site.css"


def timed_cases(urls: dict, css: str) -> list[dict]:
    """What parts 1 and 2 time: the brief's pages, the Italian home (the README's earlier
    figure) and the stylesheet."""
    chosen = [
        ("home", "ar"),
        ("home", "it"),
        ("city", "it"),
        ("city", "ar"),
        ("service", "it"),
        ("service", "ar"),
        ("service (health)", "ti"),
        ("standard (faq)", "it"),
    ]
    cases = []
    for kind, lang in chosen:
        page = urls[(kind, lang)]
        name = f"{kind} {lang}" + (" (fallback)" if page["fallback"] else "")
        cases.append({"name": name, "url": page["url"]})
    cases.append({"name": "stylesheet (WhiteNoise)", "url": css})
    return cases


# --- Part 1: in process ----------------------------------------------------------------------


def part_inprocess(cases: list[dict], runs: int, warmup: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = []
    for case in cases:
        failures = Counter()

        def once(url=case["url"], failures=failures) -> float:
            client.cookies.clear()  # every request an anonymous first visit
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                failures[response.status_code] += 1
            return elapsed

        for _ in range(warmup):
            once()
        with CaptureQueriesContext(connection) as captured:
            once()
        queries = len(captured)
        times = [once() for _ in range(runs)]
        out.append({**case, "queries": queries, "errors": dict(failures), **timing(times)})
        print(
            f"  in process: {case['name']}: {out[-1]['p50_ms']} ms, {queries} queries", flush=True
        )
    connection.close()
    return out


# --- The server and its clients --------------------------------------------------------------


class Connection:
    """One client's connection, opened again when the server closes it (gunicorn's sync
    workers answer with ``Connection: close``)."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.opened = 0

    def get(self, path: str, headers: dict | None = None):
        """(status, headers, body as sent, seconds); raises on a failed connection."""
        started = time.perf_counter()
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.opened += 1
            try:
                self.conn.request("GET", path, headers=headers or HEADERS)
                response = self.conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            seconds = time.perf_counter() - started
            if response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, response.headers, body, seconds
        raise AssertionError("unreachable")


class Server:
    """gunicorn on 127.0.0.1 with an access log of each request's own time (``%(D)s``)."""

    def __init__(self, workers: int, folder: Path):
        self.port = free_port()
        self.access = folder / "access.log"
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
                str(folder / "gunicorn.log"),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=django_env(folder),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if Connection(self.port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        for _ in range(workers * 4):  # every worker imports Django on its first request
            Connection(self.port).get("/healthz")

    def mark(self) -> int:
        return self.access.stat().st_size if self.access.exists() else 0

    def log(self, since: int) -> list[tuple[str, int, float]]:
        """(path, status, seconds) of each GET logged after ``since``."""
        time.sleep(0.3)  # the last lines
        rows = []
        with self.access.open() as f:
            f.seek(since)
            for line in f:
                parts = line.split()
                if len(parts) >= 4 and parts[3].isdigit():
                    rows.append((parts[1], int(parts[2]), int(parts[3]) / 1e6))
        return rows

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- Part 2: one client, one request after another -------------------------------------------


def part_sequential(server: Server, cases: list[dict], runs: int, warmup: int) -> list[dict]:
    out = []
    conn = Connection(server.port)
    for case in cases:
        for _ in range(warmup):
            conn.get(case["url"])
        mark = server.mark()
        client, failures = [], Counter()
        for _ in range(runs):
            status, _headers, _body, seconds = conn.get(case["url"])
            client.append(seconds)
            if status != 200:
                failures[status] += 1
        logged = [row[2] for row in server.log(mark) if row[0] == case["url"]]
        out.append(
            {
                **case,
                "server": timing(logged),
                "client": timing(client),
                "errors": dict(failures),
            }
        )
        print(
            f"  gunicorn, one client: {case['name']}: server {out[-1]['server']['p50_ms']} ms, "
            f"client {out[-1]['client']['p50_ms']} ms",
            flush=True,
        )
    return out


# --- Part 3: N clients at once -----------------------------------------------------------------


def client_loop(
    port: int, targets: list[tuple[str, str]], start_at: int, until: float, log: list
) -> None:
    conn = Connection(port)
    i = start_at
    while time.perf_counter() < until:
        kind, path = targets[i % len(targets)]
        i += 1
        try:
            status, _headers, body, seconds = conn.get(path)
            log.append((kind, status, seconds, len(body)))
        except (OSError, http.client.HTTPException) as exc:
            log.append((kind, 0, 0.0, type(exc).__name__))
    log.append(("_connections", conn.opened, 0.0, 0))


def part_throughput(
    server: Server,
    mixes: list[tuple[str, list]],
    clients: list[int],
    duration: float,
    wait_limit: float,
    wait: bool,
) -> list[dict]:
    out = []
    for n in clients:
        for label, targets in mixes:
            machine_state = wait_for_machine(f"throughput {label}, {n} clients", wait_limit, wait)
            for _ in range(2):  # the pages once per worker, outside the window
                for _kind, path in targets:
                    Connection(server.port).get(path)
            logs: list[list] = [[] for _ in range(n)]
            kinds = {path: kind for kind, path in targets}
            mark = server.mark()
            cpu = CpuWindow(server.process.pid)
            start = time.perf_counter()
            threads = [
                threading.Thread(
                    target=client_loop, args=(server.port, targets, i, start + duration, logs[i])
                )
                for i in range(n)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
            usage = cpu.stop()
            logged = server.log(mark)
            flat = [row for log in logs for row in log if row[0] != "_connections"]
            connections = sum(row[1] for log in logs for row in log if row[0] == "_connections")
            per_kind = {}
            for kind in [*dict.fromkeys(k for k, _p in targets), "all"]:
                rows = [r for r in flat if kind in ("all", r[0])]
                done = [r for r in rows if r[1] == 200]
                server_times = [
                    row[2] for row in logged if kind == "all" or kinds.get(row[0]) == kind
                ]
                per_kind[kind] = {
                    "requests": len(rows),
                    "rps": round(len(done) / elapsed, 1),
                    "errors": len(rows) - len(done),
                    "statuses": dict(Counter(r[1] for r in rows)),
                    "client": timing([r[2] for r in done]),
                    "server": timing(server_times),
                }
            out.append(
                {
                    "mix": label,
                    "clients": n,
                    "seconds": round(elapsed, 1),
                    "connections_opened": connections,
                    "per_kind": per_kind,
                    "cpu": usage,
                    "machine": machine_state,
                }
            )
            total = per_kind["all"]
            print(
                f"  {label}, {n} clients: {total['rps']} req/s, {total['errors']} errors, "
                f"client p50 {total['client']['p50_ms']} ms, server p50 "
                f"{total['server']['p50_ms']} ms; CPU {json.dumps(usage)}",
                flush=True,
            )
    return out


# --- Parts 4 and 5: weight and headers -------------------------------------------------------


def part_weight(server: Server, urls: dict) -> list[dict]:
    import re

    conn = Connection(server.port)
    asset_sizes: dict[str, tuple[int, int, str]] = {}

    def asset(path: str) -> tuple[int, int, str]:
        if path not in asset_sizes:
            status, headers, body, _s = conn.get(path)
            assert status == 200, (path, status)
            raw = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            asset_sizes[path] = (len(body), len(raw), headers.get("Content-Encoding") or "none")
        return asset_sizes[path]

    out = []
    for kind in ("home", "city", "service", "service (health)", "standard (faq)"):
        for lang in ("it", "ar", "ti"):
            page = urls.get((kind, lang))
            if page is None:
                continue
            status, headers, body, _s = conn.get(page["url"])
            if status != 200:
                out.append({"kind": kind, "lang": lang, "url": page["url"], "status": status})
                continue
            html = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            linked = sorted(
                set(re.findall(rb'<link rel="stylesheet" href="(/static/[^"]+)"', html))
                | set(re.findall(rb'<script[^>]+src="([^"]+)"', html))
            )
            assets = [asset(a.decode()) for a in linked]
            out.append(
                {
                    "kind": kind,
                    "lang": lang,
                    "url": page["url"],
                    "status": status,
                    "fallback": page["fallback"],
                    "encoding": headers.get("Content-Encoding") or "none",
                    "html_wire": len(body),
                    "html_raw": len(html),
                    "headers_bytes": len(bytes(headers)) + len("HTTP/1.1 200 OK\r\n"),
                    "assets": [a.decode() for a in linked],
                    "assets_wire": sum(a[0] for a in assets),
                    "scripts": len(re.findall(rb"<script", html)),
                    "total_wire": len(body) + sum(a[0] for a in assets),
                }
            )
    return out


HEADER_NAMES = ("Cache-Control", "Vary", "ETag", "Expires", "Last-Modified", "Content-Language")


FLASH = "Called A012."


def flash() -> str:
    """A ``messages`` cookie as Django's message framework leaves it for the next page (the
    console's "Called A012." that a member of staff has not seen yet)."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    response = HttpResponse()
    CookieStorage(HttpRequest())._store([Message(constants.SUCCESS, FLASH)], response)
    return f"messages={response.cookies['messages'].coded_value}"


def without_token(html: bytes) -> bytes:
    """The page minus its CSRF token (new for every visitor), to compare two answers."""
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def part_headers(server: Server, urls: dict, css: str) -> list[dict]:
    import re

    def look(name: str, path: str, cookie: str = "") -> dict:
        conn = Connection(server.port)  # a new visitor: no cookies unless given
        status, headers, body, _s = conn.get(
            path, {**HEADERS, "Cookie": cookie} if cookie else None
        )
        html = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        cookies = [c.split("=", 1)[0] for c in headers.get_all("Set-Cookie") or []]
        row = {
            "name": name,
            "url": path,
            "status": status,
            **{h: headers.get(h, "") for h in HEADER_NAMES},
            "Location": headers.get("Location", ""),
            "Set-Cookie": cookies,
            "csrf_token_in_html": b"csrfmiddlewaretoken" in html,
            "post_forms": len(re.findall(rb'<form[^>]*method="post"', html, re.I)),
            "get_forms": len(re.findall(rb'<form[^>]*method="get"', html, re.I)),
            "csp_nonce": "nonce-" in (headers.get("Content-Security-Policy") or ""),
            "open_state_blocks": html.count(b'class="open-state"'),
            "flash_message_shown": FLASH.encode() in html,
        }
        if cookie:
            return row
        if status == 200 and path.startswith("/") and not path.startswith("/static/"):
            # The same page asked in another way: must be the same bytes.
            variants = {
                "Accept-Language: ar": {**HEADERS, "Accept-Language": "ar"},
                "cookie sportello_language=en": {**HEADERS, "Cookie": "sportello_language=en"},
            }
            same = {}
            for label, sent in variants.items():
                s2, h2, b2, _ = Connection(server.port).get(path, sent)
                other = gzip.decompress(b2) if h2.get("Content-Encoding") == "gzip" else b2
                same[label] = s2 == status and without_token(other) == without_token(html)
            row["same_body_when"] = same
        return row

    rows = [look("root (language redirect)", "/")]
    for key in (
        ("home", "ar"),
        ("city", "ar"),
        ("city", "ti"),
        ("service", "ar"),
        ("service (health)", "ti"),
        ("standard (privacy)", "ar"),
    ):
        if key in urls:
            rows.append(look(" ".join(key), urls[key]["url"]))
    rows.append(
        look("city ar, asked with a flash-message cookie", urls[("city", "ar")]["url"], flash())
    )
    rows.append(look("problem report form (not a Wagtail page)", "/it/report-a-problem/"))
    rows.append(look("stylesheet (hashed, as linked)", css))
    rows.append(look("stylesheet (plain name)", "/static/css/site.css"))
    return rows


# --- Report ----------------------------------------------------------------------------------


def report(result: dict) -> bool:
    failed = False
    print(
        f"\n{result['machine']}; PostgreSQL {result['postgresql']}; code {result['code']['commit']}"
    )
    print(
        "\n| request | URL | queries | in process p50 / p95 | gunicorn server p50 / p95 "
        "(client p50) |"
    )
    print("| --- | --- | --- | --- | --- |")
    sequential = {row["name"]: row for row in result.get("sequential", [])}
    for row in result.get("inprocess", []):
        seq = sequential.get(row["name"])
        served = (
            f"{seq['server']['p50_ms']} / {seq['server']['p95_ms']} ms "
            f"({seq['client']['p50_ms']} ms)"
            if seq
            else ""
        )
        print(
            f"| {row['name']} | `{row['url']}` | {row['queries']} | {row['p50_ms']} / "
            f"{row['p95_ms']} ms | {served} |"
        )
        failed |= bool(row["errors"]) or bool(seq and seq["errors"])
    print("\n| mix | clients | req/s (per kind) | errors | client p50 / p95 | server p50 / p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for run in result.get("throughput", []):
        kinds = run["per_kind"]
        total = kinds["all"]
        split = ", ".join(f"{k} {v['rps']}" for k, v in kinds.items() if k != "all")
        print(
            f"| {run['mix']} | {run['clients']} | **{total['rps']}** ({split}) | "
            f"{total['errors']} | {total['client']['p50_ms']} / {total['client']['p95_ms']} ms | "
            f"{total['server']['p50_ms']} / {total['server']['p95_ms']} ms |"
        )
        failed |= total["errors"] > 0
    print("\n| page | lang | URL | HTML gzip (raw) | CSS gzip | JS | total | headers |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in result.get("weight", []):
        if row["status"] != 200:
            print(f"| {row['kind']} | {row['lang']} | `{row['url']}` | status {row['status']} |")
            failed = True
            continue
        over = row["total_wire"] >= TARGET_KB * 1024
        failed |= over
        print(
            f"| {row['kind']} | {row['lang']}{' (fallback)' if row['fallback'] else ''} | "
            f"`{row['url']}` | {row['html_wire'] / 1024:.1f} KB ({row['html_raw'] / 1024:.1f}) | "
            f"{row['assets_wire'] / 1024:.1f} KB | {row['scripts']} | "
            f"**{row['total_wire'] / 1024:.1f} KB**{' OVER' if over else ''} | "
            f"{row['headers_bytes']} B |"
        )
    print(
        "\n| response | status | Cache-Control | Vary | Set-Cookie | ETag | CSRF token | "
        "POST forms | open-state blocks | flash message shown | same body (CSRF token aside) with another "
        "Accept-Language / a language cookie |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in result.get("headers", []):
        same = row.get("same_body_when")
        print(
            f"| {row['name']} `{row['url']}` | {row['status']}"
            f"{' → ' + row['Location'] if row['Location'] else ''} | {row['Cache-Control'] or '—'} "
            f"| {row['Vary'] or '—'} | {', '.join(row['Set-Cookie']) or '—'} | "
            f"{'yes' if row['ETag'] else '—'} | {'yes' if row['csrf_token_in_html'] else 'no'} | "
            f"{row['post_forms']} | {row['open_state_blocks']} | "
            f"{'YES' if row['flash_message_shown'] else 'no'} | "
            f"{' / '.join('yes' if v else 'NO' for v in same.values()) if same else ''} |"
        )
    for state in result.get("waits", []):
        if state["busy"]:
            print(f"\nNOTE: {state['part']} started on a busy machine: {json.dumps(state)}")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wait-limit", type=float, default=1500, help="s to wait for idle")
    parser.add_argument("--no-wait", action="store_true", help="measure without waiting")
    parser.add_argument(
        "--parts", nargs="+", default=["inprocess", "sequential", "throughput", "weight", "headers"]
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database as it is")
    args = parser.parse_args()
    wait = not args.no_wait

    services_check()
    folder = Path(tempfile.mkdtemp(prefix="bench_site_"))
    result: dict = {
        "machine": machine(),
        "nproc": os.cpu_count(),
        "postgresql": pg_version(),
        "code": code_fingerprint(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: v for k, v in vars(args).items() if k != "json"},
        "waits": [],
    }
    print(
        f"{result['machine']}; PostgreSQL {result['postgresql']}; "
        f"code {result['code']['commit']}; work folder {folder}",
        flush=True,
    )
    server = None
    try:
        result["waits"].append(wait_for_machine("set-up", args.wait_limit, wait))
        result["setup"] = prepare(folder, args.reuse)
        print(f"set-up: {json.dumps(result['setup'])}", flush=True)
        django_start(folder)
        from django.db import connection
        from django.test import Client

        urls = page_urls()
        home = Client().get(urls[("home", "it")]["url"], HTTP_HOST="127.0.0.1")
        css = stylesheet_url(home.content)
        cases = timed_cases(urls, css)
        connection.close()

        if "inprocess" in args.parts:
            result["waits"].append(wait_for_machine("in process", args.wait_limit, wait))
            cpu = CpuWindow()
            result["inprocess"] = part_inprocess(cases, args.runs, args.warmup)
            result["inprocess_cpu"] = cpu.stop()
        server = Server(args.workers, folder)
        if "sequential" in args.parts:
            result["waits"].append(wait_for_machine("gunicorn, one client", args.wait_limit, wait))
            cpu = CpuWindow(server.process.pid)
            result["sequential"] = part_sequential(server, cases, args.runs, args.warmup)
            result["sequential_cpu"] = cpu.stop()
        if "weight" in args.parts:
            result["weight"] = part_weight(server, urls)
        if "headers" in args.parts:
            result["headers"] = part_headers(server, urls, css)
        if "throughput" in args.parts:
            city, service = urls[("city", "ar")]["url"], urls[("service", "ar")]["url"]
            mixes = [
                ("city ar", [("city ar", city)]),
                ("service ar", [("service ar", service)]),
                ("stylesheet", [("stylesheet", css)]),
                ("mixed", [("city ar", city), ("service ar", service), ("stylesheet", css)]),
            ]
            result["throughput"] = part_throughput(
                server, mixes, args.clients, args.duration, args.wait_limit, wait
            )
            result["waits"] += [run["machine"] for run in result["throughput"]]
        result["gunicorn_log"] = str(folder)
    finally:
        if server:
            server.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep:
            with contextlib.suppress(subprocess.CalledProcessError):
                pg("dropdb", "--if-exists", "--force", DB)
        redis_flush()
    failed = report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
