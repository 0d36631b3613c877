#!/usr/bin/env bash
# Full login flows per second at concurrency 1/4/16 (issue 3 and 5 benchmarks):
# with the password step every time, over an SSO session, and over an SSO
# session with a rule that redirects once and resumes (see login_flow.mjs).
#   bench/flow/run.sh [seconds-per-run]     (default 10)
#   GATEHOUSE_BUILD_DIR=build-x bench/flow/run.sh 5
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-10}"
BIN="${GATEHOUSE_BUILD_DIR:-build}/src/cli/gatehouse"
[[ -x "$BIN" ]] || { echo "build the gatehouse target first ($BIN)" >&2; exit 1; }
DATA="$(mktemp -d)"
PORT=$((20000 + RANDOM % 20000))
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
"$BIN" init --data-dir "$DATA" --domain "127.0.0.1:$PORT" >/dev/null 2>&1
REDIRECT="http://127.0.0.1:9/callback"
CLIENT_JSON=$("$BIN" clients create --data-dir "$DATA" --name bench --callback "$REDIRECT" --json 2>/dev/null)
"$BIN" users create --data-dir "$DATA" --email bench@example.com --password 'bench password 123' >/dev/null 2>&1
CLIENT_ID=$(node -e 'console.log(JSON.parse(process.argv[1]).client_id)' "$CLIENT_JSON")
CLIENT_SECRET=$(node -e 'console.log(JSON.parse(process.argv[1]).client_secret)' "$CLIENT_JSON")
mkdir "$DATA/rules"
cat >"$DATA/rules/10-bench-redirect.js" <<'JS'
function benchRedirect(user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://bench.example/resumed'] = true;
  } else if (context.request.query.bench === 'redirect') {
    context.redirect = { url: 'http://127.0.0.1:9/external?x=1' };
  }
  callback(null, user, context);
}
JS
# One client address logs in hundreds of times a second: the abuse limits
# (docs/security.md) would answer 429, so the benchmark turns them off.
GATEHOUSE_LOGIN_PER_IP_PER_MINUTE=0 GATEHOUSE_LOGIN_PER_USER_PER_MINUTE=0 GATEHOUSE_TOKEN_PER_IP_PER_MINUTE=0 \
GATEHOUSE_RULES_DIR="$DATA/rules" GATEHOUSE_ACCESS_LOG=false GATEHOUSE_LOG_LEVEL=warn \
  "$BIN" serve --data-dir "$DATA" 2>"$DATA/serve.log" &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
node bench/flow/login_flow.mjs "http://127.0.0.1:$PORT" "$CLIENT_ID" "$CLIENT_SECRET" "$REDIRECT" \
  bench@example.com 'bench password 123' "$SECONDS_PER_RUN"
echo "{\"server_rss_kib\": $(awk '/VmRSS/ {print $2}' /proc/$PID/status)}"
