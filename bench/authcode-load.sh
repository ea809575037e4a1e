#!/usr/bin/env bash
# Full authorization-code round trips per second over HTTP on this machine's cores, against raw Argon2id
# hashes per second on the same cores (the ratio is the figure: the flow should cost little beyond the
# password hash).
#
#  1. Starts `java -jar server/target/latchkey.jar serve` with the launcher's JVM flags on a free port and a
#     fresh data dir (embedded H2); creates through the Management API a first-party regular_web application,
#     an API with skip_consent_for_verifiable_first_party_clients, and USERS users (POST /api/v2/users).
#  2. One driver JVM (dev.latchkey.bench.AuthCodeLoad, HttpURLConnection) does the rest and stays warm: VUS
#     virtual users, each a browser with its own cookie jar that starts every round trip with no cookies (so
#     every round trip checks the password): GET /authorize (PKCE S256, audience, openid profile email
#     read:items) -> GET /u/login (CSRF token from the page) -> POST /u/login -> [GET /u/consent -> POST
#     /u/consent accept] -> code from the redirect -> POST /oauth/token (client_secret_post + code_verifier).
#     Modes:
#       consent  prompt=consent on /authorize: the consent page is shown and accepted every round trip
#       skip     no prompt: consent skipped (first-party application, API allows skipping)
#  3. After a warm-up that lasts until the server's JIT compilers have settled (under 1% of its CPU in two 10 s
#     slices in a row; on 2 cores C2 goes on compiling H2's, Jetty's and JDBI's paths for two to four minutes),
#     or WARMUP seconds at most, and one unmeasured cycle (the first load window after it set C2 compiling
#     again), CYCLES cycles of: a RAW-second window of raw Argon2id (the server idle, the driver hashing on one
#     thread per core through the server's PasswordHasher at its default cost, m=19456 KiB, t=2, p=1), then a
#     LOAD-second window of each mode with a raw window after each. The host's speed drifts by 10-20% within a minute, so
#     each load window is compared with the raw windows just before and after it; the median per mode is the
#     figure. The driver reports the CPU time per round trip of the server (by thread kind), of itself and of
#     the rest, so a run shows whether it measured the steady state.
#  4. JMH's PasswordHashBenchmark.argon2idHash (2 threads) before and after, as a cross-check of the
#     driver's raw windows.
#
#   bench/authcode-load.sh            the figures
#   bench/authcode-load.sh --jfr      the same with the server under a JFR recording (results/*.jfr),
#                                     summarised by bench/jfr-hotspots.py (results/*-hotspots.txt)
#   ARGON2_COST=8:1:1 bench/authcode-load.sh
#                                     the server hashes at that cost (m:t:p) instead: the CPU per round trip
#                                     is then what the flow costs besides the hash (the ratio means nothing)
#
# Environment: VUS (4), USERS (= VUS), WARMUP (300 s at most), CYCLES (5), LOAD (15 s a load window), RAW (10 s a raw
# window), MODES ("consent,skip"), JAVA_OPTS (server JVM; default the launcher's flags), DRIVER_JAVA_OPTS (the
# driver's JVM), SERVER_JAR (another build), ARGON2_COST (above), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/authcode-load-<UTC time>.txt (+ -argon2-*.json)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

VUS=${VUS:-4}
USERS=${USERS:-$VUS}
WARMUP=${WARMUP:-300}
CYCLES=${CYCLES:-5}
LOAD=${LOAD:-15}
RAW=${RAW:-10}
MODES=${MODES:-consent,skip}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
# The driver's raw windows hash with the server's page size, so that the ratio compares like with like.
HUGE=; [[ $LAUNCHER_JAVA_OPTS == *UseTransparentHugePages* ]] && HUGE=" -XX:+UseTransparentHugePages"
DRIVER_JAVA_OPTS=${DRIVER_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC$HUGE}
JFR=
if [[ ${1:-} == --jfr ]]; then JFR=1; fi

ensure_server_jar
ensure_bench_jar
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$RESULTS/authcode-load-$stamp.txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
base=http://127.0.0.1:$port
if [[ -n $JFR ]]; then
  JAVA_OPTS="$JAVA_OPTS -XX:StartFlightRecording=settings=profile,filename=$(realpath "$RESULTS")/authcode-load-$stamp.jfr,dumponexit=true"
fi
trap 'stop_server; rm -rf "$data"' EXIT

say() { echo "$*" | tee -a "$out"; }
wait_quiet
say "# authcode-load $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# server JVM options: $JAVA_OPTS"
if [[ -n ${ARGON2_COST:-} ]]; then
  say "# server Argon2id cost: $ARGON2_COST, not the default: the CPU per round trip is the flow's own, the ratio means nothing"
fi
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# JMH's view of the raw rate, before and after (the server, if up, idle meanwhile): a cross-check of the
# driver's own raw windows. argon2_rate NAME prints the rate and keeps JMH's line.
JMH_ARGS=(-wi 1 -w 5s -i 2 -r 5s -f 1 -t 2)
argon2_rate() {
  local json=$RESULTS/authcode-load-$stamp-argon2-$1.json
  wait_jmh_lock
  java -jar "$BENCH_JAR" 'PasswordHashBenchmark.argon2idHash' "${JMH_ARGS[@]}" \
    -rf json -rff "$json" >"$data/argon2.log" 2>&1 || { cat "$data/argon2.log" >&2; exit 1; }
  grep -E '^PasswordHashBenchmark' "$data/argon2.log" >>"$out"
  jq '.[0].primaryMetric.score' "$json"
}
say "# JMH: java -jar $BENCH_JAR PasswordHashBenchmark.argon2idHash ${JMH_ARGS[*]}, before and after"
say "$(printf 'JMH Argon2id hashes/s (2 threads), before: %.1f' "$(argon2_rate before)")"

# The server and what a login needs.
wait_quiet 60
start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
create_web_app
create_users "$USERS"
say "# $USERS users, first-party regular_web application, API $BENCH_AUDIENCE (skip consent for first party)"

# One round trip by hand, so a broken setup fails here rather than as a run full of errors.
authcode_driver "$base" --audience "$BENCH_AUDIENCE" --scope "openid profile email read:items" --once \
  | jq -e '.access_token and .id_token' >/dev/null

authcode_driver "$base" --user-count "$USERS" --audience "$BENCH_AUDIENCE" \
  --scope "openid profile email read:items" --modes "$MODES" --vus "$VUS" --warmup "$WARMUP" \
  --cycles "$CYCLES" --load "$LOAD" --raw "$RAW" --server-pid "$SERVER_PID" | tee -a "$out"

rss=$(rss_mb "$SERVER_PID")
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS ${rss} MB"
stop_server
if [[ -n $JFR ]]; then
  say "JFR recording: $RESULTS/authcode-load-$stamp.jfr"
  # The first mode's first counted window, as the driver printed it.
  read -r window_from window_to < <(grep -m1 '^# measured from epoch ms' "$out" | awk '{ print $6, $8 }')
  python3 bench/jfr-hotspots.py "$RESULTS/authcode-load-$stamp.jfr" --window "$window_from" "$window_to" \
    >"$RESULTS/authcode-load-$stamp-hotspots.txt"
  say "JFR summary: $RESULTS/authcode-load-$stamp-hotspots.txt"
fi

say "$(printf 'JMH Argon2id hashes/s (2 threads), after: %.1f' "$(argon2_rate after)")"
echo "Results: $out"
