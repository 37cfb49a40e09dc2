#!/usr/bin/env bash
# Cold `make demo`: a fresh clone, no .venv, until the first page answers 200.
#   bash benchmarks/cold_demo.sh            (uses port 8765 so a running demo is not disturbed)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
git clone -q "$src" "$work/sportello"
cd "$work/sportello"
port=${PORT:-8765}
start=$(date +%s.%N)
DEMO_ADDR="127.0.0.1:$port" setsid make demo >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 1 900); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/it/" 2>/dev/null; then break; fi
  sleep 0.2
done
end=$(date +%s.%N)
curl -fsS -o /dev/null -w 'first page: HTTP %{http_code}\n' "http://127.0.0.1:$port/it/"
printf 'cold make demo to first page: %.1f s\n' "$(echo "$end - $start" | bc)"
kill -INT -- -"$pid" 2>/dev/null || true
sleep 3
pkill -TERM -f "$work/sportello" 2>/dev/null || true
rm -rf "$work"
