#!/usr/bin/env bash
# Batch jobs: time from POST /stream/batch-design to reading `complete`, for 1 000 and 10 000 beams,
# alone and while 100 WebSocket clients design 10 beams a second each. The server gets core 0 and the
# load generator core 1 (PIN=0 to share both). The job store is a real file in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"
cargo build --release -q -p beamline-cli -p beamline-load
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; fi
SECRET="bench-secret-0123456789abcdef0123456789"
OUT=$(mktemp)
DATA=$(mktemp -d)
BEAMLINE_JWT_SECRET=$SECRET BEAMLINE_RATE_LIMIT_REQUESTS=0 BEAMLINE_DATA_DIR=$DATA RUST_LOG=warn \
  ${SERVER_CPU:-} ./target/release/beamline serve --bind 127.0.0.1:0 >"$OUT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$OUT" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$OUT" | head -1)
TOKEN=$(BEAMLINE_JWT_SECRET=$SECRET ./target/release/beamline token --sub bench --ttl 1h)
LOAD="${LOAD_CPU:-} ./target/release/beamline-load"
for n in 1000 10000; do
  $LOAD batch --url "$URL" --token "$TOKEN" --beams $n --repeat 3
  $LOAD batch --url "$URL" --token "$TOKEN" --beams $n --repeat 3 --ws-background 100
done
