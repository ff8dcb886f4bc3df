#!/usr/bin/env bash
# What the load generator costs per request, against wrk: both drive the bench-only bare axum route
# (crates/server/examples/bare.rs, pinned to core 0) with 16 keep-alive connections for DURATION
# seconds under valgrind's cachegrind, which counts their user-space instructions; the count over
# the requests answered is each client's cost of one request (startup included, a few hundred
# thousand instructions in all). Needs valgrind and wrk (`apt-get install valgrind wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-4}
cargo build --release -q -p beamline-server --example bare
cargo build --release -q -p beamline-load
WORK=$(mktemp -d)
./target/release/examples/bare >"$WORK/bare" 2>&1 &
BARE=$!
trap 'kill $BARE 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v taskset >/dev/null && taskset -pc 0 "$BARE" >/dev/null
for _ in $(seq 50); do grep -q "listening on" "$WORK/bare" && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/bare" | head -1)

# Instructions and requests of one client run under cachegrind: prints a JSON line.
measure() {
  local name=$1 requests=$2; shift 2
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$WORK/cg" "$@" >"$WORK/out" 2>/dev/null
  python3 - "$name" "$(awk '/^summary:/ {print $2}' "$WORK/cg")" "$("$requests" "$WORK/out")" <<'PY'
import json, sys
name, instructions, requests = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print(json.dumps({"client": name, "requests": requests,
                  "instructions_per_request": round(instructions / requests)}))
PY
}
load_requests() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$1"; }
wrk_requests() { awk '/requests in/ {print $1}' "$1"; }

measure beamline-load load_requests ./target/release/beamline-load rest --url "$URL/health" \
  --connections 16 --warmup 0 --duration "$DURATION"
measure wrk wrk_requests wrk -t1 -c16 -d"${DURATION}s" "$URL/health"
