#!/usr/bin/env bash
# Client-credentials RS256 tokens per second over HTTP, load generator on the same cores:
# starts `java -jar server/target/latchkey.jar serve` on a free port with a fresh data dir (embedded
# H2), creates an API, a non_interactive client and a client grant through the Management API,
# warms up, measures with `wrk -t1 -c10 -d20s`, keeps the load on until a minute has passed, then
# reads the server's resident memory (VmRSS).
#
#   bench/token-load.sh            the figure
#   bench/token-load.sh --jfr      the same under a JFR profiling recording (results/*.jfr)
#
# Environment: WARMUP (default 15s), DURATION (20s), FLOOR (10s of /health/live, the same server
# without a signature), SOAK (25s: token load after those, so the server has been under load a
# minute when RSS is read), CONNECTIONS (10), JAVA_OPTS (server JVM), SERVER_JAR (another build).
# Results: $RESULTS (default bench/results)/token-load-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

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
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

start_server "$port" "$data" "$log"
wait_ready "$port" 60
base=http://127.0.0.1:$port

# Management API with the bootstrap client's credentials.
boot_id=$(jq -r .client_id "$data/bootstrap.json")
boot_secret=$(jq -r .client_secret "$data/bootstrap.json")
mgmt=$(curl -sf "$base/oauth/token" -d grant_type=client_credentials --data-urlencode "client_id=$boot_id" \
  --data-urlencode "client_secret=$boot_secret" --data-urlencode "audience=$base/api/v2/" | jq -r .access_token)
api() { curl -sf -X "$1" "$base/api/v2/$2" -H "Authorization: Bearer $mgmt" -H 'Content-Type: application/json' -d "$3"; }

export AUDIENCE=https://bench.latchkey.dev/api
api POST resource-servers "{\"identifier\":\"$AUDIENCE\",\"name\":\"Bench API\",\"signing_alg\":\"RS256\",
  \"scopes\":[{\"value\":\"read:items\",\"description\":\"Read\"},{\"value\":\"write:items\",\"description\":\"Write\"}]}" >/dev/null
client=$(api POST clients '{"name":"bench","app_type":"non_interactive"}')
export CLIENT_ID CLIENT_SECRET
CLIENT_ID=$(jq -r .client_id <<<"$client")
CLIENT_SECRET=$(jq -r .client_secret <<<"$client")
api POST client-grants "{\"client_id\":\"$CLIENT_ID\",\"audience\":\"$AUDIENCE\",\"scope\":[\"read:items\",\"write:items\"]}" >/dev/null

# One token by hand, so a broken setup fails here rather than as a wrk run full of errors.
curl -sf "$base/oauth/token" -d grant_type=client_credentials --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "client_secret=$CLIENT_SECRET" --data-urlencode "audience=$AUDIENCE" | jq -e .access_token >/dev/null

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/client-credentials.lua "$base" >/dev/null

say "# measured: wrk -t1 -c$CONNECTIONS -d$DURATION --latency -s bench/client-credentials.lua"
result=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/client-credentials.lua "$base")
echo "$result" >>"$out"
echo "$result"
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
tokens=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$result")
p50=$(awk '$1 == "50%" { print $2 }' <<<"$result")
p99=$(awk '$1 == "99%" { print $2 }' <<<"$result")
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "tokens/s: $tokens   latency p50: $p50   p99: $p99   HTTP floor: $floor req/s   RSS after load: ${rss} MB"
if [[ -n $JFR ]]; then
  stop_server
  say "JFR recording: $RESULTS/token-load-$stamp.jfr"
fi
echo "Results: $out"
