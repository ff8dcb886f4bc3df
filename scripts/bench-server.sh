# Sourced by the bench-*.sh scripts: builds the release binaries (or, with PROFILE=dev, the debug ones), starts `beamline serve` on a free port
# with rate limiting off and the given extra environment (e.g. start_server RUST_LOG=warn), and sets
#   URL    the server's http:// address
#   TOKEN  a token with both scopes
#   LOAD   the load generator command
#   SERVER the server's pid (killed, and its data removed, on exit)
# The server gets core 0 and the load generator core 1 (PIN=0 shares both cores between them).
# PROFILE=dev uses the debug binaries instead (the engine is optimised in both; CI's soak uses them,
# since the test run has just built them and a release build would take as long again).
if [ "${PROFILE:-release}" = dev ]; then
  cargo build -q -p beamline-cli -p beamline-load
  BIN=./target/debug
else
  cargo build --release -q -p beamline-cli -p beamline-load
  BIN=./target/release
fi
BENCH_SECRET="bench-secret-0123456789abcdef0123456789"
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; fi
LOAD="${LOAD_CPU:-} $BIN/beamline-load"

start_server() {
  local out data
  out=$(mktemp)
  data=$(mktemp -d)
  env BEAMLINE_JWT_SECRET="$BENCH_SECRET" BEAMLINE_RATE_LIMIT_REQUESTS=0 BEAMLINE_DATA_DIR="$data" "$@" \
    ${SERVER_CPU:-} $BIN/beamline serve --bind 127.0.0.1:0 >"$out" 2>/dev/null &
  SERVER=$!
  # Each server started adds its clean-up to CLEANUP, which a calling script may start with its own.
  CLEANUP="kill $SERVER 2>/dev/null || true; rm -rf '$data' '$out'; ${CLEANUP:-}"
  trap "$CLEANUP" EXIT
  for _ in $(seq 50); do grep -q "listening on" "$out" && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
  TOKEN=$(bench_token)
}

# A token with both scopes for a server started with BENCH_SECRET.
bench_token() {
  BEAMLINE_JWT_SECRET="$BENCH_SECRET" $BIN/beamline token --sub bench --ttl 1h
}
