#!/usr/bin/env bash
# Runs each Jazzer fuzz target in fuzzing mode (JAZZER_FUZZ=1) for RUNS inputs or MAX_SECONDS, whichever
# comes first, one target per JVM as Jazzer requires. Prints, per target, the inputs run, the time, and any
# finding; a crashing input is copied into the target's seed corpus
# (src/test/resources/<package>/<TestClass>Inputs/<method>/), so that `mvn verify` replays it from then on.
#
#   bench/fuzz.sh                          every target, 1,000,000 inputs each (at most 15 min each)
#   RUNS=200000 bench/fuzz.sh              fewer inputs on a slow machine
#   bench/fuzz.sh SearchQuery signedTokens   only the targets whose Class#method contains one of these
#
# Environment: RUNS (1000000), MAX_SECONDS per target (900), RESULTS (bench/results).
# Results: $RESULTS/fuzz-<UTC time>/<target>.log (Maven and libFuzzer output) and summary.txt.
# Jazzer keeps what it learnt in <module>/.cifuzz-corpus/ (not committed): a second run starts from there.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-1000000}
MAX_SECONDS=${MAX_SECONDS:-900}
RESULTS=${RESULTS:-bench/results}
out=$RESULTS/fuzz-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
say() { echo "$*" | tee -a "$out/summary.txt"; }

# module  package  class  method
TARGETS=(
  "server dev.latchkey.server.oauth TokenRequestFuzzTest bodiesParseToARequestOrAnOAuthError"
  "server dev.latchkey.server.oauth.authorize AuthorizeChecksFuzzTest checksEndInAnAuthorizationOrAnAuthorizeError"
  "server dev.latchkey.server.management ManagementBodyFuzzTest bodiesAreReadOrRefusedWithAPayloadError"
  "server dev.latchkey.server.management SearchQueryFuzzTest queriesParseToTermsOrAQueryError"
  "verifier dev.latchkey.verifier VerifierFuzzTest arbitraryStrings"
  "verifier dev.latchkey.verifier VerifierFuzzTest signedTokens"
)

say "# fuzz $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# RUNS=$RUNS MAX_SECONDS=$MAX_SECONDS, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Building the server and the verifier ..."
mvn -q -pl server -am install -DskipTests

failed=0
for target in "${TARGETS[@]}"; do
  read -r module package class method <<<"$target"
  if [[ $# -gt 0 ]]; then
    wanted=0
    for pattern in "$@"; do
      [[ $class#$method == *"$pattern"* ]] && wanted=1
    done
    (( wanted )) || continue
  fi
  log=$out/$class-$method.log
  inputs=$module/src/test/resources/${package//.//}/${class}Inputs/$method
  mkdir -p "$inputs"
  marker=$out/.started-$class-$method
  touch "$marker"
  started=$(date +%s)
  # libFuzzer flags reach Jazzer as JUnit configuration parameters; argument 0 stands for the program name.
  # The last -max_total_time wins over the one @FuzzTest's default maxDuration adds.
  status=0
  JAZZER_FUZZ=1 mvn -o -B -pl "$module" test -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs="$RUNS" \
    -Djazzer.internal.arg.2=-max_total_time="$MAX_SECONDS" -Djazzer.internal.arg.3=-print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - started ))
  runs=$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  # Jazzer writes a crashing input into the inputs directory when it exists, else into the module's root.
  crashes=()
  while IFS= read -r crash; do
    [[ $(dirname "$crash") == "$inputs" ]] || cp "$crash" "$inputs/"
    crashes+=("$inputs/$(basename "$crash")")
  done < <(find "$module" "$inputs" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
    -newer "$marker" | sort -u)
  finding=$(grep -a -m1 -E '^== Java Exception:|^==[0-9]+== ERROR|FuzzTestFinding' "$log" || true)
  if (( status != 0 || ${#crashes[@]} > 0 )); then
    failed=1
    say "$class#$method: FINDING after ${runs:-?} inputs in ${seconds}s: ${finding:-exit status $status, see $log}"
    for crash in "${crashes[@]}"; do
      say "  input kept as $crash"
    done
  else
    say "$class#$method: ${runs:-?} inputs in ${seconds}s (including Maven and JVM start), no finding"
  fi
  rm -f "$marker"
done
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); logs in $out"
exit $failed
