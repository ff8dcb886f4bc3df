#!/usr/bin/env bash
# Batch jobs: time from POST /stream/batch-design to reading `complete`, for 1 000 and 10 000 beams,
# alone and while 100 WebSocket clients design 10 beams a second each. The server gets core 0 and the
# load generator core 1 (PIN=0 to share both). The job store is a real file in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"
. scripts/bench-server.sh
start_server RUST_LOG=warn
for n in ${BEAMS:-1000 10000}; do
  $LOAD batch --url "$URL" --token "$TOKEN" --beams $n --repeat 3
  $LOAD batch --url "$URL" --token "$TOKEN" --beams $n --repeat 3 --ws-background 100
done
