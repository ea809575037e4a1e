#!/usr/bin/env bash
# Client-credentials tokens/s over raw RS256 signatures/s (bench/token-load.sh) for this build and for an
# earlier commit, run by run in alternation (issue 11: the ratio must be no lower after the token-lifecycle
# change than before it, commit 6d02dff).
#
# Builds the earlier commit's server jar in a temporary git worktree (removed at the end), unless BEFORE_JAR
# names one already built, then runs bench/token-load.sh PAIRS times against this build's jar and the earlier
# one in turn (this build first), with SOAK=0 (no resident-memory reading; everything else as token-load.sh,
# including its raw ACCP signature measurements before and after each server run). Prints every run's ratio
# and the mean of each build's, with the server's CPU time per token (less sensitive than the rates to other
# work on the cores).
#
#   bench/token-compare.sh [COMMIT]          COMMIT defaults to 6d02dff
#
# Environment: PAIRS (2), BEFORE_JAR, and what bench/token-load.sh reads (JAVA_OPTS defaults here to the
# launcher's flags, for both builds).
# Results: $RESULTS (default bench/results)/token-compare-<UTC time>.txt, and each run's token-load-*.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

before=${1:-6d02dff}
PAIRS=${PAIRS:-2}
export JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
export SOAK=0
RESULTS=${RESULTS:-bench/results}
export RESULTS
mkdir -p "$RESULTS"
out=$RESULTS/token-compare-$(date -u +%Y%m%dT%H%M%SZ).txt
say() { echo "$*" | tee -a "$out"; }

ensure_server_jar
ensure_bench_jar
after_jar=$(realpath "$SERVER_JAR")
after_rev=$(git rev-parse --short HEAD)$( [[ -n $(git status --porcelain -- server) ]] && echo "+changes" || true)
trap remove_commit_worktree EXIT
if [[ -n ${BEFORE_JAR:-} ]]; then
  before_jar=$(realpath "$BEFORE_JAR")
else
  build_commit_jar "$before"
  before_jar=$COMMIT_JAR
fi

say "# token-compare $(date -u '+%Y-%m-%d %H:%M UTC'): this build ($after_rev) against $before, $PAIRS pairs, JAVA_OPTS $JAVA_OPTS"
declare -A ratios=([after]="" [before]="")
for ((pair = 1; pair <= PAIRS; pair++)); do
  for build in after before; do
    jar=$after_jar
    [[ $build == before ]] && jar=$before_jar
    run=$(SERVER_JAR=$jar bench/token-load.sh 2>&1 | tee -a /dev/stderr)
    ratio=$(awk -F': ' '/^ratio tokens/ { print $2 }' <<<"$run")
    summary=$(grep -E '^tokens/s' <<<"$run" | head -1)
    file=$(awk '/^Results:/ { print $2 }' <<<"$run")
    say "pair $pair, $build ($([[ $build == after ]] && echo "$after_rev" || echo "$before")): $summary; ratio $ratio; $file"
    say "#   $(grep -E 'raw RSA-2048' "$file" | sed 's/^# //' | paste -sd';' -); $(grep -E '^server CPU per token' "$file" | sed 's/   CPU:/; CPU:/')"
    ratios[$build]+="$ratio "
  done
done
mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF }' <<<"$1"; }
say "ratio tokens/s / raw signatures/s, this build: ${ratios[after]}(mean $(mean "${ratios[after]}"))   $before: ${ratios[before]}(mean $(mean "${ratios[before]}"))   (goal: no lower)"
echo "Results: $out"
