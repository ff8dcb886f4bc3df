#!/usr/bin/env bash
# Several instances on one Redis against one embedded instance, on this machine (docs/operations.md,
# "Several instances"): WebSocket broadcast to 100 members at 20 designs/s (one instance, then the
# members split over two), rate-limited REST throughput (in-process limiter, then Redis), and a job
# of 10 000 beams (embedded store, then Redis). Needs redis-server. Everything shares the two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ulimit -n "$(ulimit -Hn)"
cargo build --release -q -p beamline-cli -p beamline-load
SECRET="bench-secret-0123456789abcdef0123456789"
LOAD=./target/release/beamline-load
TOKEN=$(BEAMLINE_JWT_SECRET="$SECRET" ./target/release/beamline token --sub bench --ttl 1h)
WORK=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
PIDS+=($!)
REDIS="redis://127.0.0.1:$REDIS_PORT/"

# start NAME [ENV=VALUE ...]: a server on a free port; its URL in the variable NAME.
start() {
  local name=$1 out="$WORK/$1.out"
  shift
  mkdir -p "$WORK/$name"
  env BEAMLINE_JWT_SECRET="$SECRET" BEAMLINE_DATA_DIR="$WORK/$name" RUST_LOG=warn \
    BEAMLINE_WS_MESSAGES_PER_SECOND=1000000 BEAMLINE_WS_BURST=1000000 BEAMLINE_WS_MAX_MEMBERS=1000 \
    BEAMLINE_WS_MAX_PER_USER=100000 "$@" \
    ./target/release/beamline serve --bind 127.0.0.1:0 >"$out" 2>/dev/null &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$out" && break; sleep 0.1; done
  printf -v "$name" '%s' "$(grep -o 'http://[0-9.:]*' "$out" | head -1)"
}

NO_LIMIT=(BEAMLINE_RATE_LIMIT_REQUESTS=0)
# A limit no run reaches: every request is checked, none refused.
LIMIT=(BEAMLINE_RATE_LIMIT_REQUESTS=100000000 BEAMLINE_RATE_LIMIT_WINDOW_SECONDS=60)
start SINGLE "${NO_LIMIT[@]}"
start A "${NO_LIMIT[@]}" BEAMLINE_REDIS_URL="$REDIS"
start B "${NO_LIMIT[@]}" BEAMLINE_REDIS_URL="$REDIS"
start SINGLE_LIMITED "${LIMIT[@]}"
start REDIS_LIMITED "${LIMIT[@]}" BEAMLINE_REDIS_URL="$REDIS"

ws() { echo "${1/http/ws}"; }
echo "== broadcast, 100 members, 20 designs/s"
$LOAD broadcast --url "$(ws "$SINGLE")" --token "$TOKEN" --members 100 --rate 20 --duration "$DURATION"
$LOAD broadcast --url "$(ws "$A")" --token "$TOKEN" --members 100 --rate 20 --duration "$DURATION"
$LOAD broadcast --url "$(ws "$A")" --also-url "$(ws "$B")" --token "$TOKEN" --members 100 --rate 20 --duration "$DURATION"

echo "== REST designs with the rate limiter: in-process, then Redis"
BODY='{"width":300,"depth":450,"Mu":150}'
$LOAD rest --url "$SINGLE_LIMITED/api/v1/design/beam" --token "$TOKEN" --body "$BODY" --connections 16 --duration "$DURATION"
$LOAD rest --url "$REDIS_LIMITED/api/v1/design/beam" --token "$TOKEN" --body "$BODY" --connections 16 --duration "$DURATION"

echo "== a job of 10 000 beams: embedded store, then Redis"
$LOAD batch --url "$SINGLE" --token "$TOKEN" --beams 10000 --repeat 3
$LOAD batch --url "$A" --token "$TOKEN" --beams 10000 --repeat 3
