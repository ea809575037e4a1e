#!/usr/bin/env bash
# kill -9 under load (issue 14): two nodes of the server on one PostgreSQL (a private cluster) behind the
# round-robin proxy (dev.latchkey.bench.RoundRobinProxy), under the mixed load of dev.latchkey.bench.FaultLoad
# (client credentials, code-flow logins, /userinfo with opaque tokens, rotating refresh), with --replay: a code
# exchange or refresh whose answer the kill lost is sent again once, as a retrying client does. KILLS times,
# the nodes in turn, INTERVAL seconds after the last killed node is ready again, the proxy kills the node
# (POST /__proxy/kill?port=P&pid=N) and the script starts it again on the same port.
#
# What the proxy does at a kill, in one step under the node's lock (no request can join or leave the node
# meanwhile): the node leaves the rotation, the ids of the requests in flight on it are taken (a request is in
# flight from the moment the proxy picks the node, before it connects, until the node's whole answer is read),
# and SIGKILL is sent. The node stays out of the rotation only until the process has exited (its listening
# socket closed), as a load balancer stops sending to a crashed node once it refuses connections; from then
# on a refused connection goes to the other node, nothing having been sent. No request is ever sent twice, so
# every request of the snapshot whose answer the node had not yet given whole is an error (a 502), and an error
# outside every snapshot would be one the kill cannot explain. The proxy answers the kill once each request of
# the snapshot has ended: failed (502), answered (the answer was whole before the node died) or refused (it had
# not connected yet and went to the other node).
#
# Goals: every token a client received verifies (JWTs against the JWKS; opaque ones answer at /userinfo); no
# code or refresh token is redeemed twice (no replay answered twice, and the database's single-use
# invariants hold); the proxy's errors are the requests in flight at the kills and nothing more (no error
# outside the snapshots).
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
failed_total=0
answered_total=0
refused_total=0
outside_before=0
ids() { jq -r "if (.$1 | length) == 0 then \"none\" else .$1 | map(tostring) | join(\",\") end" <<<"$2"; }
sleep "$INTERVAL"
for ((kill = 1; kill <= KILLS; kill++)); do
  port=${node_ports[$(( kill % 2 ))]}
  pid=${NODE_PIDS[$port]}
  killed_at=$(now_ms)
  report=$(curl -sf -X POST "http://127.0.0.1:$proxy_port/__proxy/kill?port=$port&pid=$pid")
  wait "$pid" 2>/dev/null || true
  start_node "$port"
  restarted_ms=$(( $(now_ms) - killed_at ))
  outside=$(proxy_stats "$proxy_port" | jq .errors_outside_kills)
  in_flight=$(jq '.in_flight | length' <<<"$report")
  failed=$(jq '.failed | length' <<<"$report")
  answered=$(jq '.answered | length' <<<"$report")
  refused=$(jq '.refused | length' <<<"$report")
  say "kill $kill: node $port, $in_flight requests in flight at the SIGKILL ($(ids in_flight "$report")): $failed failed with 502 ($(ids failed "$report")), $answered answered whole before the node died, $refused refused and sent to the other node, $(jq '.still_in_flight | length' <<<"$report") not ended in 60 s; errors outside the snapshots since the line before $(( outside - outside_before )); out of the rotation $(jq .out_of_rotation_ms <<<"$report") ms (exited: $(jq .exited <<<"$report")), back ready $restarted_ms ms after the kill"
  in_flight_total=$(( in_flight_total + in_flight ))
  failed_total=$(( failed_total + failed ))
  answered_total=$(( answered_total + answered ))
  refused_total=$(( refused_total + refused ))
  outside_before=$outside
  sleep "$INTERVAL"
done
touch "$data/stop"
wait "$load_pid" || true
grep -E '^(summary|count)' "$data/load.out" | tee -a "$out"

stats=$(proxy_stats "$proxy_port")
say "# proxy: $stats"
say "# proxy error lines: $(grep -c proxy-error "$data/proxy.log" || true); causes: $(grep proxy-error "$data/proxy.log" | awk '{ $1 = $2 = $3 = $4 = $5 = $6 = $7 = ""; print }' | sort | uniq -c | sort -rn | head -3 | tr -s ' ' | paste -sd';' -)"
say "$(verify_tokens "$base" "$data/load" 2>&1 || true)"
say "# database: $(single_use_violations 2>&1 || true)"
load_errors=$(awk '/^summary ALL/ { print $6 }' "$data/load.out")
say "proxy errors $(jq .errors <<<"$stats"): $failed_total of the $in_flight_total requests in flight at the $KILLS kills ($answered_total others answered whole before the node died, $refused_total refused and sent to the other node) and $(jq .errors_outside_kills <<<"$stats") outside the snapshots (goal 0; ids: $(ids error_ids_outside_kills "$stats")); load driver errors $load_errors"
counter() { awk -v name="$1" '$1 == "count" && $2 == name { n = $3 } END { print n + 0 }' "$data/load.out"; }
say "replays answered 200 (the first attempt never took effect): code $(counter code_replay_200), refresh $(counter refresh_replay_200); refused as already used: code $(counter code_replay_400), refresh $(counter refresh_replay_403); final check: refresh $(grep -o 'final_refresh_[0-9]* [0-9]*' "$data/load.out" | paste -sd' ' -), userinfo $(grep -o 'final_userinfo_[0-9]* [0-9]*' "$data/load.out" | paste -sd' ' -)"
echo "Results: $out"
