# Shared by the token-lifecycle scripts (refresh-load.sh, refresh-scale.sh, introspect-load.sh), beside lib.sh
# and flows.sh: a fresh PostgreSQL schema for the server, the applications and API a refresh or an
# introspection needs, seeded refresh tokens, and figures read off wrk's output. Source it from the repo root
# after lib.sh and flows.sh.

PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PG_USER:-postgres}
# More JDBC URL parameters for the server, e.g. PG_URL_PARAMETERS='options=-c%20synchronous_commit=off' to
# measure what a durable commit costs (the server itself always commits durably).
PG_URL_PARAMETERS=${PG_URL_PARAMETERS:-}
# psql's view of PG_URL: host, port and database.
pg_host=$(sed -E 's#jdbc:postgresql://([^:/]+).*#\1#' <<<"$PG_URL")
pg_port=$(sed -nE 's#jdbc:postgresql://[^:/]+:([0-9]+)/.*#\1#p' <<<"$PG_URL")
pg_db=$(sed -E 's#jdbc:postgresql://[^/]+/([^?]+).*#\1#' <<<"$PG_URL")
PG_SCHEMA=

# psql_run SQL [PSQL ARGS...]: one statement in PG_URL's database (in PG_SCHEMA once it is set).
psql_run() {
  local sql=$1
  shift
  PGOPTIONS=${PG_SCHEMA:+--search_path=$PG_SCHEMA} psql -q -v ON_ERROR_STOP=1 -h "$pg_host" \
    -p "${pg_port:-5432}" -U "$PG_USER" -d "$pg_db" "$@" -c "$sql"
}

# psql_stdin [PSQL ARGS...]: psql reading its commands from stdin, in PG_SCHEMA, with the session settings
# in PG_SESSION_OPTIONS (e.g. "--maintenance_work_mem=512MB").
psql_stdin() {
  PGOPTIONS="${PG_SCHEMA:+--search_path=$PG_SCHEMA} ${PG_SESSION_OPTIONS:-}" psql -q -v ON_ERROR_STOP=1 -h "$pg_host" \
    -p "${pg_port:-5432}" -U "$PG_USER" -d "$pg_db" "$@"
}

# fresh_schema: starts PostgreSQL if needed, creates a schema of its own (sets PG_SCHEMA) and points the
# server's LATCHKEY_DATABASE_* at it. drop_schema removes it again.
fresh_schema() {
  if ! psql_run 'SELECT 1' >/dev/null 2>&1; then
    echo "Starting PostgreSQL ..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    psql_run 'SELECT 1' >/dev/null
  fi
  local schema
  schema=lk_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  psql_run "CREATE SCHEMA $schema"
  PG_SCHEMA=$schema
  export LATCHKEY_DATABASE_URL="$PG_URL?currentSchema=$schema${PG_URL_PARAMETERS:+&$PG_URL_PARAMETERS}" LATCHKEY_DATABASE_USER=$PG_USER
}

drop_schema() {
  if [[ -n $PG_SCHEMA ]]; then
    local schema=$PG_SCHEMA
    PG_SCHEMA=
    psql_run "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || echo "Could not drop schema $schema" >&2
  fi
}

# The refresh_token object of the bench's web application: rotating, expiring, Auth0's lifetimes.
REFRESH_POLICY='{"rotation_type":"rotating","expiration_type":"expiring","token_lifetime":2592000,
  "idle_token_lifetime":1296000,"infinite_token_lifetime":false,"infinite_idle_token_lifetime":false}'

# create_lifecycle_apps: an API that allows offline access (BENCH_AUDIENCE, consent skipped for first-party
# applications), a first-party regular_web application with the code and refresh-token grants and rotating
# refresh tokens (APP_ID, APP_SECRET), and a machine-to-machine client granted the API (M2M_ID, M2M_SECRET).
create_lifecycle_apps() {
  management POST resource-servers "{\"identifier\":\"$BENCH_AUDIENCE\",\"name\":\"Bench API\",\"signing_alg\":\"RS256\",
    \"allow_offline_access\":true,\"skip_consent_for_verifiable_first_party_clients\":true,
    \"scopes\":[{\"value\":\"read:items\",\"description\":\"Read items\"}]}" >/dev/null
  local app m2m
  app=$(management POST clients "{\"name\":\"Bench Web App\",\"app_type\":\"regular_web\",\"is_first_party\":true,
    \"token_endpoint_auth_method\":\"client_secret_post\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],
    \"callbacks\":[\"$BENCH_CALLBACK\"],\"refresh_token\":$REFRESH_POLICY}")
  APP_ID=$(jq -r .client_id <<<"$app")
  APP_SECRET=$(jq -r .client_secret <<<"$app")
  m2m=$(management POST clients '{"name":"Bench M2M","app_type":"non_interactive"}')
  M2M_ID=$(jq -r .client_id <<<"$m2m")
  M2M_SECRET=$(jq -r .client_secret <<<"$m2m")
  management POST client-grants "{\"client_id\":\"$M2M_ID\",\"audience\":\"$BENCH_AUDIENCE\",\"scope\":[\"read:items\"]}" >/dev/null
}

# seed_tokens BASE FILE COUNT SCOPE [AUDIENCE] [FIELD]: appends COUNT tokens (FIELD of the token response,
# default refresh_token) to FILE, each from a full authorization-code login of one of the SEED_USERS users.
seed_tokens() {
  local base=$1 file=$2 count=$3 scope=$4 audience=${5:-} field=${6:-refresh_token}
  # shellcheck disable=SC2086
  java ${DRIVER_JAVA_OPTS:-} -cp "$BENCH_JAR" dev.latchkey.bench.TokenSeed --base "$base" --client-id "$APP_ID" \
    --client-secret "$APP_SECRET" --redirect-uri "$BENCH_CALLBACK" --users "$BENCH_EMAILS" \
    --user-count "${SEED_USERS:-4}" --password "$BENCH_PASSWORD" --scope "$scope" \
    ${audience:+--audience "$audience"} --count "$count" --field "$field" >>"$file"
}

# top_up_tokens BASE FILE MIN SCOPE AUDIENCE: seeds tokens until FILE holds at least MIN.
top_up_tokens() {
  local have
  have=$(grep -c . "$2" 2>/dev/null || true)
  if (( ${have:-0} < $3 )); then
    seed_tokens "$1" "$2" $(( $3 - ${have:-0} )) "$4" "${5:-}"
  fi
}


# wrk_percentile_ms WRK_OUTPUT PERCENT: a latency percentile of wrk --latency in milliseconds (wrk prints
# us, ms or s).
wrk_percentile_ms() {
  awk -v p="$2%" '$1 == p {
    v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
    f = unit == "us" ? 0.001 : unit == "s" ? 1000 : unit == "m" ? 60000 : 1
    printf "%.2f", v * f }' <<<"$1"
}

# wrk_errors WRK_OUTPUT: non-2xx answers plus socket errors (0 when none).
wrk_errors() {
  awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$1"
}

# postgres_jiffies: CPU time so far of every PostgreSQL process on the machine (clock ticks); other
# databases' work counts too.
postgres_jiffies() {
  local pid total=0
  for pid in $(pgrep -x postgres); do
    total=$(( total + $(process_jiffies "$pid" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# measure LABEL WRK_ARGS...: one measured wrk run (-t1 -c$CONNECTIONS -d$DURATION --latency, then WRK_ARGS),
# its output appended to $out; sets RATE, P50, P99 (ms), ERRORS and CPU_NOTE (server, PostgreSQL and other
# CPU per request, and the load average), and prints a summary line.
measure() {
  local label=$1
  shift
  local machine_before server_before pg_before result busy total server_cpu pg_cpu requests hz
  hz=$(getconf CLK_TCK)
  machine_before=$(machine_jiffies)
  server_before=$(process_jiffies "$SERVER_PID")
  pg_before=$(postgres_jiffies)
  local activity_before=
  [[ -n $PG_SCHEMA ]] && activity_before=$(table_activity)
  result=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" 2>&1)
  read -r busy total < <(paste -d' ' <(echo "$machine_before") <(machine_jiffies) | awk '{ print $3 - $1, $4 - $2 }')
  server_cpu=$(( $(process_jiffies "$SERVER_PID") - server_before ))
  pg_cpu=$(( $(postgres_jiffies) - pg_before ))
  { echo "## $label: wrk -t1 -c$CONNECTIONS -d$DURATION --latency $*"; echo "$result"; } >>"$out"
  RATE=$(wrk_rate "$result")
  P50=$(wrk_percentile_ms "$result" 50)
  P99=$(wrk_percentile_ms "$result" 99)
  ERRORS=$(wrk_errors "$result")
  requests=$(awk '/requests in/ { print $1 }' <<<"$result")
  CPU_NOTE=$(awk -v b="$busy" -v t="$total" -v s="$server_cpu" -v p="$pg_cpu" -v n="$requests" -v hz="$hz" \
    -v la="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      ms = 1000 / hz / (n > 0 ? n : 1)
      printf "per request: server %.3f ms, PostgreSQL %.3f ms, machine busy %.3f ms of CPU; cores %.0f%% busy; load average %s",
        s * ms, p * ms, b * ms, 100 * b / t, la }')
  say "$label: $RATE req/s   p50 $P50 ms   p99 $P99 ms   errors $ERRORS   $CPU_NOTE"
  if [[ -n $activity_before ]]; then
    sleep 1 # PostgreSQL flushes a backend's statistics at most once a second
    say "#   database per request (PostgreSQL statistics): $(activity_per_request "$activity_before" "$(table_activity)" "${requests:-1}")"
  fi
}

# table_activity: per table of PG_SCHEMA, "table index-scans sequential-scans inserted updated deleted
# updated-in-place" so far (updated in place: heap-only tuples, which write no index entries),
# and a line "commits N" for the database (PostgreSQL's statistics: they can lag by a second).
table_activity() {
  psql_run "SELECT relname || ' ' || coalesce(idx_scan, 0) || ' ' || coalesce(seq_scan, 0) || ' ' || n_tup_ins || ' ' || n_tup_upd || ' '
    || n_tup_del || ' ' || n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY relname" -At
  psql_run "SELECT 'commits ' || xact_commit FROM pg_stat_database WHERE datname = current_database()" -At
}

# activity_per_request BEFORE AFTER N: what the database did per request between two table_activity readings,
# for the tables that changed: "table: index scans, inserted, updated (of which in place), deleted per request".
activity_per_request() {
  awk -v n="$3" 'NR == FNR { a[$1] = $0; next } {
      split(a[$1], b, " ")
      if ($1 == "commits") { printf "commits %.2f; ", ($2 - b[2]) / n; next }
      i = $2 - b[2]; s = $3 - b[3]; ins = $4 - b[4]; u = $5 - b[5]; d = $6 - b[6]; hot = $7 - b[7]
      if ((i + s + ins + u + d) / n >= 0.005)
        printf "%s: %.2f index scans, %.2f seq scans, %.2f inserted, %.2f updated (%.2f in place), %.2f deleted; ", $1, i / n, s / n, ins / n, u / n, hot / n, d / n
    }' <(echo "$1") <(echo "$2")
}

# begin_run NAME: what every lifecycle script does first. Installs wrk when missing, builds the jars, names
# the result file ($out) and a scratch folder ($data, $log), picks the server's port ($port, $base), makes a
# fresh schema dropped (with the server stopped) on exit, defines say (print and keep), waits for a quiet
# machine, and writes the run's header lines.
begin_run() {
  if ! command -v wrk >/dev/null; then
    echo "Installing wrk ..."
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
  ensure_server_jar
  ensure_bench_jar
  RESULTS=${RESULTS:-bench/results}
  mkdir -p "$RESULTS"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  out=$RESULTS/$1-$stamp.txt
  data=$(mktemp -d)
  log=$data/server.log
  port=$(free_port)
  base=http://127.0.0.1:$port
  export TOKENS_FILE=$data/refresh-tokens.txt
  trap end_run EXIT
  fresh_schema
  wait_quiet
  say "# $1 $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1)"
  say "# server JVM options: $JAVA_OPTS"
}

end_run() {
  stop_server
  drop_schema
  rm -rf "$data"
}

say() { echo "$*" | tee -a "$out"; }
