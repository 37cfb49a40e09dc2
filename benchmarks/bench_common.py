"""What the benchmarks share: CPU seconds of processes and of the whole machine (from
/proc, so each run reports what the server, the database and everything else took), the
machine's description, a free port, and the local PostgreSQL they create databases in."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
from collections import defaultdict
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
PG_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/"


def process_table() -> dict[int, tuple[int, str, float, int]]:
    """pid -> (ppid, command name, CPU seconds, start time in ticks), from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()  # fields[0] is field 3 (state)
        cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime, all threads
        table[int(stat.parent.name)] = (int(fields[1]), name, cpu, int(fields[19]))
    return table


def descendants(table: dict, root: int) -> list[int]:
    children = defaultdict(list)
    for pid, (ppid, *_rest) in table.items():
        children[ppid].append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(pid)
        todo.extend(children[pid])
    return found


def machine_ticks() -> tuple[int, int, int]:
    """(busy, all, steal) ticks of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    steal = values[7] if len(values) > 7 else 0
    return sum(values[:8]) - idle - steal, sum(values[:8]), steal


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{platform.node()}, {os.cpu_count()} CPU ({model}), Python {platform.python_version()}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg(*command: str) -> None:
    subprocess.run(  # noqa: S603
        [command[0], "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *command[1:]],
        check=True,
        capture_output=True,
    )


def pg_version() -> str:
    out = subprocess.run(  # noqa: S603
        ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-Atc", "SHOW server_version"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"
