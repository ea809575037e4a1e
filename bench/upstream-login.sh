#!/usr/bin/env bash
# Full upstream-login round trips per second through node-oidc-provider, against node-oidc-provider's own
# logins per second in the same run (the ratio is the figure: what Latchkey adds around the provider's login).
#
#  1. Starts `java -jar server/target/latchkey.jar serve` (embedded H2, fresh data dir) and node-oidc-provider
#     (server/src/test/node/upstream-idp.mjs, as in the tests) on free ports; through the Management API, a
#     first-party regular_web application and an oidc connection to the provider enabled for it.
#  2. bench/upstream-login-driver.mjs (Node, no packages): VUS virtual browsers, a fresh cookie jar every round
#     trip. Mode provider: the provider's /auth, its login and consent pages, the code exchanged at its /token.
#     Mode upstream: Latchkey's /authorize?connection=, the same provider pages, /login/callback, the code
#     exchanged at Latchkey's /oauth/token. After WARMUP seconds of each, LOAD-second windows alternate
#     provider, upstream, provider, ... (CYCLES upstream windows); each upstream window is divided by the mean
#     of the provider windows beside it; the median is the figure.
#
#   bench/upstream-login.sh
#   VUS=4 LOAD=20 CYCLES=3 WARMUP=90 bench/upstream-login.sh     (a quiet machine; the JIT needs the 90 s)
#
# Needs node and server/src/test/node/node_modules (npm ci there). Environment: VUS (4), LOAD (10 s), CYCLES (3),
# WARMUP (10 s), JAVA_OPTS (server JVM; default the launcher's flags), SERVER_JAR, ONLY (upstream or provider: that
# mode's windows alone, each with its CPU per round trip, for comparing builds or JVM flags; no figure),
# ID_TOKEN_CLAIMS=1 (the provider puts the profile in its ID tokens too, as Google does: Latchkey then leaves out
# the userinfo call; by default the profile is at userinfo only, as node-oidc-provider's defaults have it).
# Results: $RESULTS (default bench/results)/upstream-login-<UTC time>.txt
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/flows.sh

export VUS=${VUS:-4} LOAD=${LOAD:-10} CYCLES=${CYCLES:-3} WARMUP=${WARMUP:-10}
JAVA_OPTS=${JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}

ensure_server_jar
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$RESULTS/upstream-login-$stamp.txt
data=$(mktemp -d)
log=$data/server.log
port=$(free_port)
IDP_PID=
trap 'stop_server; [[ -n $IDP_PID ]] && kill "$IDP_PID" 2>/dev/null; rm -rf "$data"' EXIT

say() { echo "$*" | tee -a "$out"; }
say "# upstream-login $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(java -version 2>&1 | head -1), node $(node --version)"
say "# server JVM options: $JAVA_OPTS; VUS=$VUS LOAD=$LOAD CYCLES=$CYCLES WARMUP=$WARMUP ID_TOKEN_CLAIMS=${ID_TOKEN_CLAIMS:-0}"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Every login comes from 127.0.0.1: the per-address limit (300 at once, 100/s) would measure itself.
export LATCHKEY_RATE_LIMIT_ADDRESS="${LATCHKEY_RATE_LIMIT_ADDRESS:-1000000,1000000/s}"
start_upstream_login "$port" "$data" "$log"
# One round trip of each by hand, so a broken setup fails here rather than as a run full of errors.
ONCE=1 node bench/upstream-login-driver.mjs >/dev/null
node bench/upstream-login-driver.mjs | tee -a "$out"
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(rss_mb "$SERVER_PID") MB"
echo "Results: $out"
