#!/usr/bin/env bash
# Instruction counts of the login flow under valgrind's callgrind (repeatable on a noisy
# machine), and the storage calls per login, counted from callgrind's exact call counts.
#
#   bench/profile_login.sh [logins]        (default 40; plus 10 un-profiled warm-up logins)
#   GATEHOUSE_BUILD_DIR=build-x bench/profile_login.sh
#   RULE=examples/rules/some-rule.js bench/profile_login.sh   (with that rule stored)
#   DRIVER_ARGS="--external-prefix http://127.0.0.1:9/rule --continue-url /continue" \
#     RULE=redirecting-rule.js bench/profile_login.sh        (the redirect round trip too)
#
# Sets up the bench/run tenant's fast-hash user and RS256/ES256 clients, starts `gatehouse serve`
# under callgrind with instrumentation off, warms up, switches instrumentation on
# (callgrind_control -i on) for exactly N full login flows at c=1 (driver.mjs from
# ../shared/peer-bench), then stops the server by its PID and prints: instructions per login,
# the top functions (inclusive), and the calls per login of every storage repository method.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-40}"
PEER_BENCH="$(cd "${PEER_BENCH:-$ROOT/../shared/peer-bench}" && pwd)"
export PEERBENCH_DIR="${PEERBENCH_DIR:-/tmp/peerbench}"
BIN="$ROOT/${GATEHOUSE_BUILD_DIR:-build}/src/cli/gatehouse"
[[ -x "$BIN" ]] || { echo "build the gatehouse target first ($BIN)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind missing: run scripts/bootstrap" >&2; exit 1; }
PORT="${GH_PORT:-3190}"
OUT="${OUT_DIR:-/tmp/gatehouse-profile-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
DATA="$(mktemp -d /tmp/gatehouse-profile-data.XXXXXX)"
PID=""
trap 'if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi; rm -rf "$DATA"' EXIT
CB="http://127.0.0.1:9/cb"
"$BIN" init --data-dir "$DATA" --domain "127.0.0.1:$PORT" >/dev/null
# ALG=default: the server's default ID-token alg (for binaries older than --id-token-alg).
ALG="${ALG:-ES256}"
ALG_FLAGS=(--id-token-alg "$ALG"); EXPECT=(--expect-alg "$ALG")
[ "$ALG" = default ] && { ALG_FLAGS=(); EXPECT=(); }
CLIENT=$("$BIN" clients create --data-dir "$DATA" --name prof --callback "$CB" \
  --grant authorization_code --grant refresh_token "${ALG_FLAGS[@]}" --json)
ID=$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$CLIENT")
SECRET=$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$CLIENT")
# RULE=<file.js>: also store that rule, so its share of a login shows up.
if [ -n "${RULE:-}" ]; then
  "$BIN" rules create --data-dir "$DATA" --name profiled-rule --file "$RULE" >/dev/null
fi
GATEHOUSE_ARGON2_MEMORY_KIB=8 GATEHOUSE_ARGON2_ITERATIONS=1 \
  "$BIN" users create --data-dir "$DATA" --email alice@bench.example --password wonderland-123 >/dev/null

GATEHOUSE_ACCESS_LOG=false GATEHOUSE_LOG_LEVEL=warn GATEHOUSE_ARGON2_MEMORY_KIB=8 GATEHOUSE_ARGON2_ITERATIONS=1 \
  GATEHOUSE_LOGIN_PER_IP_PER_MINUTE=0 GATEHOUSE_LOGIN_PER_USER_PER_MINUTE=0 \
  GATEHOUSE_TOKEN_PER_IP_PER_MINUTE=0 GATEHOUSE_TOKEN_PER_USER_PER_MINUTE=0 \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out" \
  "$BIN" serve --data-dir "$DATA" 2>"$OUT/serve.log" &
PID=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$PID" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.2
done
drive() {
  node "$PEER_BENCH/driver.mjs" --base "http://127.0.0.1:$PORT" --client-id "$ID" --client-secret "$SECRET" \
    --redirect-uri "$CB" --username alice@bench.example --password wonderland-123 --scenario flow \
    "${EXPECT[@]}" --c 1 --quiet 1 ${DRIVER_ARGS:-} "$@"
}
drive --n 10 --warmup 0 >/dev/null
callgrind_control -i on "$PID" >/dev/null
drive --n "$N" --warmup 0 >"$OUT/driver.json"
callgrind_control -i off "$PID" >/dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));if(d.ok!==Number(process.argv[2]))throw new Error(`only ${d.ok} logins succeeded`)' "$OUT/driver.json" "$N"

callgrind_annotate --inclusive=yes "$OUT/callgrind.out" >"$OUT/inclusive.txt" 2>/dev/null
callgrind_annotate "$OUT/callgrind.out" >"$OUT/exclusive.txt" 2>/dev/null
total=$(awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1; exit}' "$OUT/exclusive.txt")
echo "callgrind: $N full login flows (5 HTTP requests each, $ALG ID token), instrumented part only"
echo "instructions per login: $(node -e "console.log(Math.round($total / $N).toLocaleString('en-US'))")"
echo
echo "top functions, inclusive instructions per login:"
# awk stops reading by itself (NR): `head` would end the pipe early, and under pipefail
# grep's SIGPIPE ended the script before the storage counts below.
grep -E '^\s*[0-9,]+ ' "$OUT/inclusive.txt" | awk -v n="$N" 'NR > 45 {next} {c=$1; gsub(",","",c); $1=""; printf "%12d %s\n", c/n, substr($0, 1, 150)}'
echo
echo "top functions, exclusive instructions per login:"
grep -E '^\s*[0-9,]+ ' "$OUT/exclusive.txt" | awk -v n="$N" 'NR > 25 {next} {c=$1; gsub(",","",c); $1=""; printf "%12d %s\n", c/n, substr($0, 1, 150)}'
echo
# Exact call counts: callgrind's "calls=" lines, summed per callee, for the storage repositories.
echo "storage calls per login (callgrind call counts):"
node "$ROOT/bench/callgrind_calls.mjs" "$OUT/callgrind.out" "$N" \
  'gatehouse::storage::(\w+::)?\w*Repo::(Create|Get|GetOne|GetByEmail|GetByUsername|CompareAndSet|Delete|DeleteIfVersion|List|Append|AppendBatch|RecordLogin|Update|Upsert|GetOrCreate|Insert|SetStatus)\(' \
  'sqlite3_step$'
echo "(raw profile: $OUT/callgrind.out)"

# Disk syncs per login: the same logins again, natively, under strace (callgrind
# does not see the syscalls). With group commit these are the WAL syncs the
# responses waited for, plus the tenant log's background batches.
if command -v strace >/dev/null; then
  strace -f -qq -e trace=fdatasync,fsync -o "$OUT/strace.txt" \
    env GATEHOUSE_ACCESS_LOG=false GATEHOUSE_LOG_LEVEL=warn GATEHOUSE_ARGON2_MEMORY_KIB=8 \
    GATEHOUSE_ARGON2_ITERATIONS=1 GATEHOUSE_LOGIN_PER_IP_PER_MINUTE=0 \
    GATEHOUSE_LOGIN_PER_USER_PER_MINUTE=0 GATEHOUSE_TOKEN_PER_IP_PER_MINUTE=0 \
    GATEHOUSE_TOKEN_PER_USER_PER_MINUTE=0 "$BIN" serve --data-dir "$DATA" 2>>"$OUT/serve.log" &
  PID=$!
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
  done
  drive --n 10 --warmup 0 >/dev/null
  sleep 0.5  # the tenant log's last batch
  before=$(grep -c 'sync(' "$OUT/strace.txt" || true)
  drive --n "$N" --warmup 0 >/dev/null
  sleep 0.5
  after=$(grep -c 'sync(' "$OUT/strace.txt" || true)
  # Stop the server itself (strace's child); strace ends with it.
  pkill -TERM -P "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true; PID=""
  echo "disk syncs (fdatasync/fsync) per login, c=1: $(node -e "console.log(((${after:-0} - ${before:-0}) / $N).toFixed(2))")"
else
  echo "disk syncs per login: strace missing (scripts/bootstrap installs it)"
fi
