#!/usr/bin/env bash
# Runs every test in the solution after doing the set-up the suite needs (servers on 127.0.0.1 only).
# Ends with one line "N passed, N failed"; exits non-zero if any test failed.
#   ./test.sh                  everything (what CI runs)
#   ./test.sh --filter EXPR    a subset, e.g. --filter "FullyQualifiedName~Pareto"
#   LEVAIN_SKIP_SETUP=1        skip starting servers (tests that need them skip, unless CI=true)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ "${LEVAIN_SKIP_SETUP:-0}" != 1 ]]; then
  for setup in ci/setup/*.sh; do
    [[ -e "$setup" ]] || continue
    echo "== set-up: $setup"
    # Each set-up script exports what tests need into ci/setup/.env (KEY=VALUE lines).
    if ! bash "$setup"; then echo "set-up $setup failed; tests that need it will fail under CI=true" >&2; fi
  done
fi
if [[ -f ci/setup/.env ]]; then
  # KEY=VALUE lines, exported literally (values may hold ';', as connection strings do).
  while IFS= read -r line; do
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && export "${line%%=*}=${line#*=}"
  done < ci/setup/.env
fi

results="$root/TestResults"
rm -rf "$results"; mkdir -p "$results"
echo "== build"
if ! dotnet build Levain.slnx -c Release -nologo -v:q -clp:ErrorsOnly; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
echo "== test"
dotnet test Levain.slnx -c Release --no-build --nologo --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" > "$results/console.log" 2>&1
status=$?
grep -E '^\s*(Failed|Passed!|Failed!|Skipped) |error|Total tests|Test Run Aborted|crash' "$results/console.log" | grep -v '^\s*Passed ' | tail -200

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  # xUnit v3 leaves notExecuted at 0 in the counters; a skipped test is a result row with outcome NotExecuted.
  nx=$(grep -c 'outcome="NotExecuted"' "$trx")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0})); skipped=$((skipped + ${nx:-0}))
done
if [[ $failed -gt 0 ]]; then
  # Why each failed test failed (the first lines of its message), so a CI log that shows only the end says enough.
  echo "== failures"
  for trx in "$results"/*.trx; do
    [[ -e "$trx" ]] || continue
    awk '
      /<UnitTestResult / { name = ""; failed = 0; if (match($0, /testName="[^"]*"/)) name = substr($0, RSTART + 10, RLENGTH - 11); if ($0 ~ /outcome="Failed"/) failed = 1 }
      failed && /<Message>/ { inmsg = 1; lines = 0; print "-- " name; sub(/.*<Message>/, "") }
      inmsg { text = $0; done = sub(/<\/Message>.*/, "", text); if (lines < 12) print "   " text; lines++; if (done) { inmsg = 0; failed = 0 } }
    ' "$trx" | sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
  done
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "dotnet test exited $status without a failed test in the results (crash or abort); see $results/console.log" >&2
  failed=1
fi
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
