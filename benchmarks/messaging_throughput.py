"""Text messages per second: due reminders sent by ONE django-q2 worker through the real
twilio client to a fake Twilio in another process, without and with provider errors.

    .venv/bin/python benchmarks/messaging_throughput.py [--messages 10000] [--fail-rate 0 0.2]
        [--threads 16 ...] [--fake-fast] [--timeout 600] [--json out.json]
    .venv/bin/python benchmarks/messaging_throughput.py --phases [--threads 16] [--fake-fast]
        [--kept-pool] [--cprofile]

Needs PostgreSQL (user postgres, trust) and Redis on 127.0.0.1; talks to nothing else. Each
run, for each fail rate and each thread count (``SMS_THREADS``):

1. a fresh PostgreSQL database ``sportello_bench_sms`` (copied from
   ``sportello_bench_sms_template``, migrated once per invocation; both are dropped at the
   end, no other database is touched) and an empty Redis db 15 (``FLUSHDB`` of that db only);
2. one city, desk and offering, and ``--messages`` confirmed bookings (distinct numbers,
   booked a week ago) starting within the next 24 hours, so that their day-before reminder
   is due; the desk's time zone is an ``Etc/GMT±N`` zone whose clock shows 12:xx, so "now"
   is outside the quiet hours; then ``reminders_queue()`` (timed), which writes one message
   per booking and enqueues a sweep in Redis;
3. ``python -m messaging.fake_twilio PORT FAIL_RATE`` (a threaded HTTP server) and
   ``manage.py qcluster`` with ``Q_WORKERS=1`` (Redis broker), ``SMS_BACKEND`` = the Twilio
   backend with ``TWILIO_API_BASE`` = the fake, ``DEBUG`` off (``config.settings.dev``, as
   ``manage.py`` and ``make demo`` use, with ``DEBUG=false``);
4. the database is polled every 0.1 s until every message is ``sent`` (or ``--timeout``);
   qcluster is stopped with SIGTERM to its pid only, then the fake's messages are listed
   (``GET .../Messages.json``) and compared with our rows, then the fake is stopped.

Figures: throughput = messages / (first send -> last message ``sent``); "first send" is
the claim time of the first batch (its ``sent_at``), the end is the poll that saw the last
one. With errors the first pass (every message tried once: a 500 leaves it UNKNOWN, due again
after the back-off of 30 s doubling to 10 min, looked up at the provider before its next
try) is reported apart from the time until all are sent, which the back-off bounds. CPU
seconds of the worker process, the rest of qcluster, the fake, PostgreSQL and anything else
on the machine are read from /proc over the first pass; a run during which other processes
took more than a tenth of a CPU is run again (``--rerun-if-busy``, twice at most), and each
run first waits (``--idle-wait``) for an idle machine. Duplicates = the fake's creates minus
distinct (number, body) pairs; every row must carry a sid the fake has, and every message the
fake has must be a row's. Exits 1 on any duplicate or lost message (or, without errors, if
not all were sent in time).

``--fake-fast`` serves the same fake with TCP_NODELAY and a listen queue of 128, as a
production server would answer (see ``fake_command``): as it is, the fake takes about 40 ms
per answer, which makes it a provider 40 ms away.

``--phases`` sends in this process instead (the worker's code, ``messages_send_due``,
through the same fake over HTTP), timing the phases of the batches: claim, render, HTTP (the
thread pool, wall time) and recording the outcomes; ``--kept-pool`` tries one thread pool for
the whole sweep instead of one per batch (an experiment: the code as it is is not changed);
``--cprofile`` adds a profile with one sending thread (so that every call is profiled).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_common import (  # noqa: E402
    PG_PORT,
    PG_URL,
    TICK,
    descendants,
    free_port,
    machine,
    machine_ticks,
    pg,
    process_table,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = "sportello_bench_sms"
TEMPLATE = f"{DB}_template"
REDIS_URL = "redis://127.0.0.1:6379/15"
ACCOUNT_SID = "AC" + "0" * 32
SEATS = 50  # people per slot: 10,000 bookings fill 200 one-minute slots
POLL = 0.1


# --- Environment and throwaway databases -----------------------------------------------


def child_env(*, database: str, port: int, threads: int) -> dict[str, str]:
    """The environment of this process, of qcluster and of manage.py migrate."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",  # what manage.py and make demo use
        "DEBUG": "false",  # dev turns DEBUG on, which keeps every query in memory
        "DATABASE_URL": PG_URL + database,
        "REDIS_URL": REDIS_URL,
        "SMS_BACKEND": "messaging.twilio_backend.TwilioBackend",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": "benchmark-token",
        "TWILIO_FROM": "+15005550006",
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_PUBLIC_URL": "https://sportello.example.org",
        "TWILIO_API_BASE": f"http://127.0.0.1:{port}",
        "Q_WORKERS": "1",
        "SMS_THREADS": str(threads),
    }


def template_create(env: dict[str, str]) -> float:
    """The migrated database each run copies (``createdb -T``); returns the seconds taken."""
    start = time.perf_counter()
    pg("dropdb", "--if-exists", "--force", TEMPLATE)
    pg("createdb", TEMPLATE)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": PG_URL + TEMPLATE},
        check=True,
    )
    return time.perf_counter() - start


def database_fresh() -> None:
    from django.db import connections

    connections.close_all()
    pg("dropdb", "--if-exists", "--force", DB)
    pg("createdb", "-T", TEMPLATE, DB)


def databases_drop() -> None:
    from django.db import connections

    connections.close_all()
    pg("dropdb", "--if-exists", "--force", DB)
    pg("dropdb", "--if-exists", "--force", TEMPLATE)


def redis_flush() -> None:
    import redis

    redis.from_url(REDIS_URL).flushdb()  # db 15 only


def services_check() -> None:
    """PostgreSQL and Redis must answer on 127.0.0.1 (nothing else is ever contacted)."""
    for name, port in (("PostgreSQL", int(PG_PORT)), ("Redis", 6379)):
        try:
            socket.create_connection(("127.0.0.1", port), 2).close()
        except OSError:
            sys.exit(f"messaging_throughput.py needs {name} on 127.0.0.1:{port}")


# --- Data --------------------------------------------------------------------------------


def midday_zone(now: datetime) -> str:
    """An IANA zone whose clock shows 12:xx now (``Etc/GMT-N`` is N hours ahead of UTC)."""
    offset = 12 - now.astimezone(UTC).hour  # -11 .. 12
    zone = "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"
    assert now.astimezone(ZoneInfo(zone)).hour == 12, zone
    return zone


def populate(count: int, now: datetime) -> str:
    """One desk and ``count`` confirmed bookings whose day-before reminder is due now."""
    from wagtail.models import Locale

    from appointments.models import Appointment, City, Desk, Offering, Service

    zone = midday_zone(now)
    city = City.objects.create(name="Perugia", slug="perugia")
    desk = Desk.objects.create(
        city=city, name="Sportello centrale", address="Piazza Grande 1", time_zone=zone
    )
    service = Service.objects.create(
        name="Consulenza legale",
        slug="legal",
        kind=Service.Kind.LEGAL,
        locale=Locale.objects.get_or_create(language_code="it")[0],
    )
    offering = Offering.objects.create(desk=desk, service=service, capacity=SEATS)
    # Slots a minute apart ending 24 hours from now: each reminder fell due in the last
    # count/SEATS minutes (09:00-12:00 on the desk's clock, outside the quiet hours).
    top = now.replace(second=0, microsecond=0) + timedelta(hours=24)
    rows = []
    for i in range(count):
        start = top - timedelta(minutes=1 + i // SEATS)
        rows.append(
            Appointment(
                offering=offering,
                start=start,
                end=start + offering.duration,
                seat=i % SEATS + 1,
                slot_capacity=SEATS,
                phone=f"+39347{i:07d}",
                language="it",
                code=f"R{i:06d}",
                status=Appointment.Status.CONFIRMED,
                confirmed_at=now - timedelta(days=7),
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    # Booked and last changed a week ago (bulk_create stamps both with now; update does not).
    Appointment.objects.update(
        created_at=now - timedelta(days=7), updated_at=now - timedelta(days=7)
    )
    return zone


def reminders_queue_timed() -> tuple[int, float]:
    from django.utils import timezone

    from appointments.services.reminders import reminders_queue

    start = time.perf_counter()
    queued = reminders_queue(now=timezone.now())  # in autocommit: the sweep is enqueued too
    return queued, time.perf_counter() - start


# --- Processes and their CPU time ------------------------------------------------------


class CpuWindow:
    """CPU seconds each process (and the machine) spent between ``start()`` and ``stop()``."""

    def __init__(self, cluster_pid: int, fake_pid: int):
        self.cluster_pid, self.fake_pid = cluster_pid, fake_pid

    def _sample(self):
        return time.monotonic(), process_table(), machine_ticks()

    def start(self) -> None:
        self.first = self._sample()

    def stop(self) -> dict:
        (t0, before, m0), (t1, after, m1) = self.first, self._sample()

        def used(pid: int) -> float:
            old = before.get(pid)
            new = after.get(pid)
            if new is None:
                return 0.0
            return new[2] - (old[2] if old and old[3] == new[3] else 0.0)

        tree = sorted(
            ((used(pid), pid) for pid in descendants(after, self.cluster_pid)), reverse=True
        )
        postgres = sum(used(pid) for pid, row in after.items() if row[1] == "postgres")
        busy, total, steal = (m1[i] - m0[i] for i in range(3))
        seconds = t1 - t0
        ours = sum(cpu for cpu, _pid in tree) + used(self.fake_pid) + postgres + used(os.getpid())
        return {
            "seconds": round(seconds, 2),
            "worker_cpu_s": round(tree[0][0], 2) if tree else 0.0,
            "qcluster_rest_cpu_s": round(sum(cpu for cpu, _pid in tree[1:]), 2),
            "fake_cpu_s": round(used(self.fake_pid), 2),
            "postgres_cpu_s": round(postgres, 2),
            "poller_cpu_s": round(used(os.getpid()), 2),
            "machine_busy_pct": round(100 * busy / total, 1) if total else 0.0,
            "machine_steal_pct": round(100 * steal / total, 1) if total else 0.0,
            # Anything else on the machine (another job's tests): the figures are then noisy.
            "other_cpu_s": round(max(busy / TICK - ours, 0.0), 2),
        }


def wait_until_idle(limit: float, most: float = 20.0) -> float:
    """Waits (up to ``limit`` seconds) for the machine to be busy less than ``most`` percent
    over 3 s, so another job's load does not slow a run down; returns the last busy %."""
    deadline = time.monotonic() + limit
    while True:
        m0 = machine_ticks()
        time.sleep(3)
        m1 = machine_ticks()
        busy = 100 * (m1[0] - m0[0]) / max(m1[1] - m0[1], 1)
        if busy < most or time.monotonic() >= deadline:
            return round(busy, 1)


def fake_command(port: int, fail_rate: float, fast: bool) -> list[str]:
    """The fake Twilio as ``python -m messaging.fake_twilio`` serves it, or (``fast``) the
    same fake served as a production server would be: TCP_NODELAY on each connection and a
    listen queue of 128. As it is, each answer's body waits for the client's delayed ACK of
    its headers (Nagle: about 40 ms on Linux), and a listen queue of 5 (socketserver's
    default) drops some of the 16 connections each batch opens at once (the client tries
    again after 1 s, or gets a reset: a ConnectionError, retried after the back-off)."""
    if fast:
        here = str(Path(__file__).resolve())
        return [sys.executable, here, "--serve-fake", str(port), str(fail_rate)]
    return [sys.executable, "-m", "messaging.fake_twilio", str(port), str(fail_rate)]


def serve_fake_fast(port: int, fail_rate: float) -> None:
    """``python -m messaging.fake_twilio PORT FAIL_RATE`` with TCP_NODELAY and a listen
    queue of 128 (the fake's own classes inherit both)."""
    import socketserver
    from http.server import ThreadingHTTPServer

    from messaging.fake_twilio import serve

    socketserver.StreamRequestHandler.disable_nagle_algorithm = True
    ThreadingHTTPServer.request_queue_size = 128
    server, _fake = serve(port=port, fail_rate=fail_rate, seed=1)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the fake Twilio exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    sys.exit(f"the fake Twilio did not listen on {port}")


def stop(process: subprocess.Popen | None, name: str, grace: float = 60) -> None:
    """SIGTERM to the process's own pid (never its group: qcluster hangs then); its
    children that outlive it are ended one by one, by pid."""
    if process is None or process.poll() is not None:
        return
    table = process_table()
    family = [(pid, table[pid][3]) for pid in descendants(table, process.pid)]
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        print(f"{name} (pid {process.pid}) still runs {grace:.0f} s after SIGTERM", file=sys.stderr)
    time.sleep(1)
    table = process_table()
    for pid, started in family:
        if pid in table and table[pid][3] == started:
            print(f"{name}: ending leftover pid {pid} (SIGKILL)", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)


def fake_messages(port: int) -> list[dict]:
    """Every message the fake took (its list answers newest first; it may answer 500)."""
    import requests

    url = f"http://127.0.0.1:{port}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    for _ in range(100):
        answer = requests.get(url, params={"PageSize": 10_000_000}, timeout=60)
        if answer.status_code == 200:
            return answer.json()["messages"]
    raise RuntimeError("the fake Twilio answered no list in 100 tries")


# --- One run -----------------------------------------------------------------------------


def progress() -> dict:
    from django.db.models import Count, Max, Min, Q

    from messaging.models import Message

    return Message.objects.aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status="sent")),
        tried=Count("id", filter=Q(attempts__gte=1)),
        held=Count("id", filter=~Q(lease_owner="")),
        first=Min("sent_at"),
        last=Max("sent_at"),
    )


def check(port: int, count: int) -> dict:
    """Our rows against what the fake took: every row sent once, nothing sent twice."""
    from messaging.models import Message

    taken = fake_messages(port)
    rows = list(Message.objects.values_list("status", "provider_id", "attempts"))
    sids = {m["sid"] for m in taken}
    ours = {provider_id for _status, provider_id, _attempts in rows if provider_id}
    pairs = {(m["to"], m["body"]) for m in taken}
    return {
        "rows": len(rows),
        "statuses": dict(Counter(status for status, _p, _a in rows)),
        "attempts": dict(sorted(Counter(attempts for _s, _p, attempts in rows).items())),
        "fake_creates": len(taken),
        "distinct_bodies": len({m["body"] for m in taken}),
        "distinct_numbers": len({m["to"] for m in taken}),
        "duplicates": len(taken) - len(pairs),
        "rows_without_a_sid_at_the_fake": len(ours - sids),
        "fake_messages_no_row_points_to": len(sids - ours),
        "lost": count - len(rows),
    }


def run_once(
    *,
    count: int,
    fail_rate: float,
    threads: int,
    port: int,
    timeout: float,
    fast: bool,
    idle_wait: float,
) -> dict:
    env = child_env(database=DB, port=port, threads=threads)
    busy_before = wait_until_idle(idle_wait)
    database_fresh()
    redis_flush()
    from django.utils import timezone

    t = time.perf_counter()
    zone = populate(count, timezone.now())
    populate_s = time.perf_counter() - t
    queued, queue_s = reminders_queue_timed()
    assert queued == count, (queued, count)
    logs = Path(tempfile.mkdtemp(prefix="messaging_throughput_"))
    fake = cluster = None
    result = {
        "messages": count,
        "fail_rate": fail_rate,
        "threads": threads,
        "fake": "fast (TCP_NODELAY, listen queue 128)" if fast else "as is",
        "desk_time_zone": zone,
        "populate_s": round(populate_s, 2),
        "reminders_queue_s": round(queue_s, 2),
        "machine_busy_before_pct": busy_before,
        "logs": str(logs),
    }
    try:
        fake = subprocess.Popen(  # noqa: S603
            fake_command(port, fail_rate, fast),
            cwd=ROOT,
            env=env,
            stdout=(logs / "fake.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(port, fake)
        wait_until_idle(idle_wait)
        launched = time.time()
        cluster = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=(logs / "qcluster.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        cpu = CpuWindow(cluster.pid, fake.pid)
        result.update(watch(count, cluster, cpu, launched, timeout))
        stop(cluster, "qcluster")
        result["qcluster_exit"] = cluster.returncode
        result["check"] = check(port, count)
    finally:
        stop(cluster, "qcluster")
        stop(fake, "fake Twilio", grace=10)
    return result


def watch(count: int, cluster, cpu: CpuWindow, launched: float, timeout: float) -> dict:
    """Polls until every message is sent; notes the first pass (each message tried once,
    none held) and the sent count each second."""
    deadline = time.monotonic() + timeout
    out: dict = {"timeline": []}
    active = first_pass = None
    last_mark = 0.0
    state = progress()
    while time.monotonic() < deadline:
        now = time.time()
        state = progress()
        if active is None and (state["tried"] or state["held"]):
            active = now
            cpu.start()
        if now - last_mark >= 1:
            out["timeline"].append((round(now - launched, 1), state["sent"], state["tried"]))
            last_mark = now
        if first_pass is None and state["tried"] == count and not state["held"]:
            first_pass = now
            out["cpu"] = cpu.stop()
            out["first_pass_sent"] = state["sent"]
        if state["sent"] == count:
            break
        if cluster.poll() is not None:
            out["error"] = f"qcluster exited with {cluster.returncode}"
            break
        time.sleep(POLL)
    else:
        out["error"] = f"timeout after {timeout:.0f} s"
    end = time.time()
    start = state["first"].timestamp() if state["first"] else end
    out.update(
        sent=state["sent"],
        startup_s=round(start - launched, 2),
        all_sent=state["sent"] == count,
        first_send_to_last_sent_s=round(end - start, 2),
        messages_per_s=round(state["sent"] / (end - start), 1) if end > start else 0,
    )
    if first_pass:
        out["first_pass_s"] = round(first_pass - start, 2)
        out["first_pass_tries_per_s"] = round(count / (first_pass - start), 1)
        out["first_pass_sent_per_s"] = round(out["first_pass_sent"] / (first_pass - start), 1)
    if "cpu" not in out and active is not None:
        out["cpu"] = cpu.stop()
    return out


# --- Phases, in this process ---------------------------------------------------------------


class KeptPool:
    """An experiment (``--kept-pool``), not the code as it is: one executor for the whole
    sweep instead of one per batch, so that its threads, and their twilio clients with
    their keep-alive connections, outlive a batch."""

    pool: ThreadPoolExecutor | None = None

    def __init__(self, max_workers: int):
        if KeptPool.pool is None:
            KeptPool.pool = ThreadPoolExecutor(max_workers=max_workers)

    def __enter__(self) -> ThreadPoolExecutor:
        return KeptPool.pool

    def __exit__(self, *exc) -> bool:
        return False


def phases(
    *,
    count: int,
    threads: int,
    port: int,
    cprofile: bool,
    fast: bool,
    kept_pool: bool,
    idle_wait: float,
) -> dict:
    """The worker's sweep in this process, each phase timed (wall seconds, all batches)."""
    from django.conf import settings

    from messaging import outbox

    busy_before = wait_until_idle(idle_wait)
    database_fresh()
    redis_flush()
    from django.utils import timezone

    populate(count, timezone.now())
    reminders_queue_timed()
    settings.SPORTELLO["MESSAGING"]["THREADS"] = 1 if cprofile else threads
    spent: dict[str, float] = defaultdict(float)
    calls: Counter = Counter()

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
                calls[name] += 1

        return wrapper

    patched = {
        name: getattr(outbox, name) for name in ("_claim", "_prepare", "_record", "_send_batch")
    }
    patched["_attempt"] = outbox._attempt
    if kept_pool:
        patched["ThreadPoolExecutor"] = outbox.ThreadPoolExecutor
    fake = subprocess.Popen(  # noqa: S603
        fake_command(port, 0.0, fast),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    profile = cProfile.Profile() if cprofile else None
    try:
        wait_for_port(port, fake)
        for name, function in patched.items():
            setattr(outbox, name, timed(name, function) if name.startswith("_") else KeptPool)
        wait_until_idle(idle_wait)
        fake_before = process_table()[fake.pid][2]
        cpu0, wall0 = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        sent = outbox.messages_send_due(budget_seconds=10**6)
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        fake_cpu = process_table()[fake.pid][2] - fake_before
    finally:
        for name, function in patched.items():
            setattr(outbox, name, function)
        if KeptPool.pool:
            KeptPool.pool.shutdown()
            KeptPool.pool = None
        stop(fake, "fake Twilio", grace=10)
    batch = spent["_send_batch"]
    http = batch - spent["_prepare"] - spent["_record"]
    result = {
        "messages": count,
        "sent": sent,
        "threads": settings.SPORTELLO["MESSAGING"]["THREADS"],
        "fake": "fast (TCP_NODELAY, listen queue 128)" if fast else "as is",
        "pool": "kept for the sweep (experiment)" if kept_pool else "one per batch (as is)",
        "machine_busy_before_pct": busy_before,
        "wall_s": round(wall, 2),
        "messages_per_s": round(sent / wall, 1),
        "sender_cpu_s": round(cpu, 2),
        "fake_cpu_s": round(fake_cpu, 2),
        "batches": calls["_claim"] - 1,  # the last claim finds nothing
        "claim_s": round(spent["_claim"], 2),
        "render_s": round(spent["_prepare"], 2),
        "http_s (pool, wall)": round(http, 2),
        "record_s": round(spent["_record"], 2),
        "attempt_thread_s": round(spent["_attempt"], 2),
        "ms_per_attempt_in_thread": round(1000 * spent["_attempt"] / max(calls["_attempt"], 1), 2),
    }
    if profile:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(30)
        result["cprofile_tottime"] = text.getvalue()
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(45)
        result["cprofile_cumulative"] = text.getvalue()
    return result


# --- Report ----------------------------------------------------------------------------------


CODE = [
    "messaging/outbox.py",
    "messaging/twilio_backend.py",
    "messaging/fake_twilio.py",
    "appointments/services/reminders.py",
    "appointments/notifications.py",
    "appointments/texts.py",
    "config/settings/base.py",
]


def code_fingerprint() -> dict[str, str]:
    """The measured code (a SHA-256 prefix of each file on the sending path): the figures
    belong to these versions."""
    import hashlib

    return {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest()[:12] for name in CODE}


def sent_after(result: dict, share: float) -> float | None:
    """Seconds from the first send until ``share`` of the messages were sent."""
    if share == 1.0:
        return result["first_send_to_last_sent_s"] if result.get("all_sent") else None
    for since_launch, sent, _tried in result.get("timeline", []):
        if sent >= result["messages"] * share:
            return since_launch - result["startup_s"]
    return None


def report(results: list[dict]) -> None:
    print(
        "| fake | fail rate | threads | queue | first send → all sent | msg/s "
        "| first pass: tries/s, sent/s | creates / distinct bodies / duplicates "
        "| CPU s over the first pass: worker, rest of qcluster, fake, PostgreSQL, other "
        "| machine busy |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        c, cpu = r.get("check", {}), r.get("cpu", {})
        done = "" if r.get("all_sent") else f" ({r.get('sent')} sent: {r.get('error')})"
        print(
            f"| {r['fake'].split(' (')[0]} | {r['fail_rate']:.0%} | {r['threads']} "
            f"| {r['reminders_queue_s']:.1f} s "
            f"| {r.get('first_send_to_last_sent_s', 0):.1f} s{done} "
            f"| **{r.get('messages_per_s', 0):.0f}** "
            f"| {r.get('first_pass_tries_per_s', 0):.0f}, {r.get('first_pass_sent_per_s', 0):.0f} "
            f"in {r.get('first_pass_s', 0):.1f} s "
            f"| {c.get('fake_creates')} / {c.get('distinct_bodies')} / **{c.get('duplicates')}** "
            f"| {cpu.get('worker_cpu_s')}, {cpu.get('qcluster_rest_cpu_s')}, "
            f"{cpu.get('fake_cpu_s')}, {cpu.get('postgres_cpu_s')}, {cpu.get('other_cpu_s')} "
            f"of {cpu.get('seconds')} s "
            f"| {cpu.get('machine_busy_pct')} % |"
        )
    for r in results:
        c = r.get("check", {})
        print(
            f"\n{r['fake']}, fail rate {r['fail_rate']:.0%}, {r['threads']} threads: "
            f"statuses {c.get('statuses')}, tries per message {c.get('attempts')}, rows "
            f"without a sid at the fake {c.get('rows_without_a_sid_at_the_fake')}, fake "
            f"messages no row points to {c.get('fake_messages_no_row_points_to')}; qcluster "
            f"started to first send {r.get('startup_s')} s; logs in {r['logs']}"
        )
        if r["fail_rate"]:
            shares = ", ".join(
                f"{share:.1%} after {seconds:.0f} s"
                for share in (0.9, 0.99, 0.999, 1.0)
                if (seconds := sent_after(r, share)) is not None
            )
            print(f"  sent: {shares}")


def disturbed(result: dict) -> bool:
    """Other processes (another job's tests) used more than a tenth of a CPU meanwhile."""
    cpu = result.get("cpu", {})
    return cpu.get("other_cpu_s", 0) > 0.1 * cpu.get("seconds", 0)


def failed(results: list[dict]) -> bool:
    bad = False
    for r in results:
        c = r.get("check", {})
        if c.get("duplicates") or c.get("lost") or c.get("fake_messages_no_row_points_to"):
            bad = True
        if c.get("statuses", {}).keys() - {"sent", "sending"}:
            bad = True  # a message given up or cancelled
        if not r.get("all_sent") and not r["fail_rate"]:
            bad = True
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--fail-rate", type=float, nargs="+", default=[0.0, 0.2])
    parser.add_argument("--threads", type=int, nargs="+", default=[16], help="SMS_THREADS")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--phases", action="store_true", help="time the phases in process")
    parser.add_argument("--cprofile", action="store_true", help="with --phases: one thread")
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    parser.add_argument(
        "--fake-fast", action="store_true", help="TCP_NODELAY and a listen queue of 128"
    )
    parser.add_argument(
        "--kept-pool", action="store_true", help="with --phases: one executor per sweep"
    )
    parser.add_argument(
        "--idle-wait", type=float, default=600, help="wait this long at most for an idle machine"
    )
    parser.add_argument(
        "--rerun-if-busy",
        type=int,
        default=2,
        help="run again (at most this many times) when other processes took CPU meanwhile",
    )
    parser.add_argument("--serve-fake", nargs=2, metavar=("PORT", "RATE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:  # the fake's own process (--fake-fast)
        serve_fake_fast(int(args.serve_fake[0]), float(args.serve_fake[1]))
        return 0

    services_check()
    port = free_port()
    env = child_env(database=DB, port=port, threads=args.threads[0])
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG
    migrate_s = template_create(env)
    print(f"{machine()}; template migrated in {migrate_s:.1f} s", flush=True)
    print(f"code: {json.dumps(code_fingerprint())}", flush=True)
    results = []
    try:
        if args.phases:
            for threads in args.threads:
                results.append(
                    phases(
                        count=args.messages,
                        threads=threads,
                        port=port,
                        cprofile=args.cprofile,
                        fast=args.fake_fast,
                        kept_pool=args.kept_pool,
                        idle_wait=args.idle_wait,
                    )
                )
                text = {k: v for k, v in results[-1].items() if not k.startswith("cprofile")}
                print(json.dumps(text), flush=True)
                for key in ("cprofile_tottime", "cprofile_cumulative"):
                    if key in results[-1]:
                        print(results[-1][key])
        else:
            for fail_rate in args.fail_rate:
                for threads in args.threads:
                    for attempt in range(1 + args.rerun_if_busy):
                        result = run_once(
                            count=args.messages,
                            fail_rate=fail_rate,
                            threads=threads,
                            port=port,
                            timeout=args.timeout,
                            fast=args.fake_fast,
                            idle_wait=args.idle_wait,
                        )
                        summary = {k: v for k, v in result.items() if k != "timeline"}
                        print(json.dumps(summary, default=str), flush=True)
                        if not disturbed(result) or attempt == args.rerun_if_busy:
                            break
                        print("(other processes took CPU during that run: again)", flush=True)
                    results.append(result)
            print()
            report(results)
    finally:
        if not args.keep:
            databases_drop()
    if args.json:
        payload = {
            "machine": machine(),
            "measured_at": datetime.now(UTC).isoformat(),
            "code": code_fingerprint(),
            "runs": results,
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    return 1 if not args.phases and failed(results) else 0


if __name__ == "__main__":
    sys.exit(main())
