"""What the benchmarks share: CPU seconds of processes and of the whole machine (from
/proc, so each run reports what the server, the database and everything else took), the
machine's description, a free port, and the local PostgreSQL they create databases in."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import time
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


class CpuWindow:
    """CPU seconds of the server, PostgreSQL, Redis, this process and the rest, over a run (from
    its making, or from ``start()``)."""

    def __init__(self, server_pid: int | None = None):
        self.server_pid = server_pid
        self.start()

    def start(self) -> CpuWindow:
        self.first = (time.monotonic(), process_table(), machine_ticks(), os.getloadavg()[0])
        return self

    def stop(self) -> dict:
        t0, before, m0, load0 = self.first
        t1, after, m1 = time.monotonic(), process_table(), machine_ticks()

        def used(pid: int) -> float:
            old, new = before.get(pid), after.get(pid)
            if new is None:
                return 0.0
            return new[2] - (old[2] if old and old[3] == new[3] else 0.0)

        server = (
            sum(used(pid) for pid in descendants(after, self.server_pid)) if self.server_pid else 0
        )
        postgres = sum(used(pid) for pid, row in after.items() if row[1] == "postgres")
        redis = sum(used(pid) for pid, row in after.items() if row[1].startswith("redis-server"))
        bench = used(os.getpid())
        busy, total, steal = (m1[i] - m0[i] for i in range(3))
        seconds = t1 - t0
        return {
            "seconds": round(seconds, 2),
            "server_cpu_s": round(server, 2),
            "postgres_cpu_s": round(postgres, 2),
            "redis_cpu_s": round(redis, 2),
            "bench_cpu_s": round(bench, 2),
            "other_cpu_s": round(max(busy / TICK - server - postgres - redis - bench, 0.0), 2),
            "machine_busy_pct": round(100 * busy / total, 1) if total else 0.0,
            "steal_pct": round(100 * steal / total, 1) if total else 0.0,
            "load_before": round(load0, 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
