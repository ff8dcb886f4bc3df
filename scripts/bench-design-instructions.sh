#!/usr/bin/env bash
# Instructions of one beam design, counted by valgrind's callgrind (the same count from one run to
# the next, unlike timings on shared cores): the example `design_loop` designs the beam 200 and
# 1 200 times, and the difference of the two totals over 1 000 is one design (start-up cancels).
# With WHAT=json it counts writing the beam's result as JSON (serde_json) instead. Usage:
#   [WHAT=json] ./scripts/bench-design-instructions.sh ['{"width": 300, "depth": 450, "Mu": 150, …}']
# (the README beam when no beam is given). Needs valgrind (`apt-get install valgrind`).
set -euo pipefail
cd "$(dirname "$0")/.."
BEAM=${1:-'{"width": 300, "depth": 450, "Mu": 150, "Vu": 100, "span": 5000}'}
WHAT=${WHAT:-design}
cargo build --release -q -p is456 --example design_loop
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
total() {
  valgrind --tool=callgrind --callgrind-out-file="$OUT" ./target/release/examples/design_loop \
    "$1" "$BEAM" "$WHAT" >/dev/null 2>&1
  callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
SHORT=$(total 200)
LONG=$(total 1200)
echo "{\"beam\": $BEAM, \"what\": \"$WHAT\", \"instructions_each\": $(((LONG - SHORT) / 1000))}"
