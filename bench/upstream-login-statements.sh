#!/usr/bin/env bash
# The SQL statements one upstream login runs: the server on an embedded H2 database with H2's trace on
# (TRACE_LEVEL_FILE=3, every statement), node-oidc-provider as in bench/upstream-login.sh, one round trip to
# create the user, then ROUND_TRIPS more of a returning user. Prints each statement once with how many times
# it ran per round trip, and the totals (statements, writes, transactions). The audit log's inserts run on
# their own thread, batched, and are counted apart.
#
#   bench/upstream-login-statements.sh
#   ROUND_TRIPS=10 bench/upstream-login-statements.sh
#
# Needs node and server/src/test/node/node_modules (npm ci there).
# Results: $RESULTS (default bench/results)/upstream-login-statements-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

ROUND_TRIPS=${ROUND_TRIPS:-5}

ensure_server_jar
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
out=$RESULTS/upstream-login-statements-$(date -u +%Y%m%dT%H%M%SZ).txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
IDP_PID=
trap 'stop_server; [[ -n $IDP_PID ]] && kill "$IDP_PID" 2>/dev/null; rm -rf "$data"' EXIT

export LATCHKEY_RATE_LIMIT_ADDRESS="1000000,1000000/s"
# H2 writes every statement to latchkey.trace.db (a file of the run's own temporary data directory).
export LATCHKEY_DATABASE_URL="jdbc:h2:file:$data/latchkey;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=3"
LATCHKEY_DATABASE_URL+=";TRACE_MAX_FILE_SIZE=1000"
start_upstream_login "$port" "$data" "$log"
# The first login creates the user; the counted ones are a returning user's (each ONCE run also logs in at the
# provider directly, which Latchkey does not see).
ONCE=1 node bench/upstream-login-driver.mjs >/dev/null
sleep 1
trace=$data/latchkey.trace.db
from=$(wc -l <"$trace")
for ((i = 0; i < ROUND_TRIPS; i++)); do
  ONCE=1 node bench/upstream-login-driver.mjs >/dev/null
done
sleep 1
tail -n +"$((from + 1))" "$trace" | python3 -c '
import re, sys
n = int(sys.argv[1])
text = sys.stdin.read()
sql = [re.sub(r"\s+", " ", s.replace("\\n", " ")).strip() for s in re.findall(r"^/\*SQL[^*]*\*/(.*?)(?: \{1:.*)?;?$", text, re.M)]
sql = [s.rstrip(";") for s in sql if s.rstrip(";") != "COMMIT"]
counts = {}
for s in sql:
    counts[s] = counts.get(s, 0) + 1
logs = sum(c for s, c in counts.items() if s.startswith("INSERT INTO logs"))
# The background sweeper and the registry caches also run statements now and then: listed, under one per round trip.
for s, c in counts.items():
    print(f"{c / n:5.1f}  {s[:110]}")
own = {s: c for s, c in counts.items() if not s.startswith("INSERT INTO logs")}
writes = sum(c for s, c in own.items() if re.match(r"(INSERT|UPDATE|DELETE)|.*(OLD|FINAL) TABLE \((DELETE|UPDATE)", s))
transactions = text.count("setAutoCommit(false)")
print(f"per round trip: {sum(own.values()) / n:.1f} statements, {writes / n:.1f} of them writes, "
      f"{transactions / n:.1f} transactions; audit log inserts {logs / n:.1f} (batched)")
' "$ROUND_TRIPS" | tee "$out"
echo "Results: $out"
