#!/usr/bin/env bash
# The login-flow driver (login_flow.mjs: password, SSO and redirect-rule
# variants at concurrency 1/4/16) against three setups in one run, each behind
# the same round-robin TCP balancer (tcp_balancer.mjs), same binary, same
# settings:
#   sqlite-1   one node on SQLite
#   pg-1       one node on PostgreSQL
#   pg-2       two nodes on one PostgreSQL
#   bench/flow/pg_compare.sh [seconds-per-run]      (default 5)
# Without GATEHOUSE_TEST_POSTGRES_URL it runs itself under scripts/with-postgres
# (a throwaway local cluster). Prints the driver's JSON lines with "setup".
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then exec scripts/with-postgres "$0" "$@"; fi
SECONDS_PER_RUN="${1:-5}"
BIN="${GATEHOUSE_BUILD_DIR:-build}/src/cli/gatehouse"
[[ -x "$BIN" ]] || { echo "build the gatehouse target first ($BIN)" >&2; exit 1; }
BIN="$(realpath "$BIN")"
WORK="$(mktemp -d)"
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT
REDIRECT="http://127.0.0.1:9/callback"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

run_setup() {  # label storage_url nodes
  local label="$1" url="$2" nodes="$3"
  local data="$WORK/$label" lb
  lb="$(free_port)"
  mkdir -p "$data/rules"
  export GATEHOUSE_STORAGE_URL="$url" GATEHOUSE_ACCESS_LOG=false GATEHOUSE_LOG_LEVEL=warn
  # The per-node abuse limits would turn the load into 429s (and would count
  # differently for one and two nodes).
  export GATEHOUSE_LOGIN_PER_IP_PER_MINUTE=0 GATEHOUSE_LOGIN_PER_USER_PER_MINUTE=0
  export GATEHOUSE_TOKEN_PER_IP_PER_MINUTE=0 GATEHOUSE_TOKEN_PER_USER_PER_MINUTE=0
  "$BIN" migrate --data-dir "$data" >/dev/null
  "$BIN" init --data-dir "$data" --domain "127.0.0.1:$lb" >/dev/null 2>&1
  local client_json id secret
  client_json=$("$BIN" clients create --data-dir "$data" --name bench --callback "$REDIRECT" --json 2>/dev/null)
  "$BIN" users create --data-dir "$data" --email bench@example.com --password 'bench password 123' >/dev/null 2>&1
  id=$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$client_json")
  secret=$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$client_json")
  cat >"$data/rules/10-bench-redirect.js" <<'JS'
function benchRedirect(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://bench.example/resumed'] = true;
  } else if (context.request.query.bench === 'redirect') {
    context.redirect = { url: 'http://127.0.0.1:9/external?x=1' };
  }
  callback(null, user, context);
}
JS
  local ports=() i port
  for i in $(seq 1 "$nodes"); do
    port="$(free_port)"
    GATEHOUSE_RULES_DIR="$data/rules" "$BIN" serve --data-dir "$data" --listen "127.0.0.1:$port" \
      2>"$data/serve-$i.log" &
    PIDS+=($!)
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    ports+=("$port")
  done
  node bench/flow/tcp_balancer.mjs "$lb" "${ports[@]}" 2>/dev/null &
  PIDS+=($!)
  sleep 0.3
  node bench/flow/login_flow.mjs "http://127.0.0.1:$lb" "$id" "$secret" "$REDIRECT" \
    bench@example.com 'bench password 123' "$SECONDS_PER_RUN" | sed "s/^{/{\"setup\":\"$label\",/"
  stop_all
}

PG_BASE="${GATEHOUSE_TEST_POSTGRES_URL%/*}"
for db in bench_pg1 bench_pg2; do
  psql -q "$GATEHOUSE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
done
run_setup sqlite-1 "sqlite:gatehouse.db" 1
run_setup pg-1 "$PG_BASE/bench_pg1" 1
run_setup pg-2 "$PG_BASE/bench_pg2" 2
