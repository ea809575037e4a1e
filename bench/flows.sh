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

