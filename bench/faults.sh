# Shared by the fault scripts (fault-kill.sh, fault-db-outage.sh, soak.sh, rolling-upgrade.sh,
# graceful-stop.sh), beside lib.sh and flows.sh: a PostgreSQL cluster of the script's own on a free port
# (initdb into a scratch folder; stopped and started at will, unlike the machine's shared one), nodes of the
# server on it, the round-robin proxy, the mixed load driver and the database's single-use invariants.
# Source it from the repo root after lib.sh and flows.sh; it sources lifecycle.sh pointed at that cluster.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PRIVATE_PG_PORT=$(free_port)
PG_URL=jdbc:postgresql://127.0.0.1:$PRIVATE_PG_PORT/postgres
PG_USER=postgres
# shellcheck source=lifecycle.sh
source bench/lifecycle.sh
PRIVATE_PG_DIR=

# as_pg COMMAND...: PostgreSQL refuses to run as root; as root the cluster belongs to the postgres user.
as_pg() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

private_pg_init() {
  PRIVATE_PG_DIR=$(mktemp -d /tmp/latchkey-pg.XXXXXX)
  [[ $(id -u) == 0 ]] && chown postgres "$PRIVATE_PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PRIVATE_PG_DIR/data" -U postgres -A trust >/dev/null
  private_pg_start
}

private_pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$PRIVATE_PG_DIR/data" -l "$PRIVATE_PG_DIR/postgres.log" -w \
    -o "-p $PRIVATE_PG_PORT -k $PRIVATE_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
}

# private_pg_stop [MODE]: pg_ctl's shutdown mode, fast by default (clients cut, a clean checkpoint).
private_pg_stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$PRIVATE_PG_DIR/data" -m "${1:-fast}" -w stop >/dev/null
}

private_pg_remove() {
  if [[ -n $PRIVATE_PG_DIR ]]; then
    private_pg_stop immediate 2>/dev/null || true
    rm -rf "$PRIVATE_PG_DIR"
    PRIVATE_PG_DIR=
  fi
}

# NODE_PIDS[port]: the server processes this script started, by port.
declare -A NODE_PIDS=()

# start_node PORT [JAR]: one server on the shared data folder ($data: its master key and bootstrap client)
# and the schema of fresh_schema, answering as ISSUER when set (nodes behind the proxy); waits until ready.
start_node() {
  local port=$1 jar=${2:-$SERVER_JAR}
  # Every virtual user comes from 127.0.0.1: the per-address limit (100/s) would throttle the load itself.
  LATCHKEY_RATE_LIMIT_ADDRESS=${LATCHKEY_RATE_LIMIT_ADDRESS:-1000000,1000000/s} SERVER_JAR=$jar start_server "$port" "$data" "$data/node-$port.log"
  NODE_PIDS[$port]=$SERVER_PID
  wait_ready "$port" "${READY_WAIT:-300}"
}

# stop_node PORT [SIGNAL]: sends SIGNAL (default TERM) and waits for the process to end.
stop_node() {
  local pid=${NODE_PIDS[$1]:-}
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -s "${2:-TERM}" "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  unset "NODE_PIDS[$1]"
}

PROXY_PID=
# start_proxy PORT BACKEND_PORTS: the round-robin proxy (dev.latchkey.bench.RoundRobinProxy) in front of
# the comma-separated backend ports; its error lines go to $data/proxy.log.
start_proxy() {
  java -Xmx256m -cp "$BENCH_JAR" dev.latchkey.bench.RoundRobinProxy --port "$1" --backends "$2" \
    >"$data/proxy.out" 2>"$data/proxy.log" &
  PROXY_PID=$!
  local deadline=$(( $(now_ms) + 30000 ))
  until curl -sf "http://127.0.0.1:$1/__proxy/stats" >/dev/null 2>&1; do
    (( $(now_ms) < deadline )) || { echo "The proxy did not start" >&2; return 1; }
    sleep 0.05
  done
}

proxy_stats() { curl -sf "http://127.0.0.1:$1/__proxy/stats"; }

# fault_load BASE ARGS...: the mixed load driver (dev.latchkey.bench.FaultLoad) against BASE with the
# applications of create_lifecycle_apps and the users of create_users.
fault_load() {
  local base=$1
  shift
  # shellcheck disable=SC2086
  java ${DRIVER_JAVA_OPTS:--Xmx512m} -cp "$BENCH_JAR" dev.latchkey.bench.FaultLoad --base "$base" \
    --app-id "$APP_ID" --app-secret "$APP_SECRET" --redirect-uri "$BENCH_CALLBACK" --users "$BENCH_EMAILS" \
    --user-count "${SEED_USERS:-4}" --password "$BENCH_PASSWORD" --m2m-id "$M2M_ID" --m2m-secret "$M2M_SECRET" \
    --audience "$BENCH_AUDIENCE" "$@"
}

# verify_tokens BASE DIR: every token the load driver kept in DIR verifies (JWTs against the JWKS, opaque
# ones at /userinfo); prints one line, fails when any does not.
verify_tokens() {
  java -Xmx512m -cp "$BENCH_JAR" dev.latchkey.bench.FaultLoad --verify "$2" --base "$1" | tail -4
}

# single_use_violations: rows that show a code or a refresh token redeemed twice, as one line of counts.
# A rotating refresh family has at most one token not yet exchanged (two would mean one token was exchanged
# twice); an authorization (one per code) has at most one refresh family and one opaque access token. A family in
# the family form is one row whatever happens, so only its row-form history and leeway siblings count here; its
# single winner is the conditional UPDATE's, which the store's tests race.
single_use_violations() {
  psql_run "SELECT 'refresh families with two live tokens: ' || (SELECT count(*) FROM (SELECT family_id FROM refresh_tokens
      WHERE rotating GROUP BY family_id HAVING count(*) FILTER (WHERE rotated_at IS NULL) > 1) f)
    || ', authorizations with two refresh families: ' || (SELECT count(*) FROM (SELECT authorization_id FROM refresh_tokens
      GROUP BY authorization_id HAVING count(DISTINCT family_id) > 1) a)
    || ', authorizations with two opaque tokens: ' || (SELECT count(*) FROM (SELECT authorization_id FROM opaque_tokens
      WHERE authorization_id IS NOT NULL GROUP BY authorization_id HAVING count(*) > 1) o)" -At
}

# begin_faults NAME: builds the jars, names the result file ($out) and a scratch folder ($data), starts the
# private cluster and makes a fresh schema on it, all undone on exit; defines say; writes the header lines.
begin_faults() {
  ensure_server_jar
  ensure_bench_jar
  RESULTS=${RESULTS:-bench/results}
  mkdir -p "$RESULTS"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  out=$RESULTS/$1-$stamp.txt
  data=$(mktemp -d)
  trap end_faults EXIT
  private_pg_init
  fresh_schema
  wait_quiet
  say "# $1 $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
  say "# server JVM options: $JAVA_OPTS"
  say "# database: a private PostgreSQL $(psql_run 'SHOW server_version' -t | head -1 | tr -d ' ') cluster on port $PRIVATE_PG_PORT, fresh schema"
}

end_faults() {
  local port
  # A load driver still running (the script failed half-way): fault_load runs java as the child of $load_pid.
  if [[ -n ${load_pid:-} ]] && kill -0 "$load_pid" 2>/dev/null; then
    pkill -TERM -P "$load_pid" || true
  fi
  for port in "${!NODE_PIDS[@]}"; do
    stop_node "$port" KILL
  done
  if [[ -n $PROXY_PID ]]; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  private_pg_remove
  if [[ -n ${KEEP_DATA:-} ]]; then
    echo "Scratch folder kept: $data"
  else
    rm -rf "$data"
  fi
}
