#!/usr/bin/env bash
# REST throughput and latency: GET /health and POST /api/v1/design/beam on the same server, at 1, 16
# and 64 connections. Builds release binaries, starts a server on a free port, drives it with
# beamline-load, and prints one JSON line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
cargo build --release -q -p beamline-cli -p beamline-load
SECRET="bench-secret-0123456789abcdef0123456789"
OUT=$(mktemp)
# The server gets core 0 and the load generator core 1 (PIN=0 shares both cores between them).
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; fi
BEAMLINE_JWT_SECRET=$SECRET BEAMLINE_RATE_LIMIT_REQUESTS=0 BEAMLINE_DATA_DIR=$(mktemp -d) \
  ${SERVER_CPU:-} ./target/release/beamline serve --bind 127.0.0.1:0 >"$OUT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening on" "$OUT" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$OUT" | head -1)
TOKEN=$(BEAMLINE_JWT_SECRET=$SECRET ./target/release/beamline token --sub bench --ttl 1h)
BODY='{"width":300,"depth":450,"Mu":150,"Vu":100,"span":5000}'
for c in 1 16 64; do
  ${LOAD_CPU:-} ./target/release/beamline-load rest --url "$URL/health" --connections $c --duration "$DURATION"
  ${LOAD_CPU:-} ./target/release/beamline-load rest --url "$URL/api/v1/design/beam" --token "$TOKEN" --body "$BODY" \
    --connections $c --duration "$DURATION"
done
