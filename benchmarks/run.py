"""Runs every benchmark in turn, each in its own process with this interpreter (`make bench`).

    .venv/bin/python benchmarks/run.py [--full]

slots.py with 20,000 appointments (the README's 100,000 with --full), the page weights of
the booking flow in Italian and Arabic, then server_time.py. Stops at the first failure
with its exit code. The environment is passed on: with DATABASE_URL set, slots.py flushes
that database (never point it at real data).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="slots.py at full size")
    full = parser.parse_args().full
    steps = [
        ["slots.py", *([] if full else ["--appointments", "20000"])],
        ["page_weight.py", "--flow", "it", "ar"],
        ["server_time.py"],
    ]
    for step in steps:
        print(f"\n## {' '.join(step)}\n", flush=True)
        command = [sys.executable, str(HERE / step[0]), *step[1:]]
        code = subprocess.run(command).returncode  # noqa: S603
        if code:
            print(f"{step[0]} failed with exit code {code}", file=sys.stderr)
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
