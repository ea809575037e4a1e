#!/usr/bin/env bash
# Soak (issue 14): one server on PostgreSQL (a private cluster) under the mixed load of
# dev.latchkey.bench.FaultLoad (client credentials, code-flow logins, /userinfo with opaque tokens, rotating
# refresh) at 80% of its measured peak for SOAK seconds. The peak is the rate of the same mix as fast as the
# server answers (VUS virtual users, after a warm-up of WARMUP seconds) over PEAK seconds; the soak paces the
# same virtual users to 80% of it. The server's resident memory (VmRSS) is read every 10 s.
#
# Goals: 0 errors; p99 < 50 ms; RSS flat (the last minute's mean within 5% of the second minute's).
#
#   bench/soak.sh
#
# Environment: WARMUP (60 s), PEAK (60 s), SOAK (600 s), SHARE (0.8), VUS (8), SEED_USERS (4), MIX (FaultLoad's
# --mix; default client_credentials:40,userinfo:30,refresh:25,login:5), JAVA_OPTS (server JVM; default the
# launcher's flags), SERVER_JAR, KEEP_DATA (keep the scratch folder).
# Results: $RESULTS (default bench/results)/soak-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/faults.sh

WARMUP=${WARMUP:-60}
PEAK=${PEAK:-60}
SOAK=${SOAK:-600}
SHARE=${SHARE:-0.8}
VUS=${VUS:-8}
MIX=${MIX:-client_credentials:40,userinfo:30,refresh:25,login:5}
export JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

begin_faults soak
port=$(free_port)
base=http://127.0.0.1:$port
start_node "$port"
pid=${NODE_PIDS[$port]}
management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"

say "# mix $MIX, $VUS virtual users; warm-up ${WARMUP} s, peak ${PEAK} s, soak ${SOAK} s at $SHARE of the peak"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
fault_load "$base" --vus "$VUS" --seconds "$WARMUP" --mix "$MIX" >"$data/warmup.out" 2>&1
fault_load "$base" --vus "$VUS" --seconds "$PEAK" --mix "$MIX" >"$data/peak.out" 2>&1
grep '^summary' "$data/peak.out" | sed 's/^/peak /' | tee -a "$out"
requests=$(awk '/^summary ALL/ { print $4 }' "$data/peak.out")
peak=$(awk -v n="$requests" -v s="$PEAK" 'BEGIN { printf "%.1f", n / s }')
rate=$(awk -v p="$peak" -v f="$SHARE" 'BEGIN { printf "%.1f", p * f }')
say "peak: $peak operations/s (a login round trip counts as one); soak rate: $rate/s"

: >"$data/rss.txt"
fault_load "$base" --vus "$VUS" --seconds "$SOAK" --mix "$MIX" --rate "$rate" --final-check --out "$data/load" \
  >"$data/load.out" 2>&1 &
load_pid=$!
started=$(now_ms)
while kill -0 "$load_pid" 2>/dev/null; do
  echo "$(( ($(now_ms) - started) / 1000 )) $(rss_mb "$pid") $(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")" >>"$data/rss.txt"
  sleep 10
done
wait "$load_pid" || true
grep -E '^(summary|count)' "$data/load.out" | tee -a "$out"
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "RSS (MB) every 10 s: $(awk '{ printf "%s ", $2 }' "$data/rss.txt")"
say "threads every 10 s: $(awk '{ printf "%s ", $3 }' "$data/rss.txt")"
awk -v soak="$SOAK" '$1 >= 60 && $1 < 120 { a += $2; na++ } $1 >= soak - 60 { b += $2; nb++ }
  END { printf "RSS: second minute %.0f MB, last minute %.0f MB, change %+.1f%% (goal within 5%%)\n", a / na, b / nb, 100 * (b / nb - a / na) / (a / na) }' \
  "$data/rss.txt" | tee -a "$out"
python3 - "$data/load/samples.csv" <<'EOF' | tee -a "$out"
import csv, sys
rows = [(int(r["micros"]) / 1000, r["op"], int(r["status"])) for r in csv.DictReader(open(sys.argv[1]))]
def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(-(-q * len(values) // 1)) - 1))] if values else 0
single = [r[0] for r in rows if r[1] != "LOGIN"]
logins = [r[0] for r in rows if r[1] == "LOGIN"]
print("single requests (client credentials, /userinfo, refresh): %d, p50 %.2f ms, p99 %.2f ms; login round trips: %d, "
      "p50 %.2f ms, p99 %.2f ms; all operations p99 %.2f ms; errors %d" % (len(single), p(single, .5), p(single, .99),
      len(logins), p(logins, .5), p(logins, .99), p([r[0] for r in rows], .99), sum(1 for r in rows if r[2] != 200)))
EOF
say "$(verify_tokens "$base" "$data/load" || true)"
say "$(grep -o 'final_[a-z]*_[0-9-]* [0-9]*' "$data/load.out" | sed 's/^/final check /' | paste -sd';' -)"
echo "Results: $out"
