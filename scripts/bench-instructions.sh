#!/usr/bin/env bash
# Instructions per request in the server, counted by valgrind's cachegrind: unlike timings on shared
# cores, the count is the same from one run to the next. For the bare axum route
# (crates/server/examples/bare.rs: `/health`, and `/design`, a design request's own work with no
# middleware), GET /health and POST /api/v1/design/beam, the server runs twice
# under cachegrind, answering one connection's requests for SHORT and for LONG seconds; the difference
# of the two totals over the difference of the requests answered is the user-space cost of one request
# (startup and shutdown cancel out; the kernel's part is not counted). Prints one JSON line per
# route, then the ratios. DRIVER=wrk drives the servers with Debian's wrk (`-t1 -c1`) instead of
# beamline-load, to check that the server's work per request does not depend on the driver. Needs
# valgrind (`apt-get install valgrind`).
set -euo pipefail
cd "$(dirname "$0")/.."
SHORT=${SHORT:-4}
LONG=${LONG:-12}
# The release binaries, the secret and the token of the other bench scripts (no pinning: valgrind
# runs one thread at a time anyway).
PIN=0 source scripts/bench-server.sh
cargo build --release -q -p beamline-server --example bare
BODY='{"width":300,"depth":450,"Mu":150,"Vu":100,"span":5000}'
TOKEN=$(bench_token)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Total instructions of one server run answering `seconds` of requests, and the requests answered.
# Usage: count <seconds> <path> [body] -- <server command...>
count() {
  local seconds=$1 path=$2 body=$3; shift 4
  local out="$WORK/out" cg="$WORK/cg" url load requests
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$cg" "$@" >"$out" 2>"$WORK/vg" &
  local pid=$!
  for _ in $(seq 300); do grep -q "listening on" "$out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
  if [ "${DRIVER:-load}" = wrk ]; then
    local script=()
    if [ -n "$body" ]; then
      printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' \
        "$body" "$TOKEN" >"$WORK/request.lua"
      script=(-s "$WORK/request.lua")
    fi
    requests=$(wrk -t1 -c1 -d"${seconds}s" "${script[@]}" "$url$path" | awk '/requests in/ {print $1}')
  else
    if [ -n "$body" ]; then
      load=$($BIN/beamline-load rest --url "$url$path" --token "$TOKEN" --body "$body" \
        --connections 1 --warmup 0 --duration "$seconds")
    else
      load=$($BIN/beamline-load rest --url "$url$path" --connections 1 --warmup 0 --duration "$seconds")
    fi
    requests=$(echo "$load" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  fi
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$(awk '/^summary:/ {print $2}' "$cg") $requests"
}

# Instructions per request of one route: prints a JSON line and records "<name> <instructions>".
per_request() {
  local name=$1 path=$2 body=$3; shift 3
  local a b
  a=$(count "$SHORT" "$path" "$body" -- "$@")
  b=$(count "$LONG" "$path" "$body" -- "$@")
  python3 - "$name" "$a" "$b" <<'PY' | tee -a "$WORK/results"
import json, sys
name, (i1, n1), (i2, n2) = sys.argv[1], map(int, sys.argv[2].split()), map(int, sys.argv[3].split())
print(json.dumps({"name": name, "requests": [n1, n2], "instructions_per_request": round((i2 - i1) / (n2 - n1))}))
PY
}

per_request bare /health "" ./target/release/examples/bare
per_request bare_design /design "$BODY" ./target/release/examples/bare
# The server's settings go in the environment valgrind passes on (it follows no `env` exec).
export BEAMLINE_JWT_SECRET="$BENCH_SECRET" BEAMLINE_RATE_LIMIT_REQUESTS=0 RUST_LOG=warn
BEAMLINE_DATA_DIR=$(mktemp -d -p "$WORK")
export BEAMLINE_DATA_DIR
SERVE=("$BIN/beamline" serve --bind 127.0.0.1:0)
per_request health /health "" "${SERVE[@]}"
per_request design /api/v1/design/beam "$BODY" "${SERVE[@]}"

python3 - "$WORK/results" <<'PY'
import json, sys
r = {j["name"]: j["instructions_per_request"] for j in map(json.loads, open(sys.argv[1]))}
print(json.dumps({
    "health_over_bare": round(r["bare"] / r["health"], 3),
    "design_over_bare_design": round(r["bare_design"] / r["design"], 3),
    "design_over_health": round(r["health"] / r["design"], 3),
}))
PY
