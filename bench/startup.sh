#!/usr/bin/env bash
# Start-to-ready time of `java -jar server/target/latchkey.jar serve` with a built jar: from launching
# the JVM to /health/ready answering 200 (polled every 10 ms). The first start on an empty data dir
# (creates the database, master key, signing keys and bootstrap client) is reported on its own; then
# RUNS (default 5) starts on that existing data dir, reported as their median.
#
#   bench/startup.sh
#
# Environment: RUNS (5), JAVA_OPTS (server JVM), SERVER_JAR (another build).
# Results: $RESULTS (default bench/results)/startup-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS=${RUNS:-5}
ensure_server_jar
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
out=$RESULTS/startup-$(date -u +%Y%m%dT%H%M%SZ).txt
data=$(mktemp -d)
log=$data/server.log
trap 'stop_server; rm -rf "$data"' EXIT

say() { echo "$*" | tee -a "$out"; }
wait_quiet
say "# startup $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
say "# server JVM options: ${JAVA_OPTS:-(none)}"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"

# One start: prints the milliseconds from launch to /health/ready = 200 and the server's own figure.
timed_start() {
  local port started ready own
  port=$(free_port)
  : >"$log"
  started=$(now_ms)
  start_server "$port" "$data" "$log"
  wait_ready "$port" 60
  ready=$(now_ms)
  own=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$log" | head -1)
  stop_server
  echo "$((ready - started)) ${own:-?}"
}

read -r first first_own < <(timed_start)
say "first start (empty data dir): ${first} ms to ready (server says ${first_own} ms after main)"

times=()
for i in $(seq 1 "$RUNS"); do
  read -r ms own < <(timed_start)
  say "start $i (existing data dir): ${ms} ms to ready (server says ${own} ms after main)"
  times+=("$ms")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }')
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "start-to-ready, existing data dir: median ${median} ms of ${RUNS}; first start ${first} ms"
echo "Results: $out"
