"""Server time of the public pages and of holding a seat, with the demo content loaded.

    .venv/bin/python benchmarks/server_time.py [--runs 50] [--warmup 5] [--json out.json]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello_bench .venv/bin/python benchmarks/server_time.py

Each request goes in-process through Django's full middleware stack (``django.test.Client``,
gzip accepted, DEBUG off, the database connection kept open): the server's work without the
network. Home page, Perugia's city page, the day-and-time list of Perugia's first offering,
the details page of its first free slot, and the POST of that form that holds a seat and
queues the SMS code (302 asserted on every run). Each hold uses a fresh client (no session),
a fresh phone number and a fresh slot, with the cache (rate limits) cleared beforehand,
outside the timing. Reports the median and p95 (nearest rank) over ``--runs`` runs after
``--warmup`` ones, and the SQL queries of one more run. ``--json`` also writes the figures
and every timing to a file, to compare two checkouts.

The database is always a throwaway one, created and dropped by the script: a temporary
SQLite file, or with DATABASE_URL a new ``test_server_time_<pid>`` database on that server
(the database named in the URL is never touched).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LANG = "it"
CITY = "perugia"
HOST = {"HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_ENCODING": "gzip"}


def setup() -> tuple[str, str]:
    """Django on a new throwaway database; returns (the configured name, the throwaway one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "true"  # load_demo runs only with DEBUG on; measuring turns it off
    # WhiteNoise warns once about the missing collectstatic folder; the pages need none.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.mkdtemp(prefix="server_time_")) / "db.sqlite3")
    else:
        test["NAME"] = f"test_server_time_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name, test["NAME"]


def load_demo() -> None:
    from django.core.management import call_command

    call_command("load_demo", verbosity=0, quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def teardown(old_name: str, name: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(old_name, verbosity=0)
    if connection.vendor == "sqlite":
        shutil.rmtree(Path(name).parent, ignore_errors=True)


def encode_start(start: datetime) -> str:
    """A slot's start as the booking URLs spell it."""
    try:
        from appointments.views import encode_start as encode
    except ImportError:
        return start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")
    return encode(start)


def city_page_url() -> str:
    """The Wagtail page of the city in the page tree (its usual URL if it cannot be found)."""
    from wagtail.models import Page

    page = Page.objects.live().filter(slug=CITY, locale__language_code=LANG).first()
    url = page.get_url() if page else None
    return urlsplit(url).path if url else f"/{LANG}/{CITY}/"


def booking_targets(client, need: int) -> tuple[int, list[str]]:
    """The city's first offering and up to ``need`` encoded starts of its free slots, in order."""
    try:
        from appointments import selectors
        from appointments.models import City

        offering = selectors.city_offerings(city=City.objects.get(slug=CITY))[0]
        slots = selectors.offering_slots(offering=offering)
        return offering.pk, [encode_start(slot.start) for slot in slots[:need]]
    except (ImportError, AttributeError, TypeError) as exc:
        print(f"(project selectors unusable, {exc!r}: reading the public pages)", file=sys.stderr)
    import re

    base = f"/{LANG}/book/{CITY}/"
    html = client.get(base, HTTP_HOST=HOST["HTTP_HOST"]).content.decode()
    offering_id = int(re.search(rf'href="{base}(\d+)/"', html).group(1))
    starts: list[str] = []
    for page in range(100):  # the list shows a week a page
        html = client.get(f"{base}{offering_id}/?page={page}", HTTP_HOST=HOST["HTTP_HOST"])
        found = re.findall(
            rf'href="{base}{offering_id}/(\d{{8}}T\d{{4}}Z)/"', html.content.decode()
        )
        new = [start for start in dict.fromkeys(found) if start not in starts]
        if not new or len(starts) >= need:
            break
        starts += new
    return offering_id, starts[:need]


def measure(prepare, expect: int, runs: int, warmup: int) -> dict:
    """``prepare()`` (untimed) returns the request to time; every response must be ``expect``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once() -> float:
        request = prepare()
        start = time.perf_counter()
        response = request()
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == expect, (response.status_code, expect, response.content)
        return elapsed

    for _ in range(warmup):
        once()
    with CaptureQueriesContext(connection) as captured:
        once()
    queries = len(captured)  # now: the next request_started empties the log it reads
    timings = sorted(once() for _ in range(runs))
    return {
        "queries": queries,
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[math.ceil(len(timings) * 0.95) - 1], 3),
        "min_ms": round(timings[0], 3),
        "timings_ms": [round(t, 3) for t in timings],
    }


def run(runs: int, warmup: int) -> list[dict]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    offering_id, starts = booking_targets(client, need=runs + warmup + 1)
    if len(starts) < runs + warmup + 1:
        sys.exit(f"only {len(starts)} free slots to hold: use fewer --runs/--warmup")
    times = f"/{LANG}/book/{CITY}/{offering_id}/"
    details = f"{times}{starts[0]}/"

    def get(url):
        def prepare():  # nothing to prepare: one client, like a visitor reading pages
            return lambda: client.get(url, **HOST)

        return prepare

    holds = iter(enumerate(starts))

    def hold():
        cache.clear()  # the rate limits count code sends per phone and per client address
        number, start = next(holds)
        # No session (the view would release a hold of the same session), and an address of
        # its own: one address may keep only a few live holds.
        fresh = Client(
            REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        )
        data = {"phone": f"+39347{1_000_000 + number:07d}"}
        return lambda: fresh.post(f"{times}{start}/", data, **HOST)

    city = city_page_url()
    cases = [
        ("home", "GET", f"/{LANG}/", get(f"/{LANG}/"), 200),
        ("city page", "GET", city, get(city), 200),
        ("time list", "GET", times, get(times), 200),
        ("slot details", "GET", details, get(details), 200),
        ("hold (POST details)", "POST", details, hold, 302),
    ]
    return [
        {"name": name, "method": method, "url": url, **measure(prepare, expect, runs, warmup)}
        for name, method, url, prepare, expect in cases
    ]


def environment(runs: int, warmup: int) -> dict:
    import django
    from django.db import connection

    import appointments

    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if connection.vendor == "postgresql":
        version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    else:
        version = getattr(connection.Database, "sqlite_version", "")
    return {
        "commit": commit,
        "code": str(Path(appointments.__file__).resolve().parents[1]),
        "database": f"{connection.vendor} {version}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "runs": runs,
        "warmup": warmup,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} CPU",
    }


def report(env: dict, results: list[dict]) -> None:
    print(
        f"{env['commit']} ({env['code']}), {env['database']}, Django {env['django']}, "
        f"{env['runs']} runs after {env['warmup']} warm-up\n"
    )
    print("| request | URL | queries | median | p95 |")
    print("| --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['name']} | `{r['method']} {r['url']}` | {r['queries']} "
            f"| {r['median_ms']:.1f} ms | {r['p95_ms']:.1f} ms |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    old_name, name = setup()
    try:
        from django.test.utils import override_settings

        load_demo()
        with override_settings(DEBUG=False):
            results = run(args.runs, args.warmup)
        env = environment(args.runs, args.warmup)
    finally:
        teardown(old_name, name)
    report(env, results)
    if args.json:
        args.json.write_text(json.dumps({"environment": env, "results": results}, indent=1))


if __name__ == "__main__":
    main()
