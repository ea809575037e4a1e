#!/usr/bin/env bash
# What a rotation costs PostgreSQL alone, for two ways of storing rotating refresh tokens (issue 11's design
# question), measured with pgbench, without the server:
#   row    today's design: a row per token (V5's refresh_tokens, its five indexes, fillfactor 70); a rotation is
#          JdbcRefreshTokenStore's one statement, a CTE that marks the presented row exchanged (in place) and
#          inserts its successor.
#   ordered the row design with ids that begin with their creation time (TimeOrderedIds), in a copy of the table.
#   family a row per family holding the current token's digest and the previous one; a rotation updates that
#          row by primary key, changing no indexed column (a heap-only update), and inserts nothing.
# Each table first gets HISTORY rows of random digests (exchanged tokens kept for reuse detection, as 30 days of
# rotations leave them; the family table gets a tenth as many rows, one per family), then CLIENTS pgbench
# connections each chain their own family's rotations for DURATION seconds, with prepared statements.
# COMMIT=durable (the default) waits for the WAL flush at each commit; COMMIT=async does not, as the server's
# exchange runs (JdbcRefreshTokenStore.EXCHANGE). Prints rotations/s and PostgreSQL's CPU per rotation: the
# machine's busy time over the run less pgbench's own (so other work on the machine counts too: run it quiet).
#
#   bench/refresh-storage.sh
#
# Environment: HISTORY (1000000), CLIENTS (10), DURATION (20), COMMIT (durable), PG_URL, PG_USER.
# Results: $RESULTS (default bench/results)/refresh-storage-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/lifecycle.sh

HISTORY=${HISTORY:-1000000}
CLIENTS=${CLIENTS:-10}
DURATION=${DURATION:-20}
COMMIT=${COMMIT:-durable}
case $COMMIT in
  durable) commit_options= ;;
  async) commit_options='-c synchronous_commit=off' ;;
  *) echo "COMMIT must be durable or async" >&2; exit 2 ;;
esac
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
out=$RESULTS/refresh-storage-$(date -u +%Y%m%dT%H%M%SZ).txt
scripts=$(mktemp -d)
trap 'drop_schema; rm -rf "$scripts"' EXIT
say() { echo "$*" | tee -a "$out"; }

fresh_schema
say "# refresh-storage $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores; $HISTORY history rows, $CLIENTS clients, ${DURATION} s each, $COMMIT commits"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Creating and filling the two tables ..."
psql_stdin >/dev/null <<SQL
CREATE TABLE refresh_tokens (
    id VARCHAR(64) PRIMARY KEY, token_hash VARCHAR(64) NOT NULL UNIQUE, family_id VARCHAR(64) NOT NULL,
    authorization_id VARCHAR(64) NOT NULL, client_id VARCHAR(64) NOT NULL, user_id VARCHAR(255) NOT NULL,
    audience VARCHAR(600), scope VARCHAR NOT NULL, sid VARCHAR(64), rotating BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL, last_used_at BIGINT, rotated_at BIGINT, idle_expires_at BIGINT,
    absolute_expires_at BIGINT, expires_at BIGINT NOT NULL) WITH (fillfactor = 70);
CREATE INDEX ON refresh_tokens (expires_at);
CREATE INDEX ON refresh_tokens (family_id);
CREATE INDEX ON refresh_tokens (authorization_id);
CREATE INDEX ON refresh_tokens (user_id, client_id, created_at);
INSERT INTO refresh_tokens SELECT md5('id' || g), md5('exchanged' || g), md5('family' || (g % ($HISTORY / 10 + 1))),
    md5('authorization' || g), 'app', 'auth0|user' || g, 'https://api.example', 'offline_access read:items',
    md5('sid' || g), true, 0, 0, 0, 9e15, NULL, 9e15 FROM generate_series(1, $HISTORY) g;
INSERT INTO refresh_tokens SELECT 'live' || g, md5('live' || g), 'live' || g, 'a' || g, 'app', 'auth0|live' || g,
    'https://api.example', 'offline_access read:items', 's' || g, true, 0, NULL, NULL, 9e15, NULL, 9e15
    FROM generate_series(1, $CLIENTS) g;
CREATE TABLE refresh_families (
    id VARCHAR(64) PRIMARY KEY, token_hash VARCHAR(64) NOT NULL, previous_hash VARCHAR(64), generation INT NOT NULL,
    authorization_id VARCHAR(64) NOT NULL, client_id VARCHAR(64) NOT NULL, user_id VARCHAR(255) NOT NULL,
    audience VARCHAR(600), scope VARCHAR NOT NULL, sid VARCHAR(64), rotating BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL, last_used_at BIGINT, rotated_at BIGINT, idle_expires_at BIGINT,
    absolute_expires_at BIGINT, expires_at BIGINT NOT NULL) WITH (fillfactor = 70);
CREATE INDEX ON refresh_families (expires_at);
CREATE INDEX ON refresh_families (authorization_id);
CREATE INDEX ON refresh_families (user_id, client_id, created_at);
INSERT INTO refresh_families SELECT md5('family' || g), md5('current' || g), NULL, 0, md5('authorization' || g),
    'app', 'auth0|user' || g, 'https://api.example', 'offline_access read:items', md5('sid' || g), true, 0, NULL,
    NULL, 9e15, NULL, 9e15 FROM generate_series(1, $HISTORY / 10) g;
INSERT INTO refresh_families SELECT 'live' || g, md5('live' || g), NULL, 0, 'a' || g, 'app', 'auth0|live' || g,
    'https://api.example', 'offline_access read:items', 's' || g, true, 0, NULL, NULL, 9e15, NULL, 9e15
    FROM generate_series(1, $CLIENTS) g;
CREATE TABLE refresh_tokens_ordered (LIKE refresh_tokens INCLUDING ALL) WITH (fillfactor = 70);
INSERT INTO refresh_tokens_ordered SELECT * FROM refresh_tokens;
VACUUM ANALYZE refresh_tokens;
VACUUM ANALYZE refresh_tokens_ordered;
VACUUM ANALYZE refresh_families;
CHECKPOINT;
SQL

# Each pgbench connection starts on its own live family, then carries the successor's digest in :cur.
start='\if :first
\set n :client_id + 1
SELECT md5('"'live'"' || :n) AS cur, '"'live'"' || :n AS family
\gset
\set first 0
\endif'
cat >"$scripts/row.sql" <<SQL
$start
WITH exchanged AS (UPDATE $PG_SCHEMA.refresh_tokens SET rotated_at = 1, last_used_at = 1
    WHERE token_hash = :cur AND client_id = 'app' AND rotated_at IS NULL AND rotating
    AND (idle_expires_at IS NULL OR idle_expires_at > 1) RETURNING *),
  successor AS (INSERT INTO $PG_SCHEMA.refresh_tokens (id, token_hash, family_id, authorization_id, client_id,
    user_id, audience, scope, sid, rotating, created_at, idle_expires_at, absolute_expires_at, expires_at)
    SELECT md5(token_hash || 'id'), md5(token_hash), family_id, authorization_id, client_id, user_id, audience,
      scope, sid, true, 1, 9e15, absolute_expires_at, 9e15 FROM exchanged RETURNING token_hash)
SELECT token_hash AS cur FROM successor
\gset
SQL
# The same with ids that begin with the time (as TimeOrderedIds makes them): the primary key takes each at its end.
sed -e "s/$PG_SCHEMA\.refresh_tokens /$PG_SCHEMA.refresh_tokens_ordered /g" \
  -e "s/SELECT md5(token_hash || 'id')/SELECT 'rt_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(md5(token_hash), 24)/" \
  "$scripts/row.sql" >"$scripts/ordered.sql"
cat >"$scripts/family.sql" <<SQL
$start
UPDATE $PG_SCHEMA.refresh_families SET previous_hash = token_hash, token_hash = md5(token_hash),
    generation = generation + 1, rotated_at = 1, last_used_at = 1, idle_expires_at = 9e15
  WHERE id = :family AND token_hash = :cur AND client_id = 'app' AND rotating
    AND (idle_expires_at IS NULL OR idle_expires_at > 1)
  RETURNING token_hash AS cur
\gset
SQL

# The machine's busy clock ticks so far (user, nice, system, irq, softirq).
machine_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

for design in row ordered family; do
  before=$(machine_ticks)
  report=$(PGOPTIONS="$commit_options" /usr/bin/time -f "pgbench-cpu %U %S" pgbench -h "$pg_host" -p "${pg_port:-5432}" \
    -U "$PG_USER" -n -M prepared -c "$CLIENTS" -j 1 -T "$DURATION" -D first=1 -f "$scripts/$design.sql" "$pg_db" 2>&1)
  after=$(machine_ticks)
  echo "$report" >>"$out"
  done_count=$(grep -o 'number of transactions actually processed: [0-9]*' <<<"$report" | grep -o '[0-9]*$')
  failed=$(grep -c 'ERROR' <<<"$report" || true)
  ms=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$done_count" \
    -v own="$(awk '/^pgbench-cpu/ { print $2 + $3 }' <<<"$report")" 'BEGIN { printf "%.3f", (t / hz - own) * 1000 / n }')
  say "$design: $(( done_count / DURATION )) rotations/s, PostgreSQL CPU $ms ms per rotation, errors $failed; load $(cut -d' ' -f1 /proc/loadavg)"
done
psql_run "SELECT 'row design: ' || count(*) FILTER (WHERE rotated_at = 1) || ' exchanged rows' FROM refresh_tokens" -At | tee -a "$out"
psql_run "SELECT 'family design: ' || sum(generation) || ' rotations' FROM refresh_families" -At | tee -a "$out"
say "# results in $out"
