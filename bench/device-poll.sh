#!/usr/bin/env bash
# Device-flow polls per second on PostgreSQL while codes are pending (RFC 8628 §3.4, issue 13), against the
# HTTP floor: the same server answering its cheapest endpoint (/health/live) with the same wrk settings, in the
# same run. Goal: polls / floor >= 0.5.
#
# Creates a fresh schema in the local PostgreSQL (dropped at the end), starts the server on it with the
# launcher's JVM flags and the per-address rate limit raised (every poll comes from 127.0.0.1 here, where real
# devices come from many addresses), creates a native application with the device code grant through the
# Management API, and asks /oauth/device/code for DEVICE_CODES pending codes. wrk then polls the token endpoint
# with them in turn (bench/device-poll.lua): each answer is 403 authorization_pending or 429 slow_down, both
# served; any other answer fails the run. Then: warm-up of both, and ROUNDS rounds of a floor window and a
# polling window, each `wrk -t1 -c$CONNECTIONS -d$DURATION --latency`. The figure is the polling rate over the
# floor rate, summed over the rounds.
#
#   bench/device-poll.sh
#
# Environment: DEVICE_CODES (1000), WARMUP (20s per kind), DURATION (20s), ROUNDS (2), CONNECTIONS (10),
# JAVA_OPTS (server JVM; default the launcher's flags), SERVER_JAR, PG_URL (jdbc:postgresql://127.0.0.1:5432/test),
# PG_USER, QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/device-poll-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/lifecycle.sh

DEVICE_CODES=${DEVICE_CODES:-1000}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
export LATCHKEY_RATE_LIMIT_ADDRESS="1000000,1000000/s"

begin_run device-poll
say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
DEVICE_CLIENT_ID=$(management POST clients '{"name":"Bench TV","app_type":"native",
  "grant_types":["urn:ietf:params:oauth:grant-type:device_code"]}' | jq -r .client_id)
export DEVICE_CLIENT_ID DEVICE_CODES_FILE=$data/device-codes.txt
: >"$DEVICE_CODES_FILE"
for ((i = 0; i < DEVICE_CODES; i++)); do
  curl -sf "$base/oauth/device/code" --data-urlencode "client_id=$DEVICE_CLIENT_ID" -d scope=openid \
    | jq -r .device_code >>"$DEVICE_CODES_FILE"
done
say "# $(grep -c . "$DEVICE_CODES_FILE") pending device codes of one native application (scope openid)"
answer=$(curl -s "$base/oauth/token" -d "grant_type=urn:ietf:params:oauth:grant-type:device_code" \
  --data-urlencode "client_id=$DEVICE_CLIENT_ID" --data-urlencode "device_code=$(head -1 "$DEVICE_CODES_FILE")")
jq -e '.error == "authorization_pending"' <<<"$answer" >/dev/null || { say "ERROR: a poll answered $answer"; exit 1; }
say "# a poll answers: $(jq -c . <<<"$answer")"

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP, polls then /health/live"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/device-poll.lua "$base" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$base/health/live" >/dev/null

floor_sum=0
rate_sum=0
p99s=()
floor_p99s=()
for ((round = 1; round <= ROUNDS; round++)); do
  measure "round $round HTTP floor (/health/live)" "$base/health/live"
  (( ERRORS == 0 )) || { say "ERROR: failed /health/live requests"; exit 1; }
  floor_sum=$(( floor_sum + RATE )); floor_p99s+=("$P99")
  measure "round $round device polls (pending codes)" -s bench/device-poll.lua "$base"
  answers=$(grep '^device answers' "$out" | tail -1)
  say "#   $answers"
  [[ $answers == *"unexpected 0" ]] || { say "ERROR: answers other than authorization_pending / slow_down"; exit 1; }
  rate_sum=$(( rate_sum + RATE )); p99s+=("$P99")
done

say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "device polls/s (pending, PostgreSQL): $(( rate_sum / ROUNDS ))   p99 ${p99s[*]} ms   HTTP floor (/health/live): $(( floor_sum / ROUNDS )) req/s   p99 ${floor_p99s[*]} ms"
say "ratio device polls / HTTP floor: $(awk -v a="$rate_sum" -v b="$floor_sum" 'BEGIN { printf "%.2f", a / b }')   (goal >= 0.5)"
echo "Results: $out"
