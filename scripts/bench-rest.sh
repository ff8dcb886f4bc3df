#!/usr/bin/env bash
# REST throughput and latency: GET /health and POST /api/v1/design/beam on the same server, at 1, 16
# and 64 connections. Builds release binaries, starts a server on a free port, drives it with
# beamline-load, and prints one JSON line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
. scripts/bench-server.sh
start_server
BODY='{"width":300,"depth":450,"Mu":150,"Vu":100,"span":5000}'
for c in 1 16 64; do
  $LOAD rest --url "$URL/health" --connections $c --duration "$DURATION"
  $LOAD rest --url "$URL/api/v1/design/beam" --token "$TOKEN" --body "$BODY" \
    --connections $c --duration "$DURATION"
done
