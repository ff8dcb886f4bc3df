#!/usr/bin/env bash
# WebSocket benchmarks: design round trips at 1, 100 and 1 000 connections (closed loop, and 1 000 at
# 10 designs/s each), broadcast to 100 members, and the server's memory with 10 000 idle connections.
# The server gets core 0, the load generator core 1 (PIN=0 to share both).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
IDLE=${IDLE:-10000}
ulimit -n "$(ulimit -Hn)"
cargo build --release -q -p beamline-cli -p beamline-load
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; fi
SECRET="bench-secret-0123456789abcdef0123456789"
OUT=$(mktemp)
# Benchmarks measure the server, not its limits: per-connection and HTTP rate limits are lifted.
BEAMLINE_JWT_SECRET=$SECRET BEAMLINE_RATE_LIMIT_REQUESTS=0 BEAMLINE_DATA_DIR=$(mktemp -d) \
  BEAMLINE_WS_MESSAGES_PER_SECOND=1000000 BEAMLINE_WS_BURST=1000000 BEAMLINE_WS_MAX_SESSIONS=20000 \
  BEAMLINE_WS_MAX_MEMBERS=1000 RUST_LOG=warn \
  ${SERVER_CPU:-} ./target/release/beamline serve --bind 127.0.0.1:0 >"$OUT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening on" "$OUT" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$OUT" | head -1 | sed 's/^http/ws/')
TOKEN=$(BEAMLINE_JWT_SECRET=$SECRET ./target/release/beamline token --sub bench --ttl 1h)
LOAD="${LOAD_CPU:-} ./target/release/beamline-load"
rss() { awk '/VmRSS/ {print $2}' /proc/$SERVER/status; }

for c in 1 100 1000; do
  $LOAD ws --url "$URL" --token "$TOKEN" --connections $c --duration "$DURATION"
done
$LOAD ws --url "$URL" --token "$TOKEN" --connections 1000 --rate 10 --duration "$DURATION"
$LOAD ws --url "$URL" --token "$TOKEN" --connections 1000 --rate 20 --duration "$DURATION"
$LOAD broadcast --url "$URL" --token "$TOKEN" --members 100 --rate 20 --duration "$DURATION"

sleep 1
BEFORE=$(rss)
$LOAD idle --url "$URL" --token "$TOKEN" --connections "$IDLE" --hold 8 > /tmp/beamline-idle.out &
LOADER=$!
for _ in $(seq 600); do grep -q all_open /tmp/beamline-idle.out 2>/dev/null && break; sleep 0.1; done
sleep 3
DURING=$(rss)
wait $LOADER
echo "{\"idle_connections\": $IDLE, \"rss_kib_before\": $BEFORE, \"rss_kib_with_idle\": $DURING, \"kib_per_connection\": $(( (DURING - BEFORE) * 100 / IDLE ))e-2}"
