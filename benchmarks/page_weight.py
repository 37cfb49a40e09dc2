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


def main(urls: list[str]) -> None:
    setup_django()
    from django.test import Client

    client = Client()
    print(f"{'page':<30} {'HTML gz':>8} {'HTML raw':>9} {'CSS+JS gz':>10} {'total':>8}")
    for url in urls:
        w = weigh(client, url)
        print(f"{url:<30} {w['html']:>8} {w['html_raw']:>9} {w['assets']:>10} {w['total']:>8}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["/it/", "/ar/", "/ti/"])
