#!/usr/bin/env bash
# Management API GET /api/v2/clients/{id} requests per second with a Management API token, on PostgreSQL (or
# with DATABASE=h2 on the embedded database, one node: Management API rate limits then live in memory), load
# generator on the same cores, next to the HTTP floor (/health/live on the same server, same run: no token, no
# database, no JSON body). The issue's figure: the ratio of the two, at least 0.7.
#
# Creates a fresh schema in the local PostgreSQL (bench/lifecycle.sh; dropped at the end; none with
# DATABASE=h2), starts `java -jar server/target/latchkey.jar serve` with the launcher's JVM flags, gets a
# Management API token for the bootstrap client, creates one client with some of Auth0's properties Latchkey
# keeps but does not act on (logo_uri, addons, ...: the answer reads them too), then: warm-up,
# `wrk -t1 -c10 -d20s -H "Authorization: Bearer <token>" /api/v2/clients/<id>`, and the same wrk against
# /health/live.
#
#   bench/mgmt-get-client.sh
#   bench/mgmt-get-client.sh --jfr   the same, then one more window of each (every-scope token, least-privilege
#                                    token, floor) under one JFR recording (JFR_SETTINGS, default profile) taken
#                                    with jcmd, each summarised by bench/jfr-hotspots.py (results/*.jfr,
#                                    *-<window>-hotspots.txt)
#
# Environment: DATABASE (postgres or h2), LATCHKEY_RATE_LIMIT_MANAGEMENT (lifted to 1000000,1000000/s),
# WARMUP (15s), DURATION (20s), FLOOR (20s), ROUNDS (2), CONNECTIONS (10), JAVA_OPTS (server JVM; default the launcher's
# flags), SERVER_JAR (another build), PG_URL (jdbc:postgresql://127.0.0.1:5432/test), PG_USER, JFR_SETTINGS (with
# --jfr: profile, or a .jfc file; a shorter method-sampling period gives more samples per window).
# Results: $RESULTS (default bench/results)/mgmt-get-client-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/lifecycle.sh

WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-20s}
FLOOR=${FLOOR:-20s}
CONNECTIONS=${CONNECTIONS:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}
DATABASE=${DATABASE:-postgres}
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
out=$RESULTS/mgmt-get-client-$stamp.txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
base=http://127.0.0.1:$port
cleanup() {
  stop_server
  drop_schema
  rm -rf "$data"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$out"; }
wait_quiet
say "# mgmt-get-client $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# server JVM options: $JAVA_OPTS"
if [[ $DATABASE == postgres ]]; then
  fresh_schema
  say "# database: PostgreSQL $(psql_run 'SHOW server_version' -t 2>/dev/null | head -1 | tr -d ' ' || true) at $pg_host, fresh schema"
else
  say "# database: H2 (embedded, one node)"
fi
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# The Management API's per-token limit (100,50/s by default) would turn the load into 429s: lifted, so that the
# figure is the work of a call, not the limit.
export LATCHKEY_RATE_LIMIT_MANAGEMENT=${LATCHKEY_RATE_LIMIT_MANAGEMENT:-1000000,1000000/s}
say "# LATCHKEY_RATE_LIMIT_MANAGEMENT=$LATCHKEY_RATE_LIMIT_MANAGEMENT"
start_server "$port" "$data" "$log"
wait_ready "$port" 60
management_login "$base" "$data"
client_id=$(management POST clients '{"name":"Bench Management Read","app_type":"regular_web",
  "callbacks":["https://bench.example.com/callback"],"logo_uri":"https://bench.example.com/logo.png",
  "addons":{"samlp":{"audience":"urn:bench"}},"organization_usage":"deny","client_metadata":{"team":"bench"}}' \
  | jq -r .client_id)
url=$base/api/v2/clients/$client_id
curl -sf "$url" -H "Authorization: Bearer $MGMT" | jq -e '.client_id and .logo_uri and .client_secret' >/dev/null
say "# Management API token of the bootstrap client (every scope: the answer holds the secret); client $client_id"

# A least-privilege token as well: a service that reads applications holds read:clients read:client_keys, not
# every scope of the bootstrap client; its Authorization header is about a third as long, and Jetty reads a
# header byte by byte.
reader=$(management POST clients '{"name":"Bench Client Reader","app_type":"non_interactive"}')
reader_id=$(jq -r .client_id <<<"$reader")
reader_secret=$(jq -r .client_secret <<<"$reader")
management POST client-grants "{\"client_id\":\"$reader_id\",\"audience\":\"$base/api/v2/\",
  \"scope\":[\"read:clients\",\"read:client_keys\"]}" >/dev/null
READER=$(curl -sf "$base/oauth/token" -d grant_type=client_credentials --data-urlencode "client_id=$reader_id" \
  --data-urlencode "client_secret=$reader_secret" --data-urlencode "audience=$base/api/v2/" | jq -r .access_token)
curl -sf "$url" -H "Authorization: Bearer $READER" | jq -e '.client_secret' >/dev/null
say "# tokens: every scope ${#MGMT} characters; read:clients read:client_keys ${#READER} characters"

say "# warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP (the client with each token, then health/live)"
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $MGMT" "$url" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $READER" "$url" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d5s "$base/health/live" >/dev/null

# window NAME DURATION ARGS...: one wrk window; prints "rate p50 p99 server-CPU-ms-per-request".
window() {
  local name=$1 duration=$2 before after result rate
  shift 2
  before=$(process_jiffies "$SERVER_PID")
  result=$(wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency "$@")
  after=$(process_jiffies "$SERVER_PID")
  { echo "## $name"; echo "$result"; } >>"$out"
  if grep -q 'Non-2xx' <<<"$result"; then
    say "ERROR: some $name requests failed (a Management API rate limit? see LATCHKEY_RATE_LIMITS)"
    exit 1
  fi
  rate=$(wrk_rate "$result")
  awk -v r="$rate" -v p50="$(wrk_latency "$result" 50)" -v p99="$(wrk_latency "$result" 99)" \
    -v j=$((after - before)) -v hz="$(getconf CLK_TCK)" -v d="${duration%s}" \
    'BEGIN { printf "%s %s %s %.3f\n", r, p50, p99, (j / hz * 1000) / (r * d) }'
}

ROUNDS=${ROUNDS:-2}
say "# measured, $ROUNDS rounds alternated: wrk -t1 -c$CONNECTIONS -d$DURATION --latency (every-scope token, least-privilege token), -d$FLOOR /health/live"
all=() reader=() floors=()
for round in $(seq 1 "$ROUNDS"); do
  read -r a a50 a99 acpu < <(window "every-scope token, round $round" "$DURATION" -H "Authorization: Bearer $MGMT" "$url")
  read -r r r50 r99 rcpu < <(window "least-privilege token, round $round" "$DURATION" -H "Authorization: Bearer $READER" "$url")
  read -r f f50 f99 fcpu < <(window "floor, round $round" "$FLOOR" "$base/health/live")
  say "round $round: every-scope $a/s (p50 $a50, p99 $a99, server $acpu ms/request); least-privilege $r/s (p50 $r50, p99 $r99, server $rcpu ms); floor $f/s (p50 $f50, p99 $f99, server $fcpu ms)"
  all+=("$a") reader+=("$r") floors+=("$f")
done
sum() { local t=0 v; for v in "$@"; do t=$((t + v)); done; echo "$t"; }
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
say "GET /api/v2/clients/{id} ($DATABASE) ÷ HTTP floor: every-scope token $(awk -v a="$(sum "${all[@]}")" -v b="$(sum "${floors[@]}")" 'BEGIN { printf "%.2f", a / b }'), least-privilege token $(awk -v a="$(sum "${reader[@]}")" -v b="$(sum "${floors[@]}")" 'BEGIN { printf "%.2f", a / b }') (target >= 0.7)"

if [[ -n $JFR ]]; then
  # One recording over three more windows; each is summarised alone (--window), so that a summary holds one kind
  # of request. The first seconds under a new recording run slower (JFR's own start-up): not summarised.
  jfr_file=$(realpath "$RESULTS")/mgmt-get-client-$stamp.jfr
  jcmd "$SERVER_PID" JFR.start name=mgmt settings="${JFR_SETTINGS:-profile}" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $MGMT" "$url" >/dev/null
  windows=()
  # profile NAME ARGS...: one window of DURATION; prints its rate and server CPU per request, keeps its times.
  profile() {
    local name=$1 from_ms rate cpu
    shift
    from_ms=$(now_ms)
    read -r rate _ _ cpu < <(window "under JFR, $name" "$DURATION" "$@")
    windows+=("$name $from_ms $(now_ms)")
    say "# JFR, $name: $rate/s, server $cpu ms/request (window ${windows[-1]#* })"
  }
  profile every-scope -H "Authorization: Bearer $MGMT" "$url"
  profile least-privilege -H "Authorization: Bearer $READER" "$url"
  profile floor "$base/health/live"
  jcmd "$SERVER_PID" JFR.stop name=mgmt filename="$jfr_file" >/dev/null
  for w in "${windows[@]}"; do
    read -r name from_ms until_ms <<<"$w"
    python3 bench/jfr-hotspots.py "$jfr_file" --window "$from_ms" "$until_ms" >"${jfr_file%.jfr}-$name-hotspots.txt"
  done
  say "# JFR: $jfr_file; summaries: ${jfr_file%.jfr}-{every-scope,least-privilege,floor}-hotspots.txt"
fi
echo "Results: $out"
