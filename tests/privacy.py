"""Where a phone number still is: every table of the database, read raw, with session rows
decoded and django-q2's queued and finished task payloads unpacked."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection


def _forms(phone: str) -> set[str]:
    national = phone[3:] if phone.startswith("+39") else phone.lstrip("+")
    spaced = f"{national[:3]} {national[3:6]} {national[6:]}"
    return {phone, phone.lstrip("+"), national, spaced}


def number_traces(phone: str, *, also: tuple[str, ...] = ()) -> list[str]:
    """ "table.column: value" for every stored value holding the number (or one of
    ``also``, such as its keyed hashes)."""
    from django_q.models import OrmQ, Task
    from django_q.signing import SignedPackage

    needles = _forms(phone) | set(also)
    found = []

    def look(where: str, value) -> None:
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("latin-1")
        text = str(value)
        if any(needle in text for needle in needles):
            found.append(f"{where}: {text[:120]}")

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608  (names from introspection)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        look(f"{table}.{column}", value)
    for session in Session.objects.all():
        look("session (decoded)", SessionStore().decode(session.session_data))
    for queued in OrmQ.objects.all():
        look("queued task (decoded)", SignedPackage.loads(queued.payload))
    for task in Task.objects.all():
        look("task (decoded)", (task.args, task.kwargs, task.result))
    return found
