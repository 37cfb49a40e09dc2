"""The restore is tested: a backup of the database, restored into a throwaway database, has
the same rows (PostgreSQL; CI runs the suite on both databases)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import ConfirmedAppointmentFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_throwaway_database_with_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (CI runs the suite on both databases)")
    ConfirmedAppointmentFactory.create_batch(3)
    out = StringIO()
    call_command("backup_restore_check", keep=str(tmp_path / "kept.dump"), stdout=out)
    assert "Restore check passed" in out.getvalue()
    assert (tmp_path / "kept.dump").stat().st_size > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%restore_check%"])
        assert cursor.fetchall() == []  # the throwaway database is gone
    checked = StringIO()
    call_command("backup_restore_check", dump=str(tmp_path / "kept.dump"), stdout=checked)
    rows = int(re.search(r"(\d+) rows", checked.getvalue()).group(1))
    assert rows >= 3  # the bookings, at least, came back from the file


def test_it_refuses_sqlite_with_a_clear_message(db):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite answer")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("backup_restore_check")
