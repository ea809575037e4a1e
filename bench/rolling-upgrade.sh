#!/usr/bin/env bash
# A rolling upgrade under load (issue 14): two nodes of an earlier build (PREVIOUS) on one PostgreSQL (a
# private cluster) behind the round-robin proxy (dev.latchkey.bench.RoundRobinProxy), under the mixed load of
# dev.latchkey.bench.FaultLoad. Every STEP seconds one node is stopped with SIGTERM (it drains; the proxy sends
# new requests to the other) and started again from this build: the first new node migrates the schema while
# the old node goes on serving on it (the migrations only add: expand first, contract one release later).
# Between the two replacements an old node is also started on the migrated schema apart from the proxy, as a
# rollback or an old node's restart in the middle of an upgrade would do. Then each virtual user redeems its
# last refresh token and calls /userinfo with its last opaque token (--final-check), and every token received
# is verified.
#
# Goal: 0 errors. Build PREVIOUS is built in a temporary git worktree unless PREVIOUS_JAR names its jar.
#
#   bench/rolling-upgrade.sh [PREVIOUS]        PREVIOUS defaults to 96f62b0, the release before this one
#                                              (migrations V1..V11), whose schema this build's extend
#
# Environment: STEP (20 s), VUS (8), SEED_USERS (4), JAVA_OPTS (server JVM; default the launcher's flags),
# SERVER_JAR, PREVIOUS_JAR, KEEP_DATA (keep the scratch folder).
# Results: $RESULTS (default bench/results)/rolling-upgrade-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/faults.sh

previous=${1:-96f62b0}
STEP=${STEP:-20}
VUS=${VUS:-8}
export JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

if [[ -n ${PREVIOUS_JAR:-} ]]; then
  previous_jar=$(realpath "$PREVIOUS_JAR")
else
  build_commit_jar "$previous"
  previous_jar=$COMMIT_JAR
fi
begin_faults rolling-upgrade
trap 'end_faults; remove_commit_worktree' EXIT
new_jar=$(realpath "$SERVER_JAR")
migrations() { git ls-tree --name-only "$1" server/src/main/resources/db/migration/ | sed -E 's#.*/(V[0-9]+)__.*#\1#' | paste -sd' ' -; }
say "# previous build $previous (migrations $(migrations "$previous")), this build $(git rev-parse --short HEAD) (migrations $(ls server/src/main/resources/db/migration | sed -E 's#(V[0-9]+)__.*#\1#' | paste -sd' ' -))"
schema() { psql_run 'SELECT string_agg(version, $$ $$ ORDER BY installed_rank) FROM flyway_schema_history WHERE success' -At; }

proxy_port=$(free_port)
ports=("$(free_port)" "$(free_port)")
export ISSUER=http://127.0.0.1:$proxy_port/
base=http://127.0.0.1:$proxy_port
start_node "${ports[0]}" "$previous_jar"
start_node "${ports[1]}" "$previous_jar"
start_proxy "$proxy_port" "${ports[0]},${ports[1]}"
say "# two nodes of $previous on ports ${ports[*]} behind the proxy on $proxy_port; schema versions applied: $(schema)"
management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"

say "# load: FaultLoad --vus $VUS --final-check through the proxy; one node replaced every $STEP s"
fault_load "$base" --vus "$VUS" --seconds 3600 --stop-file "$data/stop" --final-check --out "$data/load" \
  >"$data/load.out" 2>&1 &
load_pid=$!

# replace PORT: SIGTERM to the old node, this build started on its port.
replace() {
  local from=$(now_ms)
  stop_node "$1" TERM
  local stopped=$(now_ms)
  start_node "$1" "$new_jar"
  say "node $1: stopped in $(( stopped - from )) ms, this build ready $(( $(now_ms) - stopped )) ms later; schema versions applied: $(schema)"
}

sleep "$STEP"
replace "${ports[1]}"
sleep "$STEP"
# An old node on the migrated schema, outside the proxy: does the previous build still start?
old_port=$(free_port)
if ISSUER= start_node "$old_port" "$previous_jar" 2>/dev/null; then
  say "previous build started again on the migrated schema: ready (a rollback or an old node's restart works)"
  stop_node "$old_port" TERM
else
  say "previous build started again on the migrated schema: REFUSED: $(grep -m1 -E 'ERROR|Exception' "$data/node-$old_port.log" | cut -c1-300)"
  stop_node "$old_port" KILL
fi
replace "${ports[0]}"
sleep "$STEP"
touch "$data/stop"
wait "$load_pid" || true
grep -E '^(summary|count)' "$data/load.out" | tee -a "$out"
say "# proxy: $(proxy_stats "$proxy_port")"
say "$(verify_tokens "$base" "$data/load" || true)"
say "$(grep -o 'final_[a-z]*_[0-9-]* [0-9]*' "$data/load.out" | sed 's/^/final check /' | paste -sd';' -)"
say "# database: $(single_use_violations)"
say "# refresh tokens: $(psql_run "SELECT count(*) FILTER (WHERE current_hash IS NOT NULL) || ' family-form rows, ' || count(*) FILTER (WHERE current_hash IS NULL AND rotated_at IS NULL) || ' live row-form tokens' FROM refresh_tokens" -At 2>/dev/null || echo 'not read')"
say "# release gate (this build's nodes): $(cat "$data"/node-*.log 2>/dev/null | grep -ho 'A node of an earlier release uses the database.*\|Every node on the database is of this release.*' | sort | uniq -c | paste -sd';' - || true)"
say "errors during the upgrade (load driver): $(awk '/^summary ALL/ { print $6 }' "$data/load.out") of $(awk '/^summary ALL/ { print $4 }' "$data/load.out") (goal 0)"
echo "Results: $out"
