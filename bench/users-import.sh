#!/usr/bin/env bash
# Bulk import throughput on PostgreSQL: N users (default 100,000) with bcrypt password hashes, imported with
# POST /api/v2/jobs/users-imports, in users per second, and the server's heap before, during and after.
#
#  1. The users file is generated once and cached (bench/results/cache/users-import-N.json): Auth0's import
#     schema with password_hash (bcrypt $2b$, cost 10, as Auth0 asks). Hashing 100,000 passwords at cost 10
#     takes an hour on two cores, so HASHES (default 1,000) distinct hashes are made and reused in turn; an
#     import stores hashes without computing them, so the figure does not depend on how many are distinct.
#  2. A fresh schema on the local PostgreSQL (PG_URL, default jdbc:postgresql://127.0.0.1:5432/test, user
#     postgres) and a server on it with the launcher's JVM flags.
#  3. The heap in use after a full GC (jcmd GC.run, GC.heap_info) before the import, its peak sampled every
#     200 ms during it (jstat), and after a full GC once the job has completed; the time from the upload to
#     the job's completed status.
#
#   bench/users-import.sh                 the figure (100,000 users)
#   N=2000 bench/users-import.sh          a smoke run
#
# Results: $RESULTS (default bench/results)/users-import-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

N=${N:-100000}
HASHES=${HASHES:-1000}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_PSQL=${PG_PSQL:-postgresql://postgres@127.0.0.1:5432/test}
RESULTS=${RESULTS:-bench/results}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
mkdir -p "$RESULTS/cache"
OUT="$RESULTS/users-import-$(date -u +%Y%m%dT%H%M%SZ).txt"
FILE="$RESULTS/cache/users-import-$N.json"

ensure_server_jar
if [[ ! -f $FILE ]]; then
  echo "Generating $FILE ($N users, $HASHES distinct bcrypt hashes) ..."
  java -cp "$SERVER_JAR" bench/src/import/ImportFile.java "$N" "$HASHES" "$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
fi

SCHEMA=bench_import_$(date +%s)
psql -q "$PG_PSQL" -c "CREATE SCHEMA $SCHEMA"
DATA=$(mktemp -d)
PORT=$(free_port)
LOG="$DATA/server.log"
cleanup() {
  stop_server
  psql -q "$PG_PSQL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
LATCHKEY_DATABASE_URL="$PG_URL$([[ $PG_URL == *\?* ]] && echo \& || echo \?)currentSchema=$SCHEMA" LATCHKEY_DATABASE_USER=postgres \
  LATCHKEY_IMPORT_MAX_BYTES=$((2 << 30)) start_server "$PORT" "$DATA" "$LOG"
wait_ready "$PORT"
BASE="http://127.0.0.1:$PORT"
management_login "$BASE" "$DATA"
CONNECTION_ID=$(management GET connections '' | jq -r '.[] | select(.name == "Username-Password-Authentication") | .id')

heap_used_mb() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  jcmd "$SERVER_PID" GC.heap_info | awk '/total/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[^0-9]/, "", v); s += v } } END { print int(s / 1024) }'
}

BEFORE=$(heap_used_mb)
PEAK_FILE="$DATA/peak"
( peak=0
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    used=$(jstat -gc "$SERVER_PID" | awk 'NR == 2 { printf "%d", ($3 + $4 + $6 + $8) / 1024 }')
    (( used > peak )) && peak=$used && echo "$peak" >"$PEAK_FILE"
    sleep 0.2
  done ) &
SAMPLER=$!

START=$(now_ms)
JOB=$(curl -sf "$BASE/api/v2/jobs/users-imports" -H "Authorization: Bearer $MGMT" \
  -F "users=@$FILE;type=application/json" -F "connection_id=$CONNECTION_ID" | jq -r .id)
STATUS=pending
until [[ $STATUS == completed || $STATUS == failed ]]; do
  sleep 0.1
  RESULT=$(management GET "jobs/$JOB" '')
  STATUS=$(jq -r .status <<<"$RESULT")
done
END=$(now_ms)
kill "$SAMPLER" 2>/dev/null || true
AFTER=$(heap_used_mb)
PEAK=$(cat "$PEAK_FILE" 2>/dev/null || echo "?")
ELAPSED=$(( END - START ))
{
  echo "users-import: $N users with bcrypt hashes on PostgreSQL ($(git rev-parse --short HEAD), $(nproc) cores)"
  echo "job: $(jq -c '{status, summary}' <<<"$RESULT")"
  echo "elapsed_ms: $ELAPSED"
  echo "users_per_s: $(( N * 1000 / (ELAPSED > 0 ? ELAPSED : 1) ))"
  echo "heap_used_mb_before: $BEFORE"
  echo "heap_used_mb_peak_during: $PEAK"
  echo "heap_used_mb_after: $AFTER"
  echo "file_mb: $(( $(stat -c %s "$FILE") >> 20 ))"
} | tee "$OUT"
