"""Free slots of one offering over 30 days with 100,000 appointments in the database.

    .venv/bin/python benchmarks/slots.py [--appointments 100000] [--runs 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello_bench .venv/bin/python benchmarks/slots.py

Reports the number of queries (must not grow with the bookings) and the median and p95
server time of ``selectors.offering_slots``. Uses a throwaway SQLite file unless
DATABASE_URL is set (then that database is flushed first: never point it at real data).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        settings.DATABASES["default"]["NAME"] = tempfile.mktemp(suffix=".sqlite3")  # noqa: S306
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", verbosity=0, interactive=False)


def populate(count: int):
    from django.utils import timezone

    from appointments.models import Appointment, Offering
    from tests.factories import OfferingFactory

    target = OfferingFactory(capacity=3, duration_minutes=20)
    others = [OfferingFactory(capacity=2, duration_minutes=15) for _ in range(9)]
    from appointments import selectors

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows: list[Appointment] = []

    def add(offering, start, seat, status="confirmed"):
        rows.append(
            Appointment(
                offering=offering,
                start=start,
                end=start + offering.duration,
                seat=seat,
                slot_capacity=offering.capacity,
                phone="",
                language="it",
                code=f"B{len(rows):07d}",
                status=status,
            )
        )

    # The target's next 30 days: two of three seats taken in every slot (so all still show).
    for slot in selectors.offering_slots(offering=target, include_full=True):
        add(target, slot.start, 1)
        add(target, slot.start, 2)
    # The rest: history of the target and bookings of nine other offerings, past and future.
    per = (count - len(rows)) // 10
    for offering in [target, *others]:
        base = now - timedelta(days=400) if offering is target else now - timedelta(days=90)
        for i in range(per if offering is not target else count - len(rows) - per * 9):
            start = base + offering.duration * (i // offering.capacity)
            add(offering, start, i % offering.capacity + 1, "confirmed" if i % 7 else "cancelled")
    Appointment.objects.bulk_create(rows, batch_size=5000)
    return Offering.objects.select_related("desk").get(pk=target.pk)


def measure(offering, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from appointments import selectors
    from appointments.models import Appointment

    with CaptureQueriesContext(connection) as ctx:
        slots = selectors.offering_slots(offering=offering)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        selectors.offering_slots(offering=offering)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(f"database: {connection.vendor}, appointments: {Appointment.objects.count():,}")
    print(f"free slots returned: {len(slots)}; queries: {len(ctx.captured_queries)}")
    print(
        f"offering_slots over {runs} runs: median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup()
    measure(populate(args.appointments), args.runs)


if __name__ == "__main__":
    main()
