#!/usr/bin/env bash
# WebSocket benchmarks: design round trips at 1, 100 and 1 000 connections (closed loop, and 1 000 at
# 10 designs/s each), broadcast to 100 members, and the server's memory with 10 000 idle connections.
# The server gets core 0, the load generator core 1 (PIN=0 to share both).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
IDLE=${IDLE:-10000}
ulimit -n "$(ulimit -Hn)"
. scripts/bench-server.sh
# Benchmarks measure the server, not its limits: per-connection limits are lifted too.
start_server BEAMLINE_WS_MESSAGES_PER_SECOND=1000000 BEAMLINE_WS_BURST=1000000 BEAMLINE_WS_MAX_SESSIONS=20000 \
  BEAMLINE_WS_MAX_MEMBERS=1000 RUST_LOG=warn
URL=${URL/http/ws}
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
