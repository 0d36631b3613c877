#!/usr/bin/env bash
# Loopback load on the platform endpoints with wrk: /healthz and the JWKS.
#   bench/wrk_platform.sh [seconds-per-run]      (default 10)
# Starts its own server on a temporary data directory, prints one line per
# (endpoint, connections) with requests/s and latency percentiles, and stops
# the server. Numbers are for the issue notes, never asserted anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
BIN="${GATEHOUSE_BUILD_DIR:-build}/src/cli/gatehouse"
[[ -x "$BIN" ]] || scripts/build
command -v wrk >/dev/null || { echo "wrk missing: run scripts/bootstrap" >&2; exit 1; }

DATA="$(mktemp -d)"
PORT=$((20000 + RANDOM % 20000))
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
"$BIN" init --data-dir "$DATA" --domain "127.0.0.1:$PORT" >/dev/null
GATEHOUSE_ACCESS_LOG=false "$BIN" serve --data-dir "$DATA" 2>"$DATA/serve.log" &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

printf '%-26s %5s %12s %9s %9s %9s\n' endpoint conns "req/s" p50 p90 p99
for path in /healthz /.well-known/jwks.json; do
  for conns in 1 16 64; do
    threads=$(( conns < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p90=$(awk '$1=="90%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    printf '%-26s %5s %12s %9s %9s %9s\n' "$path" "$conns" "$rps" "$p50" "$p90" "$p99"
  done
done
echo "server RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PID/status)"
