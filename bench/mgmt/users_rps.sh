#!/usr/bin/env bash
# Management API throughput: GET and PATCH /api/v2/users/{id} requests per
# second at concurrency 16, against a real `gatehouse serve` (wrk).
# Usage: bench/mgmt/users_rps.sh [path/to/gatehouse] [seconds]
# Results are printed, never asserted.
set -euo pipefail
BIN=${1:-build/src/cli/gatehouse}
SECS=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null; rm -rf "$DIR"; }
trap cleanup EXIT

INIT=$("$BIN" init --data-dir "$DIR/d" --domain "127.0.0.1:$PORT" --json 2>/dev/null)
CID=$(echo "$INIT" | python3 -c 'import sys,json; print(json.load(sys.stdin)["admin_client"]["client_id"])')
SECRET=$(echo "$INIT" | python3 -c 'import sys,json; print(json.load(sys.stdin)["admin_client"]["client_secret"])')
GATEHOUSE_ACCESS_LOG=false "$BIN" serve --data-dir "$DIR/d" 2>/dev/null &
PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -s "$BASE/oauth/token" -d grant_type=client_credentials -d "client_id=$CID" \
  -d "client_secret=$SECRET" --data-urlencode "audience=$BASE/api/v2/" |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')
USER_ID=$(curl -s "$BASE/api/v2/users" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"correct horse battery","connection":"Username-Password-Authentication"}' |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["user_id"])')
URL="$BASE/api/v2/users/$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$USER_ID")"

echo "== GET  /api/v2/users/{id}, 16 connections, ${SECS}s"
wrk -t2 -c16 -d"${SECS}s" -H "Authorization: Bearer $TOKEN" "$URL" | grep -E 'Requests/sec|Latency|Non-2xx'
echo "== PATCH /api/v2/users/{id} (user_metadata, one key per connection), 16 connections, ${SECS}s"
TOKEN="$TOKEN" wrk -t2 -c16 -d"${SECS}s" -s "$HERE/patch.lua" "$URL" | grep -E 'Requests/sec|Latency|Non-2xx'
