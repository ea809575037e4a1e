#!/usr/bin/env bash
# Introspections per second of an opaque access token on PostgreSQL (RFC 7662, issue 11), against the HTTP
# floor: the same server answering its cheapest endpoint (/health/live) with the same wrk settings, in the
# same run.
#
# Creates a fresh schema in the local PostgreSQL (dropped at the end), starts the server on it with the
# launcher's JVM flags, creates a first-party web application and one user through the Management API, and
# gets an opaque access token by one authorization-code login without an audience (scope "openid profile
# email"; dev.latchkey.bench.TokenSeed). The web application, a confidential client, introspects it with
# client_secret_post (bench/introspect.lua). Then: warm-up of both, and ROUNDS rounds of a floor window and an
# introspection window, each `wrk -t1 -c$CONNECTIONS -d$DURATION --latency`. The figure is the introspection
# rate over the floor rate, summed over the rounds.
#
#   bench/introspect-load.sh
#
# Environment: WARMUP (20s per kind), DURATION (20s), ROUNDS (2), CONNECTIONS (10), JAVA_OPTS (server JVM;
# default the launcher's flags), SERVER_JAR, PG_URL (jdbc:postgresql://127.0.0.1:5432/test), PG_USER,
# QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/introspect-load-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/lifecycle.sh

WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

begin_run introspect-load
say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
create_lifecycle_apps
SEED_USERS=1 create_users 1
SEED_USERS=1 seed_tokens "$base" "$data/token.txt" 1 "openid profile email" "" access_token
token=$(head -1 "$data/token.txt")
if [[ -z $token || $token == *.*.* ]]; then
  say "ERROR: expected an opaque access token, got: ${token:0:20}..."
  exit 1
fi
export INTROSPECT_CLIENT_ID=$APP_ID INTROSPECT_CLIENT_SECRET=$APP_SECRET INTROSPECT_TOKEN=$token
answer=$(curl -sf "$base/oauth/introspect" --data-urlencode "client_id=$APP_ID" \
  --data-urlencode "client_secret=$APP_SECRET" --data-urlencode "token=$token")
jq -e '.active == true' <<<"$answer" >/dev/null || { say "ERROR: the token is not active: $answer"; exit 1; }
say "# opaque access token (${#token} characters) from one authorization-code login, scope openid profile email"
say "# an introspection answers: $(jq -c . <<<"$answer")"

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP, introspection then /health/live"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/introspect.lua "$base" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$base/health/live" >/dev/null

commits() { psql_run "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()" -At; }
floor_sum=0
rate_sum=0
p99s=()
floor_p99s=()
commits_before=$(commits)
for ((round = 1; round <= ROUNDS; round++)); do
  measure "round $round HTTP floor (/health/live)" "$base/health/live"
  (( ERRORS == 0 )) || { say "ERROR: failed /health/live requests"; exit 1; }
  floor_sum=$(( floor_sum + RATE )); floor_p99s+=("$P99")
  measure "round $round introspection (opaque)" -s bench/introspect.lua "$base"
  (( ERRORS == 0 )) || { say "ERROR: failed introspection requests"; exit 1; }
  rate_sum=$(( rate_sum + RATE )); p99s+=("$P99")
done
commits_during=$(( $(commits) - commits_before ))
answer=$(curl -sf "$base/oauth/introspect" --data-urlencode "client_id=$APP_ID" \
  --data-urlencode "client_secret=$APP_SECRET" --data-urlencode "token=$token")
jq -e '.active == true' <<<"$answer" >/dev/null || { say "ERROR: the token is no longer active: $answer"; exit 1; }

say "# PostgreSQL transactions in database $pg_db during the measured rounds: $commits_during (any client of that database counts; statistics can lag by seconds)"
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "introspections/s (opaque, PostgreSQL): $(( rate_sum / ROUNDS ))   p99 ${p99s[*]} ms   HTTP floor (/health/live): $(( floor_sum / ROUNDS )) req/s   p99 ${floor_p99s[*]} ms"
say "ratio introspection / HTTP floor: $(awk -v a="$rate_sum" -v b="$floor_sum" 'BEGIN { printf "%.2f", a / b }')   (goal >= 0.7)"
echo "Results: $out"
