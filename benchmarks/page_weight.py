"""Size on the wire of public pages: HTML + the CSS and JS they link, gzip-compressed.

    .venv/bin/python benchmarks/page_weight.py [/it/ /ar/ ...]

Runs against a throwaway SQLite database with the demo content loaded, through Django's
test client (the same middleware stack as production, GZip included).
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "true"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = tempfile.mktemp(suffix=".sqlite3")  # noqa: S306
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def asset_size(url: str) -> int:
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix("/static/"))
    return len(gzip.compress(Path(path).read_bytes(), 9)) if path else 0


def weigh(client, url: str) -> dict[str, int]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (url, response.status_code)
    body = response.content
    html_raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    html_wire = (
        len(body) if response.get("Content-Encoding") == "gzip" else len(gzip.compress(body, 6))
    )
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html_raw)
    asset_bytes = sum(asset_size(a.decode()) for a in set(assets))
    return {
        "html": html_wire,
        "html_raw": len(html_raw),
        "assets": asset_bytes,
        "total": html_wire + asset_bytes,
    }


def booking_flow(client, lang: str) -> list[tuple[str, dict[str, int]]]:
    """Walks the booking flow in one language, weighing each page as a person sees it."""
    from django.urls import reverse
    from django.utils import translation

    from appointments import selectors
    from appointments.models import Appointment, City
    from messaging.models import Message
    from messaging.outbox import message_text

    city = City.objects.get(slug="perugia")
    offering = selectors.city_offerings(city=city)[0]
    slot = selectors.offering_slots(offering=offering)[0]
    with translation.override(lang):
        details = reverse("appointments:details", args=["perugia", offering.pk, slot.start])
    rows = [
        (f"{lang} 1 city", weigh(client, f"/{lang}/book/")),
        (f"{lang} 2 service", weigh(client, f"/{lang}/book/perugia/")),
        (f"{lang} 3 day and time", weigh(client, f"/{lang}/book/perugia/{offering.pk}/")),
        (f"{lang} 4 details", weigh(client, details)),
    ]
    phone = f"+39347{Appointment.objects.count():07d}"
    client.post(details, {"phone": phone}, HTTP_HOST="127.0.0.1")
    rows.append((f"{lang} 5 SMS code", weigh(client, f"/{lang}/book/verify/")))
    code_text = message_text(Message.objects.filter(kind="code").latest("pk"))
    code = re.search(r"\b\d{6}\b", code_text).group()
    manage = client.post(f"/{lang}/book/verify/", {"code": code}, HTTP_HOST="127.0.0.1")["Location"]
    rows.append((f"{lang} 6 confirmation", weigh(client, manage)))
    return rows


def report(rows) -> None:
    print(f"{'page':<44} {'HTML gz':>8} {'HTML raw':>9} {'CSS+JS gz':>10} {'total':>8}")
    for label, w in rows:
        print(f"{label:<44} {w['html']:>8} {w['html_raw']:>9} {w['assets']:>10} {w['total']:>8}")


def main(args: list[str]) -> None:
    setup_django()
    from django.test import Client

    client = Client()
    if args[:1] == ["--flow"]:
        report([row for lang in args[1:] or ["it", "ar"] for row in booking_flow(client, lang)])
        return
    report([(url, weigh(client, url)) for url in args or ["/it/", "/ar/", "/ti/"]])


if __name__ == "__main__":
    main(sys.argv[1:])
