# Shared by the bench scripts: build the server jar if missing, start and stop a server on a free
# port. Source it from the repo root.

# SERVER_JAR may point at another build of the server (to compare a change).
SERVER_JAR=${SERVER_JAR:-server/target/latchkey.jar}

ensure_server_jar() {
  if [[ ! -f $SERVER_JAR && $SERVER_JAR != server/target/latchkey.jar ]]; then
    echo "No server jar at $SERVER_JAR" >&2
    return 1
  fi
  if [[ ! -f $SERVER_JAR ]]; then
    echo "Building $SERVER_JAR ..."
    mvn -q -pl server -am package -DskipTests
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ms() {
  date +%s%3N
}

# start_server PORT DATA_DIR LOG: launches the server in the background; sets SERVER_PID.
# JAVA_OPTS (unquoted, split on spaces) are passed to the JVM.
start_server() {
  local port=$1 data=$2 log=$3
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$SERVER_JAR" serve --port "$port" --bind 127.0.0.1 \
    --issuer "http://127.0.0.1:$port/" --data-dir "$data" >>"$log" 2>&1 &
  SERVER_PID=$!
}

# wait_ready PORT [TIMEOUT_S]: polls /health/ready every 10 ms until it answers 200.
wait_ready() {
  local port=$1 deadline=$(( $(now_ms) + ${2:-60} * 1000 ))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" 2>/dev/null) == 200 ]]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "The server exited before it was ready" >&2
      return 1
    fi
    if (( $(now_ms) > deadline )); then
      echo "The server was not ready in time" >&2
      return 1
    fi
    sleep 0.01
  done
}

stop_server() {
  if [[ -n ${SERVER_PID:-} ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

rss_mb() {
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# wait_quiet [MAX_S]: other work on these 2 cores skews every figure. Waits (default up to
# QUIET_WAIT=180 s) for the 1-minute load average to fall below 1.0; says so when it does not.
wait_quiet() {
  local max=${1:-${QUIET_WAIT:-180}} waited=0 load
  while load=$(cut -d' ' -f1 /proc/loadavg) && awk -v l="$load" 'BEGIN { exit !(l >= 1.0) }'; do
    if (( waited >= max )); then
      echo "# WARNING: load average still $load after ${waited}s: other work shares the cores" >&2
      return 0
    fi
    (( waited == 0 )) && echo "# waiting for the machine to be quiet (load $load) ..." >&2
    sleep 5
    waited=$((waited + 5))
  done
}
