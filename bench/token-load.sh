#!/usr/bin/env bash
# Client-credentials RS256 tokens per second over HTTP, load generator on the same cores:
# starts `java -jar server/target/latchkey.jar serve` on a free port with a fresh data dir (embedded
# H2), creates an API, a non_interactive client and a client grant through the Management API,
# warms up, measures with `wrk -t1 -c10 -d20s`, keeps the load on until a minute has passed, then
# reads the server's resident memory (VmRSS). Raw ACCP signatures/s (JMH, 2 threads) are measured
# just before and just after, and the ratio tokens/s / signatures/s printed.
#
#   bench/token-load.sh            the figure
#   bench/token-load.sh --jfr      the same under a JFR profiling recording (results/*.jfr)
#
# Environment: WARMUP (default 15s), DURATION (20s), FLOOR (10s of /health/live, the same server
# without a signature), SOAK (25s: token load after those, so the server has been under load a
# minute when RSS is read), CONNECTIONS (10), JAVA_OPTS (server JVM), SERVER_JAR (another build),
# RATIO (1; 0 skips the signature measurements), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/token-load-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-20s}
SOAK=${SOAK:-25s}
FLOOR=${FLOOR:-10s}
CONNECTIONS=${CONNECTIONS:-10}
JFR=
if [[ ${1:-} == --jfr ]]; then JFR=1; fi

if ! command -v wrk >/dev/null; then
  echo "Installing wrk ..."
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
ensure_server_jar

RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$RESULTS/token-load-$stamp.txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
if [[ -n $JFR ]]; then
  JAVA_OPTS="${JAVA_OPTS:-} -XX:StartFlightRecording=settings=profile,filename=$(realpath "$RESULTS")/token-load-$stamp.jfr,dumponexit=true"
fi
trap 'stop_server; rm -rf "$data"' EXIT

say() { echo "$*" | tee -a "$out"; }
wait_quiet
say "# token-load $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# server JVM options: ${JAVA_OPTS:-(none)}"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"

# Raw ACCP signatures/s on 2 threads, right before the server starts and again after it stops: the
# vCPUs' placement on the host (separate cores or siblings of one core) changes both figures by up
# to 2x over minutes, so the ratio is taken against signatures measured next to the token run.
signatures() {
  if [[ ${RATIO:-1} == 1 ]]; then
    ensure_bench_jar >&2
    wait_jmh_lock
    java -jar "$BENCH_JAR" 'RsaSignatureBenchmark.reusedSignature' -p provider=ACCP \
      -t 2 -f 1 -wi 2 -w 3s -i 3 -r 3s | awk '/^RsaSignatureBenchmark/ { printf "%.0f", $(NF-3) }'
  fi
}
sig_before=$(signatures)
[[ -n $sig_before ]] && say "# raw RSA-2048 signatures/s, ACCP, 2 threads, before: $sig_before"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
base=http://127.0.0.1:$port

management_login "$base" "$data"

export AUDIENCE=https://bench.latchkey.dev/api
management POST resource-servers "{\"identifier\":\"$AUDIENCE\",\"name\":\"Bench API\",\"signing_alg\":\"RS256\",
  \"scopes\":[{\"value\":\"read:items\",\"description\":\"Read\"},{\"value\":\"write:items\",\"description\":\"Write\"}]}" >/dev/null
client=$(management POST clients '{"name":"bench","app_type":"non_interactive"}')
export CLIENT_ID CLIENT_SECRET
CLIENT_ID=$(jq -r .client_id <<<"$client")
CLIENT_SECRET=$(jq -r .client_secret <<<"$client")
management POST client-grants "{\"client_id\":\"$CLIENT_ID\",\"audience\":\"$AUDIENCE\",\"scope\":[\"read:items\",\"write:items\"]}" >/dev/null

# One token by hand, so a broken setup fails here rather than as a wrk run full of errors.
curl -sf "$base/oauth/token" -d grant_type=client_credentials --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "client_secret=$CLIENT_SECRET" --data-urlencode "audience=$AUDIENCE" | jq -e .access_token >/dev/null

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/client-credentials.lua "$base" >/dev/null

say "# measured: wrk -t1 -c$CONNECTIONS -d$DURATION --latency -s bench/client-credentials.lua"
machine_before=$(machine_jiffies); server_before=$(process_jiffies "$SERVER_PID"); measure_start=$(now_ms)
TIMEFORMAT='%U %S'
{ time wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/client-credentials.lua "$base" >"$data/wrk.out"; } 2>"$data/wrk.time"
measure_end=$(now_ms)
result=$(cat "$data/wrk.out")
echo "$result" >>"$out"
echo "$result"
# Where the 2 cores went during the measurement: the server, wrk, and everything else.
read -r busy total < <(paste -d' ' <(echo "$machine_before") <(machine_jiffies) | awk '{ print $3 - $1, $4 - $2 }')
server_cpu=$(( $(process_jiffies "$SERVER_PID") - server_before ))
wrk_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($1 + $2) * hz }' "$data/wrk.time")
cpu_split=$(awk -v b="$busy" -v t="$total" -v s="$server_cpu" -v w="$wrk_cpu" \
  'BEGIN { printf "server %.0f%%, wrk %.0f%%, other processes %.0f%%, idle %.0f%%", 100*s/t, 100*w/t, (b-s-w > 0 ? 100*(b-s-w)/t : 0), 100*(t-b)/t }')
requests=$(awk '/requests in/ { print $1 }' <<<"$result")
server_ms_per_token=$(awk -v s="$server_cpu" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.3f", 1000 * s / hz / n }')
say "# CPU of the 2 cores during the measurement: $cpu_split; server CPU per token: $server_ms_per_token ms"
if grep -q 'Non-2xx' <<<"$result"; then
  say "ERROR: some token requests failed"
  exit 1
fi

# The HTTP floor: the same server answering its cheapest endpoint, no signature. Tokens/s can
# approach it only as far as the signature leaves CPU to spare.
floor=$(wrk -t1 -c"$CONNECTIONS" -d"$FLOOR" "$base/health/live" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
say "# HTTP floor: wrk -t1 -c$CONNECTIONS -d$FLOOR $base/health/live: $floor req/s"

if [[ $SOAK != 0 && $SOAK != 0s ]]; then
  say "# soak: wrk -t1 -c$CONNECTIONS -d$SOAK"
  wrk -t1 -c"$CONNECTIONS" -d"$SOAK" -s bench/client-credentials.lua "$base" | grep 'Requests/sec' | tee -a "$out"
fi
rss=$(rss_mb "$SERVER_PID")
tokens=$(wrk_rate "$result")
p50=$(wrk_latency "$result" 50)
p99=$(wrk_latency "$result" 99)
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "tokens/s: $tokens   latency p50: $p50   p99: $p99   HTTP floor: $floor req/s   RSS after load: ${rss} MB
server CPU per token: $server_ms_per_token ms   CPU: $cpu_split"
stop_server
sig_after=$(signatures)
if [[ -n $sig_before && -n $sig_after ]]; then
  say "# raw RSA-2048 signatures/s, ACCP, 2 threads, after: $sig_after"
  say "ratio tokens/s / raw ACCP signatures/s (mean of before and after): $(awk -v t="$tokens" -v a="$sig_before" -v b="$sig_after" 'BEGIN { printf "%.2f", 2 * t / (a + b) }')"
fi
if [[ -n $JFR ]]; then
  say "JFR recording: $RESULTS/token-load-$stamp.jfr"
  say "Summary of the measured 20 s: bench/jfr-hotspots.py $RESULTS/token-load-$stamp.jfr --window $measure_start $measure_end"
fi
echo "Results: $out"
