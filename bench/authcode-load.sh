#!/usr/bin/env bash
# Full authorization-code round trips per second over HTTP on this machine's cores, against raw Argon2id
# hashes per second on the same cores (the ratio is the figure: the flow should cost little beyond the
# password hash).
#
#  1. Argon2id hashes/s: JMH PasswordHashBenchmark.argon2idHash, 2 threads, the server's PasswordHasher at
#     its default cost (Argon2Cost.OWASP: m=19456 KiB, t=2, p=1). Measured before the first window and
#     after every window (the server idle meanwhile): on this shared machine the raw rate drifts by ±10-15%
#     within minutes, so each window's ratio is taken against the mean of the rates just before and just
#     after it, and the median of a mode's windows is the figure.
#  2. Starts `java -jar server/target/latchkey.jar serve` with the launcher's JVM flags on a free port and a
#     fresh data dir (embedded H2); creates through the Management API a first-party regular_web application,
#     an API with skip_consent_for_verifiable_first_party_clients, and USERS users (POST /api/v2/users).
#  3. The load driver (dev.latchkey.bench.AuthCodeLoad, HttpURLConnection) runs VUS virtual users, each a browser
#     with its own cookie jar that starts every round trip with no cookies (so every round trip checks the
#     password): GET /authorize (PKCE S256, audience, openid profile email read:items) -> GET /u/login (CSRF
#     token from the page) -> POST /u/login -> [GET /u/consent -> POST /u/consent accept] -> code from the
#     redirect -> POST /oauth/token (client_secret_post + code_verifier). Per mode:
#       consent  prompt=consent on /authorize: the consent page is shown and accepted every round trip
#       skip     no prompt: consent skipped (first-party application, API allows skipping)
#
#  4. The first window's warm-up is long (WARMUP, 120 s): on 2 cores the C2 compiler goes on compiling the
#     server's many paths (H2, Jetty, Javalin, JDBI) for about two minutes under this load, taking 3-5 ms of
#     CPU per round trip at first and ~0.2 ms after, while the rate climbs from ~40/s to its steady value.
#     Later windows start a new driver JVM with a shorter warm-up (MODE_WARMUP, REWARM). The driver
#     reports the CPU time per round trip of the server (by thread kind), of itself and of the rest, so a
#     run shows whether it measured the steady state.
#
#   bench/authcode-load.sh            the figures
#   bench/authcode-load.sh --jfr      the same with the server under a JFR recording (results/*.jfr),
#                                     summarised by bench/jfr-hotspots.py (results/*-hotspots.txt)
#
# Environment: VUS (4), USERS (= VUS), WARMUP (120 s, before the first window), MODE_WARMUP (30 s, before
# a later mode's first window), REWARM (10 s, before the other windows), DURATION (20 s a window),
# ROUNDS (3 windows a mode), MODES ("consent skip"), JAVA_OPTS (server JVM; default the launcher's flags),
# DRIVER_JAVA_OPTS (the driver's JVM), SERVER_JAR (another build), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/authcode-load-<UTC time>.txt (+ -argon2-*.json)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

VUS=${VUS:-4}
USERS=${USERS:-$VUS}
WARMUP=${WARMUP:-120}
MODE_WARMUP=${MODE_WARMUP:-30}
REWARM=${REWARM:-10}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20}
MODES=${MODES:-consent skip}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
DRIVER_JAVA_OPTS=${DRIVER_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
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
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The physical limit: Argon2id at the server's cost, as many threads as the server lets hash at once.
# argon2_rate NAME: one short JMH run (the server, if up, idle meanwhile); prints the rate, keeps the line.
JMH_ARGS=(-wi 1 -w 5s -i 2 -r 5s -f 1 -t 2)
argon2_rate() {
  local json=$RESULTS/authcode-load-$stamp-argon2-$1.json
  wait_jmh_lock
  java -jar "$BENCH_JAR" 'PasswordHashBenchmark.argon2idHash' "${JMH_ARGS[@]}" \
    -rf json -rff "$json" >"$data/argon2.log" 2>&1 || { cat "$data/argon2.log" >&2; exit 1; }
  grep -E '^PasswordHashBenchmark' "$data/argon2.log" >>"$out"
  jq '.[0].primaryMetric.score' "$json"
}
say "# Argon2id: java -jar $BENCH_JAR PasswordHashBenchmark.argon2idHash ${JMH_ARGS[*]}, before and after every window"
hashes_prev=$(argon2_rate start)
say "$(printf 'Argon2id hashes/s (2 threads), before the first window: %.1f' "$hashes_prev")"

# 2. The server and what a login needs.
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

# 3. The round trips: ROUNDS windows per mode, each between two raw Argon2id measurements, so that each
# ratio compares rates taken within a minute of each other.
declare -A ratios
window_from=$(( $(now_ms) + WARMUP * 1000 ))
first=1
for mode in $MODES; do
  case $mode in
    consent) flags=(--prompt-consent) ;;
    skip) flags=() ;;
    *) echo "Unknown mode $mode (consent, skip)" >&2; exit 1 ;;
  esac
  for ((round = 1; round <= ROUNDS; round++)); do
    if [[ -n $first ]]; then warm=$WARMUP; first=
    elif (( round == 1 )); then warm=$MODE_WARMUP
    else warm=$REWARM
    fi
    say "# mode $mode, window $round of $ROUNDS: $VUS virtual users, ${warm}s warm-up, ${DURATION}s measured"
    result=$(authcode_driver "$base" --user-count "$USERS" --audience "$BENCH_AUDIENCE" \
      --scope "openid profile email read:items" "${flags[@]}" \
      --vus "$VUS" --warmup "$warm" --duration "$DURATION" --server-pid "$SERVER_PID")
    echo "$result" | tee -a "$out"
    rate=$(sed -n 's/^roundtrips_per_s=\([0-9.]*\) .*/\1/p' <<<"$result")
    errors=$(sed -n 's/^roundtrips_per_s=.* errors=\([0-9]*\)/\1/p' <<<"$result")
    if [[ $errors != 0 ]]; then
      say "WARNING: $errors round trips failed in mode $mode"
    fi
    hashes_next=$(argon2_rate "$mode-$round")
    ratio=$(awk -v r="$rate" -v a="$hashes_prev" -v b="$hashes_next" 'BEGIN { printf "%.2f", 2 * r / (a + b) }')
    say "$(printf 'window %s %d: round trips/s %.1f   Argon2id hashes/s %.1f before, %.1f after   ratio %s' \
      "$mode" "$round" "$rate" "$hashes_prev" "$hashes_next" "$ratio")"
    ratios[$mode]+="$ratio "
    hashes_prev=$hashes_next
  done
done

rss=$(rss_mb "$SERVER_PID")
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS ${rss} MB"
stop_server
if [[ -n $JFR ]]; then
  say "JFR recording: $RESULTS/authcode-load-$stamp.jfr"
  # The first mode's measured window (the server starts, is set up and warmed before that).
  python3 bench/jfr-hotspots.py "$RESULTS/authcode-load-$stamp.jfr" --window "$window_from" \
    "$((window_from + DURATION * 1000))" >"$RESULTS/authcode-load-$stamp-hotspots.txt"
  say "JFR summary: $RESULTS/authcode-load-$stamp-hotspots.txt"
fi

for mode in $MODES; do
  # shellcheck disable=SC2086
  say "ratio round trips / Argon2id hashes ($mode): median $(printf '%s\n' ${ratios[$mode]} | sort -n \
    | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }') of ${ratios[$mode]}"
done
echo "Results: $out"
