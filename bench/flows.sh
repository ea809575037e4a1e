# Shared by the bench scripts that set up through the Management API (authcode-load.sh, userinfo-load.sh,
# token-load.sh, token-verify.sh), beside lib.sh: the Management API, and the web application, API and
# users a login needs. Source it from the repo root after lib.sh.

# The launcher's JVM flags (./latchkey, from java-options.sh), unless JAVA_OPTS says otherwise.
# shellcheck source=../java-options.sh
source java-options.sh
LAUNCHER_JAVA_OPTS="${java_opts[*]}"
# Where the bench application says it lives; never fetched (the driver reads the code off the redirect).
BENCH_CALLBACK=https://app.bench.latchkey.dev/callback
BENCH_AUDIENCE=https://bench.latchkey.dev/api
# Passes the server's password policy; the same for every bench user.
BENCH_PASSWORD='Bench-pa55word!'
BENCH_EMAILS='bench-%d@bench.latchkey.dev'

# management_login BASE DATA_DIR: a Management API token from the bootstrap client's credentials (sets MGMT).
management_login() {
  local base=$1 data=$2 boot_id boot_secret
  boot_id=$(jq -r .client_id "$data/bootstrap.json")
  boot_secret=$(jq -r .client_secret "$data/bootstrap.json")
  MGMT=$(curl -sf "$base/oauth/token" -d grant_type=client_credentials --data-urlencode "client_id=$boot_id" \
    --data-urlencode "client_secret=$boot_secret" --data-urlencode "audience=$base/api/v2/" | jq -r .access_token)
  MGMT_BASE=$base
}

# management METHOD PATH JSON: one Management API call; fails on an error status.
management() {
  curl -sf -X "$1" "$MGMT_BASE/api/v2/$2" -H "Authorization: Bearer $MGMT" -H 'Content-Type: application/json' \
    -d "$3"
}

# create_web_app: a first-party regular_web application using the authorization-code grant, and an API whose
# consent is skipped for first-party applications. Sets APP_ID and APP_SECRET.
create_web_app() {
  management POST resource-servers "{\"identifier\":\"$BENCH_AUDIENCE\",\"name\":\"Bench API\",\"signing_alg\":\"RS256\",
    \"skip_consent_for_verifiable_first_party_clients\":true,
    \"scopes\":[{\"value\":\"read:items\",\"description\":\"Read items\"}]}" >/dev/null
  local app
  app=$(management POST clients "{\"name\":\"Bench Web App\",\"app_type\":\"regular_web\",\"is_first_party\":true,
    \"token_endpoint_auth_method\":\"client_secret_post\",\"grant_types\":[\"authorization_code\"],
    \"callbacks\":[\"$BENCH_CALLBACK\"]}")
  APP_ID=$(jq -r .client_id <<<"$app")
  APP_SECRET=$(jq -r .client_secret <<<"$app")
}

# create_users COUNT: users 0..COUNT-1 of the database connection, named after BENCH_EMAILS.
create_users() {
  local i email
  for ((i = 0; i < $1; i++)); do
    # shellcheck disable=SC2059
    email=$(printf "$BENCH_EMAILS" "$i")
    management POST users "{\"connection\":\"Username-Password-Authentication\",\"email\":\"$email\",
      \"email_verified\":true,\"name\":\"Bench User $i\",\"password\":\"$BENCH_PASSWORD\"}" >/dev/null
  done
}

# authcode_driver BASE ARGS...: runs the load driver against the web application made by create_web_app.
authcode_driver() {
  local base=$1
  shift
  # shellcheck disable=SC2086
  java ${DRIVER_JAVA_OPTS:-} -cp "$BENCH_JAR" dev.latchkey.bench.AuthCodeLoad --base "$base" --client-id "$APP_ID" \
    --client-secret "$APP_SECRET" --redirect-uri "$BENCH_CALLBACK" --users "$BENCH_EMAILS" \
    --password "$BENCH_PASSWORD" "$@"
}


# start_upstream_login PORT DATA_DIR LOG: what bench/upstream-login.sh and upstream-login-statements.sh log in
# through. Starts the server (start_server) and node-oidc-provider (server/src/test/node/upstream-idp.mjs, as in
# the tests) on a free port, with a confidential client for the server's /login/callback; through the
# Management API, a regular_web application (create_web_app) and an oidc connection to the provider enabled for
# it. Sets IDP_PID and exports what bench/upstream-login-driver.mjs reads. Leaves stopping both to the caller.
start_upstream_login() {
  local port=$1 data=$2 log=$3 idp_port base=http://127.0.0.1:$1
  idp_port=$(free_port)
  UPSTREAM_CLIENT_ID=bench-latchkey
  UPSTREAM_CLIENT_SECRET=bench-upstream-secret-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  start_server "$port" "$data" "$log"
  (cd server/src/test/node && PORT=$idp_port CLIENT_ID=$UPSTREAM_CLIENT_ID CLIENT_SECRET=$UPSTREAM_CLIENT_SECRET \
    REDIRECT_URI=$base/login/callback exec node upstream-idp.mjs >"$data/idp.log" 2>&1) &
  IDP_PID=$!
  wait_ready "$port" 60
  until grep -q READY "$data/idp.log"; do
    kill -0 "$IDP_PID" 2>/dev/null || { cat "$data/idp.log" >&2; return 1; }
    sleep 0.1
  done
  management_login "$base" "$data"
  create_web_app
  management POST connections "{\"name\":\"bench-upstream\",\"strategy\":\"oidc\",\"enabled_clients\":[\"$APP_ID\"],
    \"options\":{\"issuer\":\"http://127.0.0.1:$idp_port\",\"client_id\":\"$UPSTREAM_CLIENT_ID\",
    \"client_secret\":\"$UPSTREAM_CLIENT_SECRET\",\"scope\":\"openid profile email\"}}" >/dev/null
  export SERVER_PID IDP_PID LATCHKEY=$base/ PROVIDER=http://127.0.0.1:$idp_port APP_ID APP_SECRET \
    APP_CALLBACK=$BENCH_CALLBACK CONNECTION=bench-upstream UPSTREAM_CLIENT_ID UPSTREAM_CLIENT_SECRET
}
