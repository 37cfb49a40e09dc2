"""Runs the web server and the django-q2 worker together for `make demo`.

Ctrl-C stops both. The worker gets its own session so that the terminal's SIGINT reaches
only this launcher, which then sends one SIGTERM to the worker (django-q2's cluster does
not shut down cleanly when a signal hits its whole process group).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HOST = os.environ.get("DEMO_ADDR", "127.0.0.1:8000")


def _banner() -> None:
    from cms.management.commands.load_demo import CITY_OPERATOR_PASSWORD, DEMO_USERS, SECOND_STEP

    print(f"\nSportello is running at http://{HOST}/it/  (Arabic: http://{HOST}/ar/)")
    print(f"Admin: http://{HOST}/admin/   Health: http://{HOST}/healthz")
    for username, (password, groups, _su) in DEMO_USERS.items():
        print(f"  login {username:<9} password {password:<20} {', '.join(groups) or 'superuser'}")
    print(
        f"  login operator-<city> (operator-napoli ...) password {CITY_OPERATOR_PASSWORD}: "
        "that city's desks"
    )
    print(SECOND_STEP)
    print("Ctrl-C stops the site and the task worker.\n", flush=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    manage = [sys.executable, "manage.py"]
    worker = subprocess.Popen([*manage, "qcluster"], start_new_session=True)  # noqa: S603
    web = subprocess.Popen([*manage, "runserver", HOST, "--noreload"], start_new_session=True)  # noqa: S603
    stop = []
    # Explicit handlers: a launcher started in the background inherits an ignored SIGINT.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_args: stop.append(True))
    time.sleep(1.5)
    _banner()
    try:
        while not stop and worker.poll() is None and web.poll() is None:
            time.sleep(0.3)
    finally:
        for proc in (web, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    raise SystemExit(main())
