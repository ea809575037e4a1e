#!/usr/bin/env bash
# kill -9 under load (issue 14): two nodes of the server on one PostgreSQL (a private cluster) behind the
# round-robin proxy (dev.latchkey.bench.RoundRobinProxy), under the mixed load of dev.latchkey.bench.FaultLoad
# (client credentials, code-flow logins, /userinfo with opaque tokens, rotating refresh), with --replay: a code
# exchange or refresh whose answer the kill lost is sent again once, as a retrying client does. KILLS times,
# the nodes in turn, INTERVAL seconds after the last killed node is ready again: the requests in flight on
# the node are read off the proxy, the node is killed with SIGKILL and started again on the same port.
#
# Goals: every token a client received verifies (JWTs against the JWKS; opaque ones answer at /userinfo); no
# code or refresh token is redeemed twice (no replay answered twice, and the database's single-use
# invariants hold); the proxy's errors are the requests in flight at the kills and nothing more.
#
#   bench/fault-kill.sh
#
# Environment: KILLS (20), INTERVAL (5 s), VUS (8), SEED_USERS (4), JAVA_OPTS (server JVM; default the
# launcher's flags), SERVER_JAR, READY_WAIT (300 s for a restart), KEEP_DATA (keep the scratch folder).
# Results: $RESULTS (default bench/results)/fault-kill-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh
source bench/faults.sh

KILLS=${KILLS:-20}
INTERVAL=${INTERVAL:-5}
VUS=${VUS:-8}
export JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

begin_faults fault-kill
proxy_port=$(free_port)
node_ports=("$(free_port)" "$(free_port)")
export ISSUER=http://127.0.0.1:$proxy_port/
base=http://127.0.0.1:$proxy_port
start_node "${node_ports[0]}"
start_node "${node_ports[1]}"
start_proxy "$proxy_port" "${node_ports[0]},${node_ports[1]}"
say "# nodes on ports ${node_ports[*]} behind the proxy on $proxy_port (issuer $ISSUER)"

management_login "$base" "$data"
create_lifecycle_apps
create_users "${SEED_USERS:-4}"

say "# load: FaultLoad --vus $VUS --replay --final-check; $KILLS kills, $INTERVAL s apart once the last killed node is back"
fault_load "$base" --vus "$VUS" --seconds 3600 --stop-file "$data/stop" --replay --final-check --out "$data/load" \
  >"$data/load.out" 2>&1 &
load_pid=$!

in_flight_total=0
errors_before=0
sleep "$INTERVAL"
for ((kill = 1; kill <= KILLS; kill++)); do
  port=${node_ports[$(( kill % 2 ))]}
  in_flight=$(proxy_stats "$proxy_port" | jq ".in_flight[\"$port\"]")
  kill -KILL "${NODE_PIDS[$port]}"
  killed_at=$(now_ms)
  wait "${NODE_PIDS[$port]}" 2>/dev/null || true
  start_node "$port"
  restarted_ms=$(( $(now_ms) - killed_at ))
  sleep 1
  errors=$(proxy_stats "$proxy_port" | jq .errors)
  say "kill $kill: node $port, $in_flight requests in flight on it just before, proxy errors since the last kill $(( errors - errors_before )), back ready after $restarted_ms ms"
  in_flight_total=$(( in_flight_total + in_flight ))
  errors_before=$errors
  sleep "$(( INTERVAL > 1 ? INTERVAL - 1 : 0 ))"
done
touch "$data/stop"
wait "$load_pid" || true
grep -E '^(summary|count)' "$data/load.out" | tee -a "$out"

stats=$(proxy_stats "$proxy_port")
say "# proxy: $stats"
say "# proxy error lines: $(grep -c proxy-error "$data/proxy.log" || true); causes: $(grep proxy-error "$data/proxy.log" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; print }' | sort | uniq -c | sort -rn | head -3 | tr -s ' ' | paste -sd';' -)"
say "$(verify_tokens "$base" "$data/load" 2>&1 || true)"
say "# database: $(single_use_violations 2>&1 || true)"
load_errors=$(awk '/^summary ALL/ { print $6 }' "$data/load.out")
say "proxy errors $(jq .errors <<<"$stats") against $in_flight_total requests in flight at the $KILLS kills; load driver errors $load_errors"
counter() { awk -v name="$1" '$1 == "count" && $2 == name { n = $3 } END { print n + 0 }' "$data/load.out"; }
say "replays answered 200 (the first attempt never took effect): code $(counter code_replay_200), refresh $(counter refresh_replay_200); refused as already used: code $(counter code_replay_400), refresh $(counter refresh_replay_403); final check: refresh $(grep -o 'final_refresh_[0-9]* [0-9]*' "$data/load.out" | paste -sd' ' -), userinfo $(grep -o 'final_userinfo_[0-9]* [0-9]*' "$data/load.out" | paste -sd' ' -)"
echo "Results: $out"
