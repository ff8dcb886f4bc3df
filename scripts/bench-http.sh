#!/usr/bin/env bash
# The HTTP layer against its ceiling, as ratios measured in one run: the bare axum routes of the
# bench-only example crates/server/examples/bare.rs (`/health`, and `/design`, which does a design
# request's own work with no middleware), GET /health, POST /api/v1/design/beam and WebSocket design
# round trips, each driven by beamline-load and (where Debian's wrk is installed) by wrk, the server on
# core 0 and the load on core 1. Prints one JSON line per run, then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-6}
CONNECTIONS=${CONNECTIONS:-16}
cargo build --release -q -p beamline-server --example bare
. scripts/bench-server.sh
BODY='{"width":300,"depth":450,"Mu":150,"Vu":100,"span":5000}'
# One token for every design request, so that the bare route and the service read the same bytes.
DESIGN_TOKEN=$(bench_token)
WRK_CPU=${LOAD_CPU:-}
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

# One beamline-load run: prints its JSON and records "<name> <req/s>".
load() {
  local name=$1; shift
  local out
  out=$($LOAD "$@" --duration "$DURATION")
  echo "$out"
  echo "$name $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["throughput_per_s"])')" >>"$RESULTS"
}

# One wrk run (skipped without wrk): records "<name> <req/s>".
wrk_run() {
  command -v wrk >/dev/null || return 0
  local name=$1 url=$2; shift 2
  local out rate
  out=$($WRK_CPU wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$url")
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "{\"tool\": \"wrk\", \"name\": \"$name\", \"throughput_per_s\": $rate}"
  echo "$name $rate" >>"$RESULTS"
}

# The ceiling: the bare route.
BARE_OUT=$(mktemp)
${SERVER_CPU:-} ./target/release/examples/bare >"$BARE_OUT" &
BARE=$!
for _ in $(seq 50); do grep -q "listening on" "$BARE_OUT" && break; sleep 0.1; done
BARE_URL=$(grep -o 'http://[0-9.:]*' "$BARE_OUT" | head -1)
load bare_load rest --url "$BARE_URL/health" --connections "$CONNECTIONS"
wrk_run bare_wrk "$BARE_URL/health"
WRK_LUA=$(mktemp --suffix .lua)
cat >"$WRK_LUA" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $DESIGN_TOKEN"
LUA
load bare_design_load rest --url "$BARE_URL/design" --token "$DESIGN_TOKEN" --body "$BODY" \
  --connections "$CONNECTIONS"
wrk_run bare_design_wrk "$BARE_URL/design" -s "$WRK_LUA"
kill $BARE; rm -f "$BARE_OUT"

start_server RUST_LOG=warn
load health_load rest --url "$URL/health" --connections "$CONNECTIONS"
wrk_run health_wrk "$URL/health"
load design_load rest --url "$URL/api/v1/design/beam" --token "$DESIGN_TOKEN" --body "$BODY" \
  --connections "$CONNECTIONS"
wrk_run design_wrk "$URL/api/v1/design/beam" -s "$WRK_LUA"
rm -f "$WRK_LUA"
kill $SERVER; wait $SERVER 2>/dev/null || true

start_server RUST_LOG=warn BEAMLINE_WS_MESSAGES_PER_SECOND=1000000 BEAMLINE_WS_BURST=1000000
load ws_load ws --url "${URL/http/ws}" --token "$TOKEN" --connections 100

python3 - "$RESULTS" <<'PY'
import json, sys
r = dict(line.split() for line in open(sys.argv[1]))
r = {k: float(v) for k, v in r.items()}
def ratio(a, b):
    return round(r[a] / r[b], 3) if a in r and b in r and r[b] else None
print(json.dumps({
    "health_over_bare": {"load": ratio("health_load", "bare_load"), "wrk": ratio("health_wrk", "bare_wrk")},
    "design_over_health": {"load": ratio("design_load", "health_load"), "wrk": ratio("design_wrk", "health_wrk")},
    "design_over_bare_design": {"load": ratio("design_load", "bare_design_load"),
                                "wrk": ratio("design_wrk", "bare_design_wrk")},
    "ws_over_rest_design": ratio("ws_load", "design_load"),
    "load_over_wrk": {"bare": ratio("bare_load", "bare_wrk"), "health": ratio("health_load", "health_wrk"),
                      "bare_design": ratio("bare_design_load", "bare_design_wrk"),
                      "design": ratio("design_load", "design_wrk")},
}))
PY
