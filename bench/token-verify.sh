#!/usr/bin/env bash
# RS256 access-token validations per second, 2 threads, JMH (TokenVerifyBenchmark): latchkey-verifier's
# AccessTokenVerifier (.issuer .audience .jwks, no network), raw SHA256withRSA verifications with the same
# default provider, com.auth0:java-jwt 4.6.2 over a cached jwks-rsa 0.24.2 JwkProvider (local JWKS file), and
# Nimbus DefaultJWTProcessor over an ImmutableJWKSet; each without ACCP (JDK's SunRsaSign) and with ACCP
# installed first, as the server does. Prints the ratios the verifier is held to: >= 0.9x raw verifies and
# >= 1.0x the faster of java-jwt and Nimbus.
#
#   bench/token-verify.sh                   all (about 8 minutes)
#   bench/token-verify.sh -p provider=ACCP  further JMH options (here: only with ACCP)
#
# Environment: JMH_OPTS (default "-wi 3 -w 5s -i 5 -r 5s -f 1 -t 2", as bench/jmh.sh), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/token-verify-<UTC time>.txt (human) and .json (JMH).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ensure_bench_jar
wait_jmh_lock
wait_quiet
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
out=$RESULTS/token-verify-$(date -u +%Y%m%dT%H%M%SZ)
say() { echo "$*" | tee -a "$out.txt"; }
say "# token-verify $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(uname -m), $(java -version 2>&1 | head -1)"
say "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# As bench/jmh.sh: 3 x 5 s warm-up, 5 x 5 s measurement, one fork per benchmark and provider, 2 threads.
JMH_OPTS=${JMH_OPTS:--wi 3 -w 5s -i 5 -r 5s -f 1 -t 2}
say "# java -jar $BENCH_JAR $JMH_OPTS $* TokenVerifyBenchmark"
# shellcheck disable=SC2086
java -jar "$BENCH_JAR" $JMH_OPTS -rf json -rff "$out.json" "$@" TokenVerifyBenchmark 2>&1 | tee -a "$out.txt" \
  | grep -E '^(# SHA256withRSA|Benchmark|TokenVerifyBenchmark)' || true
if [[ ! -s $out.json ]]; then
  echo "JMH did not finish; see $out.txt" >&2
  exit 1
fi
say "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The ratios, per provider, from the JMH scores.
jq -r '
  map({name: (.benchmark | split(".") | last), provider: .params.provider, score: .primaryMetric.score})
  | group_by(.provider)[]
  | (map({key: .name, value: .score}) | from_entries) as $s
  | .[0].provider as $p
  | "\($p): verifier \($s.latchkeyVerifier // 0 | floor)/s, raw verify \($s.rawVerifyReused // 0 | floor)/s "
    + "(per-token Signature \($s.rawVerifyPerToken // 0 | floor)/s), java-jwt \($s.auth0JavaJwt // 0 | floor)/s, "
    + "Nimbus \($s.nimbusProcessor // 0 | floor)/s; verifier/raw \(if $s.rawVerifyReused then ($s.latchkeyVerifier / $s.rawVerifyReused * 100 | round / 100) else "-" end) "
    + "(goal 0.9), verifier/best library \(if $s.auth0JavaJwt and $s.nimbusProcessor then ($s.latchkeyVerifier / ([$s.auth0JavaJwt, $s.nimbusProcessor] | max) * 100 | round / 100) else "-" end) (goal 1.0)"
' "$out.json" | tee -a "$out.txt"
echo "Results: $out.txt, $out.json"
