"""Backs up the PostgreSQL database, restores the copy into a throwaway database and
compares the two, table by table: a restore that is tested, not assumed
(docs/operations.md). The throwaway database is dropped afterwards, whatever happens."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def _connect(settings_dict: dict, dbname: str):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def _counts(conn) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in tables
    }


class Command(BaseCommand):
    help = "Back up the database, restore it into a throwaway database, and compare them."

    def add_arguments(self, parser):
        parser.add_argument("--dump", help="Check this pg_dump file (custom format) instead.")
        parser.add_argument("--keep", help="Also keep the new dump at this path.")

    def handle(self, *args, **options):
        source = connections["default"]
        if source.vendor != "postgresql":
            raise CommandError("backup_restore_check needs PostgreSQL (DATABASE_URL).")
        conf = source.settings_dict
        env = {**os.environ}
        if conf.get("PASSWORD"):
            env["PGPASSWORD"] = conf["PASSWORD"]
        target = ["--port", str(conf.get("PORT") or 5432)]
        if conf.get("HOST"):  # none: the local socket, as psycopg does
            target += ["--host", conf["HOST"]]
        if conf.get("USER"):
            target += ["--username", conf["USER"]]
        throwaway = f"{conf['NAME']}_restore_check_{int(time.time())}"
        with tempfile.TemporaryDirectory() as folder, _connect(conf, conf["NAME"]) as original:
            dump = Path(options["dump"] or options["keep"] or Path(folder) / "sportello.dump")
            before = {}
            if not options["dump"]:
                # One snapshot for the dump and the counts: a live site keeps writing
                # (sessions, tasks), and both must see the same moment.
                original.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                snapshot = original.execute("SELECT pg_export_snapshot()").fetchone()[0]
                before = _counts(original)
                self._run(
                    [
                        "pg_dump",
                        *target,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(dump),
                        conf["NAME"],
                    ],
                    env,
                )
                original.execute("ROLLBACK")
            admin = _connect(conf, "postgres")
            try:
                admin.execute(f'CREATE DATABASE "{throwaway}"')
                self._run(
                    ["pg_restore", *target, "--no-owner", "--dbname", throwaway, str(dump)], env
                )
                with _connect(conf, throwaway) as copy:
                    after = _counts(copy)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{throwaway}"')
                admin.close()
        if options["dump"]:
            self.stdout.write(f"The dump holds {len(after)} tables, {sum(after.values())} rows.")
            return
        different = {
            t: (before.get(t), after.get(t))
            for t in before.keys() | after.keys()
            if before.get(t) != after.get(t)
        }
        if different:
            raise CommandError(f"The restored copy differs: {different}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore check passed: {len(after)} tables, {sum(after.values())} rows, "
                f"restored into {throwaway} (dropped) and identical."
            )
        )

    def _run(self, command: list[str], env: dict) -> None:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
