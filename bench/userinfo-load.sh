#!/usr/bin/env bash
# /userinfo requests per second with an OPAQUE access token, on PostgreSQL, load generator on the same cores,
# next to the HTTP floor (/health/live on the same server: no token, no database, no JSON body).
#
# Creates a fresh schema in the local PostgreSQL (127.0.0.1:5432, user postgres, database test; dropped at
# the end), starts `java -jar server/target/latchkey.jar serve` on it with the launcher's JVM flags, creates a
# first-party web application and one user through the Management API, gets an opaque access token through
# one authorization-code round trip (no audience, scope "openid profile email"; dev.latchkey.bench.AuthCodeLoad
# --once), then: warm-up, `wrk -t1 -c10 -d20s -H "Authorization: Bearer <token>" /userinfo`, and the same
# wrk against /health/live.
#
#   bench/userinfo-load.sh          the figures
#   bench/userinfo-load.sh --jfr    the same, then a JFR profile (settings=profile) of each of the two loads
#                                   taken with jcmd, summarised by bench/jfr-hotspots.py (results/*.jfr, *.txt)
#
# Environment: WARMUP (15s), DURATION (20s), FLOOR (20s), CONNECTIONS (10), JAVA_OPTS (server JVM; default the
# launcher's flags), SERVER_JAR (another build), PG_URL (jdbc:postgresql://127.0.0.1:5432/test), PG_USER.
# Results: $RESULTS (default bench/results)/userinfo-load-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-20s}
FLOOR=${FLOOR:-20s}
CONNECTIONS=${CONNECTIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PG_USER:-postgres}
JFR=
if [[ ${1:-} == --jfr ]]; then JFR=1; fi

if ! command -v wrk >/dev/null; then
  echo "Installing wrk ..."
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
ensure_server_jar
ensure_bench_jar

# psql's view of PG_URL: host, port and database.
pg_host=$(sed -E 's#jdbc:postgresql://([^:/]+).*#\1#' <<<"$PG_URL")
pg_port=$(sed -nE 's#jdbc:postgresql://[^:/]+:([0-9]+)/.*#\1#p' <<<"$PG_URL")
pg_db=$(sed -E 's#jdbc:postgresql://[^/]+/([^?]+).*#\1#' <<<"$PG_URL")
psql_run() {
  local sql=$1
  shift
  psql -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "${pg_port:-5432}" -U "$PG_USER" -d "$pg_db" "$@" -c "$sql"
}
if ! psql_run 'SELECT 1' >/dev/null 2>&1; then
  echo "Starting PostgreSQL ..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  psql_run 'SELECT 1' >/dev/null
fi

RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$RESULTS/userinfo-load-$stamp.txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
base=http://127.0.0.1:$port
schema=lk_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
cleanup() {
  stop_server
  psql_run "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || echo "Could not drop schema $schema" >&2
  rm -rf "$data"
}
trap cleanup EXIT
psql_run "CREATE SCHEMA $schema"

say() { echo "$*" | tee -a "$out"; }
wait_quiet
say "# userinfo-load $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# server JVM options: $JAVA_OPTS"
say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

export LATCHKEY_DATABASE_URL="$PG_URL?currentSchema=$schema" LATCHKEY_DATABASE_USER=$PG_USER
start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
create_web_app
create_users 1

token=$(authcode_driver "$base" --scope "openid profile email" --once | jq -r .access_token)
if [[ -z $token || $token == null || $token == *.*.* ]]; then
  say "ERROR: expected an opaque access token, got: ${token:0:20}..."
  exit 1
fi
curl -sf "$base/userinfo" -H "Authorization: Bearer $token" | jq -e '.sub and .email' >/dev/null
say "# opaque access token (${#token} characters) from one authorization-code round trip, scope openid profile email"

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP (userinfo, then health/live)"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $token" "$base/userinfo" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d5s "$base/health/live" >/dev/null

say "# measured: wrk -t1 -c$CONNECTIONS -d$DURATION --latency -H \"Authorization: Bearer <token>\" $base/userinfo"
# How often the hot path reaches PostgreSQL: transactions committed in database $pg_db during the run (any
# other client of that database counts too).
commits() { psql_run "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()" -At; }
commits_before=$(commits)
result=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$base/userinfo")
commits_during=$(( $(commits) - commits_before ))
echo "$result" >>"$out"
echo "$result"
if grep -q 'Non-2xx' <<<"$result"; then
  say "ERROR: some /userinfo requests failed"
  exit 1
fi

say "# HTTP floor: wrk -t1 -c$CONNECTIONS -d$FLOOR --latency $base/health/live"
floor_result=$(wrk -t1 -c"$CONNECTIONS" -d"$FLOOR" --latency "$base/health/live")
echo "$floor_result" >>"$out"

rate=$(wrk_rate "$result")
p50=$(wrk_latency "$result" 50)
p99=$(wrk_latency "$result" 99)
floor=$(wrk_rate "$floor_result")
floor_p50=$(wrk_latency "$floor_result" 50)
say "# PostgreSQL transactions in database $pg_db during the measured run: $commits_during (approximate: statistics can lag by seconds)"
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "userinfo/s (opaque, PostgreSQL): $rate   p50: $p50   p99: $p99   HTTP floor (/health/live): $floor req/s, p50 $floor_p50   ratio to floor: $(awk -v a="$rate" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"

if [[ -n $JFR ]]; then
  # A recording of each load on its own, the same length as the measured runs.
  for target in userinfo health/live; do
    name=${target//\//-}
    jfr_file=$(realpath "$RESULTS")/userinfo-load-$stamp-$name.jfr
    headers=()
    if [[ $target == userinfo ]]; then headers=(-H "Authorization: Bearer $token"); fi
    jcmd "$SERVER_PID" JFR.start name="$name" settings=profile >/dev/null
    # The first seconds under a new recording run slower (JFR's own start-up): only the run after them
    # is summarised.
    wrk -t1 -c"$CONNECTIONS" -d5s "${headers[@]}" "$base/$target" >/dev/null
    from_ms=$(now_ms)
    rec=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "${headers[@]}" "$base/$target")
    until_ms=$(now_ms)
    jcmd "$SERVER_PID" JFR.stop name="$name" filename="$jfr_file" >/dev/null
    say "# under JFR: /$target $(wrk_rate "$rec") req/s; $jfr_file"
    python3 bench/jfr-hotspots.py "$jfr_file" --window "$from_ms" "$until_ms" >"${jfr_file%.jfr}-hotspots.txt"
    say "#   summary: ${jfr_file%.jfr}-hotspots.txt"
  done
fi
echo "Results: $out"
