#!/usr/bin/env bash
# The HTTP layer against its ceiling, as ratios measured in one run: the bare axum routes of the
# bench-only example crates/server/examples/bare.rs (`/health`, and `/design`, which does a design
# request's own work with no middleware), GET /health, POST /api/v1/design/beam and WebSocket design
# round trips, each driven by beamline-load and (where Debian's wrk is installed) by wrk, the server on
# core 0 and the load on core 1. The bare `/design` and the service must answer the body with the same
# bytes (checked with curl before the runs). Prints one JSON line per run, then the ratios and the
# share of its core the server used during each run (about 1: the server, not the load, was the limit).
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
WORK=$(mktemp -d)
RESULTS=$WORK/results
CLEANUP="rm -rf '$WORK'"
trap 'kill ${BARE:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The server being driven ($SERVED): its CPU time so far, in clock ticks. A run records the share of
# one core the server used while it was driven ("<name>_busy"): near 1 when the server, not the
# load, is what limits the rate.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVED/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)
busy_since() { # <name> <start seconds> <start ticks>
  python3 -c "print('$1_busy', round(($(cpu_ticks) - $3) / $TICKS_PER_SECOND / ($(date +%s.%N) - $2), 3))" >>"$RESULTS"
}

# One beamline-load run: prints its JSON and records "<name> <req/s>".
load() {
  local name=$1; shift
  local out t0 c0
  t0=$(date +%s.%N); c0=$(cpu_ticks)
  out=$($LOAD "$@" --duration "$DURATION")
  busy_since "$name" "$t0" "$c0"
  echo "$out"
  echo "$name $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["throughput_per_s"])')" >>"$RESULTS"
}

# One wrk run (skipped without wrk): records "<name> <req/s>".
wrk_run() {
  command -v wrk >/dev/null || return 0
  local name=$1 url=$2; shift 2
  local out rate t0 c0
  t0=$(date +%s.%N); c0=$(cpu_ticks)
  out=$($WRK_CPU wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$url")
  busy_since "$name" "$t0" "$c0"
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "{\"tool\": \"wrk\", \"name\": \"$name\", \"throughput_per_s\": $rate}"
  echo "$name $rate" >>"$RESULTS"
}

# The ceiling: the bare routes.
BARE_OUT=$WORK/bare.out
${SERVER_CPU:-} ./target/release/examples/bare >"$BARE_OUT" &
BARE=$!
SERVED=$BARE
for _ in $(seq 50); do grep -q "listening on" "$BARE_OUT" && break; sleep 0.1; done
BARE_URL=$(grep -o 'http://[0-9.:]*' "$BARE_OUT" | head -1)
load bare_load rest --url "$BARE_URL/health" --connections "$CONNECTIONS"
wrk_run bare_wrk "$BARE_URL/health"
WRK_LUA=$WORK/design.lua
cat >"$WRK_LUA" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $DESIGN_TOKEN"
LUA
# The design's answer, to check that the service answers the same bytes.
design_answer() {
  curl -sf "$1" -H 'Content-Type: application/json' -H "Authorization: Bearer $DESIGN_TOKEN" -d "$BODY"
}
design_answer "$BARE_URL/design" >"$WORK/bare_design.json"
load bare_design_load rest --url "$BARE_URL/design" --token "$DESIGN_TOKEN" --body "$BODY" \
  --connections "$CONNECTIONS"
wrk_run bare_design_wrk "$BARE_URL/design" -s "$WRK_LUA"
kill $BARE; wait $BARE 2>/dev/null || true

start_server RUST_LOG=warn
SERVED=$SERVER
load health_load rest --url "$URL/health" --connections "$CONNECTIONS"
wrk_run health_wrk "$URL/health"
design_answer "$URL/api/v1/design/beam" >"$WORK/design.json"
if ! cmp -s "$WORK/bare_design.json" "$WORK/design.json"; then
  echo "the bare /design route and the service answer the body differently; the ratio would mean nothing" >&2
  exit 1
fi
load design_load rest --url "$URL/api/v1/design/beam" --token "$DESIGN_TOKEN" --body "$BODY" \
  --connections "$CONNECTIONS"
wrk_run design_wrk "$URL/api/v1/design/beam" -s "$WRK_LUA"
kill $SERVER; wait $SERVER 2>/dev/null || true

start_server RUST_LOG=warn BEAMLINE_WS_MESSAGES_PER_SECOND=1000000 BEAMLINE_WS_BURST=1000000
SERVED=$SERVER
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
    # The share of its core each server used during each run: the load is not the limit when it is ~1.
    "server_busy": {k[:-len("_busy")]: v for k, v in r.items() if k.endswith("_busy")},
}))
PY
