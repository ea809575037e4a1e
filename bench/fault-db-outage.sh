#!/usr/bin/env bash
# A database outage under load (issue 14): one server on a private PostgreSQL cluster, under the mixed load
# of dev.latchkey.bench.FaultLoad (client credentials, code-flow logins, /userinfo with opaque tokens,
# rotating refresh); after BEFORE seconds the cluster is stopped (pg_ctl stop -m fast) for OUTAGE seconds and
# started again, while /health/ready is polled every 200 ms and the server's threads counted every second.
# The load goes on AFTER seconds more, then each virtual user redeems its last refresh token and calls
# /userinfo with its last opaque token (--final-check), and every token received is verified.
#
# Goals: during the outage answers are 503 with Retry-After within 1 s (no answer slower than that, no other
# error, no pile-up of threads); /health/ready says not ready; the server answers again within 5 s of the
# database coming back, without a restart; every write it acknowledged is there (the final check and the
# verification pass).
#
#   bench/fault-db-outage.sh
#
# Environment: BEFORE (20 s), OUTAGE (30 s), AFTER (20 s), VUS (8), SEED_USERS (4), JAVA_OPTS (server JVM;
# default the launcher's flags), SERVER_JAR, KEEP_DATA (keep the scratch folder).
# Results: $RESULTS (default bench/results)/fault-db-outage-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/faults.sh

BEFORE=${BEFORE:-20}
OUTAGE=${OUTAGE:-30}
AFTER=${AFTER:-20}
VUS=${VUS:-8}
export JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

begin_faults fault-db-outage
port=$(free_port)
base=http://127.0.0.1:$port
start_node "$port"
pid=${NODE_PIDS[$port]}
management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"

threads() { awk '/^Threads:/ { print $2 }' "/proc/$pid/status"; }
ready() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$base/health/ready" || true; }

say "# load: FaultLoad --vus $VUS --seconds $(( BEFORE + OUTAGE + AFTER )) --final-check; the database stopped after $BEFORE s for $OUTAGE s"
fault_load "$base" --vus "$VUS" --seconds $(( BEFORE + OUTAGE + AFTER )) --final-check --out "$data/load" >"$data/load.out" 2>&1 &
load_pid=$!
sleep "$BEFORE"
threads_before=$(threads)
private_pg_stop fast
down_at=$(now_ms)
threads_max=$threads_before
: >"$data/ready.txt"
dumps=0
until (( $(now_ms) >= down_at + OUTAGE * 1000 )); do
  echo "$(now_ms) $(ready)" >>"$data/ready.txt"
  # Thread dumps 10 s and 20 s into the outage: a request still waiting then shows where it waits.
  if (( dumps < 2 && $(now_ms) >= down_at + (dumps + 1) * 10000 )); then
    dumps=$(( dumps + 1 ))
    jcmd "$pid" Thread.print >"$data/threads-$dumps.txt" 2>/dev/null || true
  fi
  t=$(threads)
  (( t > threads_max )) && threads_max=$t
  sleep 0.2
done
threads_outage_end=$(threads)
private_pg_start
up_at=$(now_ms)
until [[ $(ready) == 200 ]]; do sleep 0.05; done
ready_again_ms=$(( $(now_ms) - up_at ))
wait "$load_pid" || true
threads_after=$(threads)
grep -E '^(summary|count)' "$data/load.out" | tee -a "$out"

say "# the database stopped at $down_at (pg_ctl stop returned), started again at $up_at"
say "threads of the server: $threads_before before, at most $threads_max during the outage, $threads_outage_end at its end, $threads_after after"
say "/health/ready during the outage: $(awk -v d="$down_at" '$1 >= d + 1000 { n[$2]++ } END { for (s in n) printf "%s: %d polls; ", s, n[s] }' "$data/ready.txt")ready again $ready_again_ms ms after the database was back (no restart)"
python3 - "$data/load/samples.csv" "$down_at" "$up_at" <<'EOF' | tee -a "$out"
import csv, sys
path, down, up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [(int(r["start_ms"]), int(r["micros"]) / 1000, r["op"], int(r["status"]), r["retry_after"] == "1")
        for r in csv.DictReader(open(path))]
during = [r for r in rows if down <= r[0] and r[0] + r[1] <= up]
statuses = {}
for r in during:
    statuses[(r[2], r[3])] = statuses.get((r[2], r[3]), 0) + 1
print("answers to requests made during the outage, by operation and status:",
      ", ".join(f"{op} {status}: {n}" for (op, status), n in sorted(statuses.items())))
single = [r for r in during if r[2] != "LOGIN"]
print("slowest single request during the outage (client credentials, /userinfo, refresh): %.0f ms; login round trips "
      "(several requests each): slowest %.0f ms" % (max((r[1] for r in single), default=0),
                                                   max((r[1] for r in during if r[2] == "LOGIN"), default=0)))
first503 = min((r[0] + r[1] for r in rows if r[0] >= down and r[3] == 503), default=None)
print("first 503 answered %s ms after the database stopped" % (None if first503 is None else round(first503 - down)))
print("503 answers to single requests without Retry-After: %d; other errors during the outage: %d (%s)" % (
    sum(1 for r in during if r[3] == 503 and not r[4] and r[2] != "LOGIN"),
    sum(1 for r in during if r[3] not in (200, 503)),
    sorted({(r[2], r[3]) for r in during if r[3] not in (200, 503)})))
after = sorted(r for r in rows if r[0] >= up)
last_error = max((r[0] + r[1] for r in after if r[3] != 200), default=None)
print("after the database came back: %d requests, %d errors; the last error answered %s ms after it was back" % (
    len(after), sum(1 for r in after if r[3] != 200), None if last_error is None else round(last_error - up)))
EOF
for dump in "$data"/threads-*.txt; do
  [[ -s $dump ]] || continue
  say "$(basename "$dump"): $(grep -c '^"' "$dump") threads; in the PostgreSQL driver: $(awk '/^"/ { t = $0 } /org\.postgresql/ && t != seen { n++; seen = t } END { print n + 0 }' "$dump"); waiting on the pool: $(awk '/^"/ { t = $0 } /com\.zaxxer\.hikari\.pool\.HikariPool\.getConnection/ && t != seen { n++; seen = t } END { print n + 0 }' "$dump")"
done
say "$(verify_tokens "$base" "$data/load" || true)"
say "$(grep -o 'final_[a-z]*_[0-9]* [0-9]*' "$data/load.out" | sed 's/^/final check /' | paste -sd';' -)"
say "# database: $(single_use_violations)"
echo "Results: $out"
