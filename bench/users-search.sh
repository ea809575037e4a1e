#!/usr/bin/env bash
# Users search latency on PostgreSQL with N users (default 1,000,000): p50 and p99 of three searches through
# GET /api/v2/users?search_engine=v3&q=..., each on another user every time:
#   email      q=email:"user<i>@bench.latchkey.dev"
#   metadata   q=user_metadata.customer:"c<i>"
#   range      q=logins_count:[<i> TO <i+2>]     (logins_count spreads users over 0..99,999)
#
#  1. A fresh schema on the local PostgreSQL (PG_URL, default jdbc:postgresql://127.0.0.1:5432/test, user
#     postgres); the server migrates it (V14 adds the indexes), then N users are inserted with one SQL
#     generate_series statement and the table ANALYZEd.
#  2. WARM requests of each search unmeasured, then REQUESTS of each, one at a time (curl's time_total).
#
#   bench/users-search.sh                       the figure (1,000,000 users)
#   N=20000 REQUESTS=50 bench/users-search.sh   a smoke run
#
# Results: $RESULTS (default bench/results)/users-search-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

N=${N:-1000000}
REQUESTS=${REQUESTS:-1000}
WARM=${WARM:-200}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_PSQL=${PG_PSQL:-postgresql://postgres@127.0.0.1:5432/test}
RESULTS=${RESULTS:-bench/results}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
mkdir -p "$RESULTS"
OUT="$RESULTS/users-search-$(date -u +%Y%m%dT%H%M%SZ).txt"

ensure_server_jar
SCHEMA=bench_search_$(date +%s)
psql -q "$PG_PSQL" -c "CREATE SCHEMA $SCHEMA"
DATA=$(mktemp -d)
PORT=$(free_port)
cleanup() {
  stop_server
  psql -q "$PG_PSQL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
# One token asks one search after another: the Management API's per-token limit would answer 429s.
export LATCHKEY_RATE_LIMIT_MANAGEMENT="${LATCHKEY_RATE_LIMIT_MANAGEMENT:-1000000,1000000/s}"
LATCHKEY_DATABASE_URL="$PG_URL$([[ $PG_URL == *\?* ]] && echo \& || echo \?)currentSchema=$SCHEMA" LATCHKEY_DATABASE_USER=postgres \
  start_server "$PORT" "$DATA" "$DATA/server.log"
wait_ready "$PORT"
BASE="http://127.0.0.1:$PORT"
management_login "$BASE" "$DATA"

echo "Seeding $N users ..."
SEED_START=$(now_ms)
psql -q "$PG_PSQL" <<SQL
SET search_path TO $SCHEMA;
INSERT INTO users (user_id, connection, email, email_verified, name, user_metadata, app_metadata, blocked,
    created_at, updated_at, logins_count, phone_verified)
SELECT 'auth0|' || lpad(to_hex(i), 24, '0'), 'Username-Password-Authentication', 'user' || i || '@bench.latchkey.dev',
    true, 'Bench User ' || i, '{"customer":"c' || i || '"}', '{"plan":"p' || (i % 100) || '"}', false,
    1600000000000 + i * 1000, 1600000000000 + i * 1000, i % 100000, false
FROM generate_series(1, $N) AS i;
ANALYZE users;
SQL
SEED_MS=$(( $(now_ms) - SEED_START ))

# search NAME COUNT Q-TEMPLATE: COUNT requests, each with @N@ a random user number (@LO@ and @HI@ a range of
# logins counts); prints "status seconds" per request.
search() {
  local count=$2 template=$3 i n q
  for ((i = 0; i < count; i++)); do
    n=$(( (RANDOM * 32768 + RANDOM) % N + 1 ))
    q=${template//@N@/$n}
    q=${q//@LO@/$(( n % 100000 ))}
    q=${q//@HI@/$(( n % 100000 + 2 ))}
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -G "$BASE/api/v2/users" -H "Authorization: Bearer $MGMT" \
      --data-urlencode search_engine=v3 --data-urlencode "q=$q" --data-urlencode per_page=50
  done
}

percentiles() {
  awk '$1 != 200 { bad++ } { print $2 * 1000 }' | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no answers"; exit }
    printf "n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms\n", NR, v[int(NR * 0.5) < 1 ? 1 : int(NR * 0.5)],
      v[int(NR * 0.99) < 1 ? 1 : int(NR * 0.99)], v[NR] }'
}

declare -A QUERIES=(
  [email]='email:"user@N@@bench.latchkey.dev"'
  [metadata]='user_metadata.customer:"c@N@"'
  [range]='logins_count:[@LO@ TO @HI@]'
)
{
  echo "users-search: $N users on PostgreSQL ($(git rev-parse --short HEAD), $(nproc) cores), seeded in ${SEED_MS} ms"
  for name in email metadata range; do
    search "$name" "$WARM" "${QUERIES[$name]}" >/dev/null
    answers=$(search "$name" "$REQUESTS" "${QUERIES[$name]}")
    failed=$(awk '$1 != 200' <<<"$answers" | wc -l)
    echo "$name: $(percentiles <<<"$answers") non-200=$failed"
  done
} | tee "$OUT"
