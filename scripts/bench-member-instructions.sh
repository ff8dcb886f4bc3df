#!/usr/bin/env bash
# Instructions of one member design, counted by valgrind's callgrind over the member bench (the same
# count from one run to the next, unlike timings on shared cores): the instructions of
# `design_member` and everything it calls, over the designs the bench ran (counted as the runs of
# `Design::run`: one a design while the first stirrup diameter tried can be built, as in the bench's
# members). Usage:
#   ./scripts/bench-member-instructions.sh [member_3x11x4 | member_3x11x4_ductile]
# Needs valgrind (`apt-get install valgrind`).
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=${1:-member_3x11x4}
BIN=$(cargo bench -p is456 --bench member --no-run 2>&1 | grep -o 'target/release/deps/member-[0-9a-f]*' | head -1)
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$BIN" --bench --profile-time 2 "$NAME\$" >/dev/null 2>&1
TOTAL=$(callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null |
  grep -E "^ *[0-9,]+ .*/crates/is456/src/member/mod.rs:is456::member::design_member$" |
  awk '{gsub(",", "", $1); print $1}' | head -1)
CALLS=$(callgrind_annotate --tree=calling "$OUT" 2>/dev/null |
  grep -E ">.*is456::member::Design::run \(" | grep -o "([0-9,]*x)" | tr -d '(),x' | head -1)
echo "{\"bench\": \"$NAME\", \"designs\": $CALLS, \"instructions_per_design\": $((TOTAL / CALLS))}"
