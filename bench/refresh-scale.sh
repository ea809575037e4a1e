#!/usr/bin/env bash
# Refresh latency with 10 million refresh-token rows in PostgreSQL against an empty table (issue 11): the p99
# of the same rotating-refresh load (bench/refresh-load.sh's: `wrk -t1 -c$CONNECTIONS`, each connection
# chaining its rotations, scope "offline_access read:items", one RS256 signature per answer) before and after
# the table is filled, on one server.
#
# Creates a fresh schema in the local PostgreSQL (dropped at the end), starts the server on it with the
# launcher's JVM flags, creates the API and the web application with rotating refresh tokens, and seeds the
# tokens the load exchanges by authorization-code logins. Then:
#   1. warm-up, CHECKPOINT, ROUNDS measured windows: the table holds only the bench's own rows;
#   2. the fill, with the server idle: the table's indexes and its primary-key and unique constraints are
#      dropped, ROWS rows written by bench/fill-refresh-tokens.py through psql's \copy (COPY FROM STDIN),
#      the same indexes and constraints built again (the definitions read from the catalogue before), then
#      VACUUM ANALYZE and CHECKPOINT;
#   3. warm-up, ROUNDS measured windows again.
# The figure is the mean p99 of the full table's windows over the mean p99 of the empty table's.
#
#   bench/refresh-scale.sh
#
# Environment: ROWS (10000000), WARMUP (60s: the first 20 s windows after a 20 s warm-up still had C2 compiling), DURATION (20s), ROUNDS (2), CONNECTIONS (10), SEED_USERS (4),
# JAVA_OPTS (server JVM; default the launcher's flags), SERVER_JAR, PG_URL (jdbc:postgresql://127.0.0.1:5432/test),
# PG_USER, QUIET_WAIT (180 s). The schema needs about 0.75 GB of disk per million rows while it lives.
# Results: $RESULTS (default bench/results)/refresh-scale-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/lifecycle.sh

ROWS=${ROWS:-10000000}
WARMUP=${WARMUP:-60s}
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
SCOPE="offline_access read:items"

begin_run refresh-scale
say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema, shared_buffers $(psql_run 'SHOW shared_buffers' -At)"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s; free on the database's disk: $(df -h --output=avail "$(psql_run 'SHOW data_directory' -At 2>/dev/null || echo /)" 2>/dev/null | tail -1 | tr -d ' ')"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"
export REFRESH_CLIENT_ID=$APP_ID REFRESH_CLIENT_SECRET=$APP_SECRET

# Every wrk run loses at most one token per connection (the ones in flight when it stops).
runs=$(( 2 * (1 + ROUNDS) ))
seed_tokens "$base" "$TOKENS_FILE" $(( CONNECTIONS * (runs + 1) )) "$SCOPE" "$BENCH_AUDIENCE"
say "# seeded $(grep -c . "$TOKENS_FILE") refresh tokens by authorization-code logins (scope \"$SCOPE\", audience $BENCH_AUDIENCE)"

table_note() {
  psql_run "SELECT count(*) || ' rows, ' || pg_size_pretty(pg_relation_size('refresh_tokens')) || ' table, '
    || pg_size_pretty(pg_indexes_size('refresh_tokens')) || ' indexes' FROM refresh_tokens" -At
}

# windows LABEL: warm-up, a checkpoint, ROUNDS measured windows; sets MEAN_P99 and MEAN_RATE.
windows() {
  local label=$1 p99s=() rates=() round
  say "# $label: $(table_note); warm-up wrk -t1 -c$CONNECTIONS -d$WARMUP"
  top_up_tokens "$base" "$TOKENS_FILE" $(( 2 * CONNECTIONS )) "$SCOPE" "$BENCH_AUDIENCE"
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/refresh-chain.lua "$base" >/dev/null 2>>"$out"
  psql_run CHECKPOINT
  for ((round = 1; round <= ROUNDS; round++)); do
    top_up_tokens "$base" "$TOKENS_FILE" "$CONNECTIONS" "$SCOPE" "$BENCH_AUDIENCE"
    measure "$label, round $round, refresh (rotating)" -s bench/refresh-chain.lua "$base"
    (( ERRORS == 0 )) || { say "ERROR: failed refresh requests"; tail -3 "$out"; exit 1; }
    p99s+=("$P99"); rates+=("$RATE")
  done
  MEAN_P99=$(printf '%s\n' "${p99s[@]}" | awk '{ s += $1 } END { printf "%.2f", s / NR }')
  MEAN_RATE=$(printf '%s\n' "${rates[@]}" | awk '{ s += $1 } END { printf "%.0f", s / NR }')
  say "# $label: mean p99 $MEAN_P99 ms, mean $MEAN_RATE refreshes/s"
}

windows "empty table"
empty_p99=$MEAN_P99
empty_rate=$MEAN_RATE

# The fill: bulk-load without the indexes, then build them, as one would load a table this size.
say "# fill: $ROWS rows by bench/fill-refresh-tokens.py through \\copy, indexes and constraints rebuilt after"
fill_start=$(now_ms)
constraints=$(psql_run "SELECT 'ALTER TABLE refresh_tokens ADD CONSTRAINT ' || quote_ident(conname) || ' '
  || pg_get_constraintdef(oid) || ';' FROM pg_constraint WHERE conrelid = 'refresh_tokens'::regclass
  AND contype IN ('p', 'u') ORDER BY contype" -At)
indexes=$(psql_run "SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i WHERE i.indrelid = 'refresh_tokens'::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)" -At)
drops=$(psql_run "SELECT 'ALTER TABLE refresh_tokens DROP CONSTRAINT ' || quote_ident(conname) || ';'
  FROM pg_constraint WHERE conrelid = 'refresh_tokens'::regclass AND contype IN ('p', 'u')
  UNION ALL SELECT 'DROP INDEX ' || quote_ident(c.relname) || ';' FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid = 'refresh_tokens'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)" -At)
echo "$drops" | psql_stdin
python3 bench/fill-refresh-tokens.py "$ROWS" --audience "$BENCH_AUDIENCE" \
  | psql_stdin -c "\\copy refresh_tokens ($(python3 bench/fill-refresh-tokens.py 0 --columns)) FROM pstdin"
copied=$(now_ms)
printf '%s\n%s\n' "$constraints" "$indexes" | PG_SESSION_OPTIONS=--maintenance_work_mem=512MB psql_stdin
indexed=$(now_ms)
psql_run 'VACUUM ANALYZE refresh_tokens'
psql_run CHECKPOINT
say "# fill took $(( (copied - fill_start) / 1000 )) s to copy, $(( (indexed - copied) / 1000 )) s to index, $(( ($(now_ms) - indexed) / 1000 )) s to vacuum and analyze; $(table_note)"

windows "${ROWS} rows"
full_p99=$MEAN_P99
full_rate=$MEAN_RATE

say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "refresh p99 with $ROWS rows: $full_p99 ms ($full_rate/s)   empty table: $empty_p99 ms ($empty_rate/s)"
say "ratio p99 full / p99 empty: $(awk -v a="$full_p99" -v b="$empty_p99" 'BEGIN { printf "%.2f", a / b }')   (goal <= 1.2)"
echo "Results: $out"
