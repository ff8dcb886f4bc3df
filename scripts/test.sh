#!/usr/bin/env bash
# Every test of the project: the Rust workspace (engine, server over real sockets, CLI), then the
# Python and JavaScript clients and the live page in headless Chromium, all against the freshly built
# server. The clients' own dependencies go into .venv and tests/browser/node_modules.
#
# A missing tool (python3, node, chromium) skips its suite with a message, unless
# BEAMLINE_REQUIRE_ALL=1 (as in CI), which makes it an error.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  if [ "${BEAMLINE_REQUIRE_ALL:-0}" = 1 ]; then
    echo "error: $1" >&2
    exit 1
  fi
  echo "skipped: $1" >&2
}

echo "== Rust: engine, server, CLI"
cargo test --workspace
export BEAMLINE_BIN="$PWD/target/debug/beamline"

echo "== Python client"
if command -v python3 >/dev/null; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e './clients/python[test]'
  .venv/bin/python -m pytest -q -p no:cacheprovider clients/python
else
  skip "python3 is not installed: the Python client was not tested"
fi

if command -v node >/dev/null; then
  echo "== JavaScript client"
  node --experimental-websocket --test clients/js/test/*.test.js
  echo "== Live page in headless Chromium"
  CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  if [ -n "$CHROMIUM" ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent)
    CHROMIUM="$CHROMIUM" node --test --test-concurrency=1 tests/browser/page.test.js tests/browser/openapi.test.js
  else
    skip "chromium is not installed (apt-get install chromium): the page was not tested in a browser"
  fi
else
  skip "node is not installed: the JavaScript client and the page were not tested"
fi
echo "== all tests passed"
