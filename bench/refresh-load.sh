#!/usr/bin/env bash
# Refresh-token grants per second with rotation on PostgreSQL, against client-credentials tokens per second
# on the same server in the same run (issue 11). Both answers carry one RS256 access token for the same API
# and no ID token (the refresh scope has no openid), so the difference is the refresh token's database work.
#
# Creates a fresh schema in the local PostgreSQL (dropped at the end), starts the server on it with the
# launcher's JVM flags, creates through the Management API an API with allow_offline_access, a first-party
# web application with rotating refresh tokens (Auth0's refresh_token object: rotating, expiring, 30 days
# absolute, 15 days idle) and a machine-to-machine client granted the API, and SEED_USERS users. Refresh
# tokens are seeded by full authorization-code logins (scope "offline_access read:items", audience the API;
# dev.latchkey.bench.TokenSeed), enough for every wrk connection in every run. Each refresh request takes a
# token from the pool and puts its successor back (bench/refresh-chain.lua): every virtual user chains its
# rotations, and no token is used twice.
#
# Then: warm-up (client credentials, then refresh), and ROUNDS rounds of a client-credentials window and a
# refresh window, each `wrk -t1 -c$CONNECTIONS -d$DURATION --latency`, alternating so that the host's drift
# falls on both. The figure is the refresh rate over the client-credentials rate, summed over the rounds.
#
#   bench/refresh-load.sh          the figure
#   bench/refresh-load.sh --jfr    the same, then one client-credentials and one refresh window under one JFR
#                                  recording (JFR_SETTINGS, default profile) taken with jcmd, each summarised alone
#                                  by bench/jfr-hotspots.py (results/*.jfr, *-<kind>-hotspots.txt)
#
# Environment: WARMUP (20s per kind), DURATION (20s), ROUNDS (2), CONNECTIONS (10), SEED_USERS (4),
# JAVA_OPTS (server JVM; default the launcher's flags), SERVER_JAR, JFR_SETTINGS (a .jfc file), PG_URL
# (jdbc:postgresql://127.0.0.1:5432/test), PG_USER (postgres), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/refresh-load-<UTC time>.txt
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
SCOPE="offline_access read:items"
JFR=
windows=()
if [[ ${1:-} == --jfr ]]; then JFR=1; fi

begin_run refresh-load
say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"
export CLIENT_ID=$M2M_ID CLIENT_SECRET=$M2M_SECRET AUDIENCE=$BENCH_AUDIENCE REFRESH_CLIENT_ID=$APP_ID REFRESH_CLIENT_SECRET=$APP_SECRET

# Every wrk run loses at most one token per connection (the ones in flight when it stops).
runs=$(( 1 + ROUNDS + ${JFR:-0} * 2 ))
seed_tokens "$base" "$TOKENS_FILE" $(( CONNECTIONS * (runs + 1) )) "$SCOPE" "$BENCH_AUDIENCE"
say "# seeded $(grep -c . "$TOKENS_FILE") refresh tokens by authorization-code logins (scope \"$SCOPE\", audience $BENCH_AUDIENCE)"

# One refresh by hand, so that a broken setup fails here rather than as a wrk run full of errors.
first=$(head -1 "$TOKENS_FILE")
answer=$(curl -sf "$base/oauth/token" -d grant_type=refresh_token --data-urlencode "client_id=$APP_ID" \
  --data-urlencode "client_secret=$APP_SECRET" --data-urlencode "refresh_token=$first")
jq -e '.access_token and .refresh_token and (.id_token | not)' <<<"$answer" >/dev/null
sed -i 1d "$TOKENS_FILE"
jq -r .refresh_token <<<"$answer" >>"$TOKENS_FILE"
say "# a refresh answers: $(jq -c 'with_entries(.value |= (if type == "string" then (.[0:12] + "...") else . end))' <<<"$answer")"

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP, client credentials then refresh"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/client-credentials.lua "$base" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/refresh-chain.lua "$base" >/dev/null 2>>"$out"

cc_sum=0
rt_sum=0
cc_p99s=()
rt_p99s=()
for ((round = 1; round <= ROUNDS; round++)); do
  measure "round $round client-credentials" -s bench/client-credentials.lua "$base"
  (( ERRORS == 0 )) || { say "ERROR: failed client-credentials requests"; exit 1; }
  cc_sum=$(( cc_sum + RATE )); cc_p99s+=("$P99")
  top_up_tokens "$base" "$TOKENS_FILE" "$CONNECTIONS" "$SCOPE" "$BENCH_AUDIENCE"
  measure "round $round refresh (rotating)" -s bench/refresh-chain.lua "$base"
  (( ERRORS == 0 )) || { say "ERROR: failed refresh requests"; tail -3 "$out"; exit 1; }
  rt_sum=$(( rt_sum + RATE )); rt_p99s+=("$P99")
done

say "# PostgreSQL: $(psql_run "SELECT count(*) || ' refresh_tokens rows, ' || pg_size_pretty(pg_total_relation_size('refresh_tokens')) FROM refresh_tokens" -At)"
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "refresh grants/s (rotating, PostgreSQL): $(( rt_sum / ROUNDS ))   p99 ${rt_p99s[*]} ms   client-credentials tokens/s: $(( cc_sum / ROUNDS ))   p99 ${cc_p99s[*]} ms"
say "ratio refresh / client credentials: $(awk -v a="$rt_sum" -v b="$cc_sum" 'BEGIN { printf "%.2f", a / b }')   (goal >= 0.6)"

if [[ -n $JFR ]]; then
  # One recording, one window of each kind, each summarised alone: what a refresh costs beyond a token.
  jfr_file=$(realpath "$RESULTS")/refresh-load-$stamp.jfr
  jcmd "$SERVER_PID" JFR.start name=refresh settings="${JFR_SETTINGS:-profile}" >/dev/null
  # The first seconds under a new recording run slower (JFR's own start-up): only the runs after them count.
  top_up_tokens "$base" "$TOKENS_FILE" $(( 2 * CONNECTIONS )) "$SCOPE" "$BENCH_AUDIENCE"
  wrk -t1 -c"$CONNECTIONS" -d5s -s bench/refresh-chain.lua "$base" >/dev/null 2>>"$out"
  for kind in client-credentials refresh; do
    script=bench/client-credentials.lua
    [[ $kind == refresh ]] && script=bench/refresh-chain.lua
    from_ms=$(now_ms)
    measure "under JFR, $kind" -s "$script" "$base"
    until_ms=$(now_ms)
    windows+=("$kind $from_ms $until_ms")
    say "#   JFR window of $kind: $from_ms $until_ms (epoch ms)"
  done
  jcmd "$SERVER_PID" JFR.stop name=refresh filename="$jfr_file" >/dev/null
  for w in "${windows[@]}"; do
    read -r kind from_ms until_ms <<<"$w"
    python3 bench/jfr-hotspots.py "$jfr_file" --window "$from_ms" "$until_ms" >"${jfr_file%.jfr}-$kind-hotspots.txt"
  done
  say "# JFR: $jfr_file; summaries: ${jfr_file%.jfr}-{client-credentials,refresh}-hotspots.txt"
fi
echo "Results: $out"
