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

# build_commit_jar COMMIT: builds the server jar of an earlier commit in a temporary git worktree; sets
# COMMIT_JAR and COMMIT_WORKTREE (remove_commit_worktree removes it again).
build_commit_jar() {
  COMMIT_WORKTREE=$(mktemp -d)
  rmdir "$COMMIT_WORKTREE"
  git worktree add --detach "$COMMIT_WORKTREE" "$1" >/dev/null
  echo "Building the server of $1 ..."
  (cd "$COMMIT_WORKTREE" && mvn -q -pl server -am package -DskipTests)
  COMMIT_JAR=$COMMIT_WORKTREE/server/target/latchkey.jar
}

remove_commit_worktree() {
  if [[ -n ${COMMIT_WORKTREE:-} ]]; then
    git worktree remove --force "$COMMIT_WORKTREE" >/dev/null 2>&1 || true
    COMMIT_WORKTREE=
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ms() {
  date +%s%3N
}

# start_server PORT DATA_DIR LOG: launches the server in the background; sets SERVER_PID. ISSUER overrides
# its issuer (default http://127.0.0.1:PORT/), as for nodes behind one proxy.
# JAVA_OPTS (unquoted, split on spaces) are passed to the JVM. With ARGON2_COST (m:t:p, e.g. 8:1:1) the
# server hashes new passwords at that cost instead of its default (the bench's CheapHashServer), so that a
# login load measures what a login costs besides the hash.
start_server() {
  local port=$1 data=$2 log=$3
  if [[ -n ${ARGON2_COST:-} ]]; then
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -cp "$SERVER_JAR:$BENCH_JAR" dev.latchkey.bench.CheapHashServer --port "$port" \
      --data-dir "$data" --cost "$ARGON2_COST" >>"$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$SERVER_JAR" serve --port "$port" --bind 127.0.0.1 \
      --issuer "${ISSUER:-http://127.0.0.1:$port/}" --data-dir "$data" >>"$log" 2>&1 &
  fi
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

# machine_jiffies: "busy total" CPU time of all cores so far (/proc/stat, in clock ticks).
machine_jiffies() {
  head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }'
}

# process_jiffies PID: user + system CPU time of a process and its threads so far (clock ticks).
process_jiffies() {
  sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

rss_mb() {
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# idle_percent [SECONDS]: how idle both cores were over the last SECONDS (default 5), from /proc/stat.
idle_percent() {
  local a b
  a=$(head -1 /proc/stat)
  sleep "${1:-5}"
  b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    printf "%.0f", 100 * ((y[5] - x[5]) + (y[6] - x[6])) / total }'
}

# wait_quiet [MAX_S]: other work on these 2 cores skews every figure. Waits (default up to
# QUIET_WAIT=180 s) until the 1-minute load average is below 1.0 or the cores were at least 90%
# idle over the last 5 s (the load average lags minutes behind a finished build); says so when
# neither happens in time.
wait_quiet() {
  local max=${1:-${QUIET_WAIT:-180}} waited=0 load idle
  while true; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" 'BEGIN { exit !(l < 1.0) }'; then
      return 0
    fi
    idle=$(idle_percent 5)
    waited=$((waited + 5))
    if (( idle >= 90 )); then
      echo "# load average $load, but the cores were ${idle}% idle over the last 5 s" >&2
      return 0
    fi
    if (( waited >= max )); then
      echo "# WARNING: load average $load, cores only ${idle}% idle after ${waited}s: other work shares the cores" >&2
      return 0
    fi
  done
}

# The JMH jar; it also holds the load drivers. BENCH_JAR may point at a copy (to rebuild while a script runs).
BENCH_JAR=${BENCH_JAR:-bench/target/benchmarks.jar}

# ensure_bench_jar: builds bench/target/benchmarks.jar when missing or older than any source it holds.
ensure_bench_jar() {
  if [[ ! -f $BENCH_JAR ]] || [[ -n $(find bench/src server/src verifier/src pom.xml bench/pom.xml server/pom.xml \
      verifier/pom.xml -newer "$BENCH_JAR" -type f -print -quit) ]]; then
    echo "Building $BENCH_JAR ..."
    mvn -q -pl bench -am package -DskipTests
  fi
}

# wait_jmh_lock [MAX_S]: JMH refuses to start while another JMH run holds /tmp/jmh.lock (a POSIX lock, as
# Java's FileLock takes it). Waits (default up to 900 s) for it to be free; two JMH runs at once skew both.
wait_jmh_lock() {
  local max=${1:-900} waited=0
  until python3 -c 'import fcntl, sys
with open("/tmp/jmh.lock", "a") as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(1)' 2>/dev/null; do
    if (( waited >= max )); then
      echo "# WARNING: another JMH run still holds /tmp/jmh.lock after ${waited}s" >&2
      return 0
    fi
    (( waited == 0 )) && echo "# waiting for another JMH run to finish ..." >&2
    sleep 5
    waited=$((waited + 5))
  done
}

# wrk_rate WRK_OUTPUT: requests/s, rounded.
wrk_rate() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$1"; }

# wrk_latency WRK_OUTPUT PERCENT: the latency wrk --latency printed for that percentile (50, 99, ...).
wrk_latency() { awk -v p="$2%" '$1 == p { print $2 }' <<<"$1"; }
