#!/usr/bin/env bash
# JMH benchmarks, 2 threads: raw RSA-2048 SHA256withRSA signatures/s (JDK and ACCP), Latchkey's
# TokenSigner/JwtAccessTokenFormat issuing a client-credentials JWT, raw RS256 verifications/s, the
# verifier library against java-jwt (TokenVerifyBenchmark) and Argon2id through PasswordHasher
# (PasswordHashBenchmark). Builds bench/target/benchmarks.jar when missing or older than the sources.
#
#   bench/jmh.sh                 all benchmarks (about 20 minutes)
#   bench/jmh.sh TokenIssue      only those matching a JMH regexp (further JMH options may follow)
#   bench/jmh.sh PasswordHashBenchmark.argon2idHash -prof gc    with JMH's allocation profiler
#
# Environment: FORKS (1 fork per benchmark and parameter), RESULTS (bench/results), QUIET_WAIT (180 s).
# Results: $RESULTS (default bench/results)/jmh-<UTC time>.txt (human) and .json (machine).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
ensure_bench_jar
wait_jmh_lock
wait_quiet
RESULTS=${RESULTS:-bench/results}
mkdir -p "$RESULTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$RESULTS/jmh-$stamp
{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(uname -m), $(java -version 2>&1 | head -1)"
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg), cores $(idle_percent 3)% idle over 3 s"
} | tee "$out.txt"

# 3 x 5 s warm-up, 5 x 5 s measurement, FORKS (default 1) forks per benchmark and parameter, 2 threads.
java -jar "$BENCH_JAR" -wi 3 -w 5s -i 5 -r 5s -f "${FORKS:-1}" -t 2 -rf json -rff "$out.json" "${@:-.*}" 2>&1 | tee -a "$out.txt"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out.txt"
echo "Results: $out.txt, $out.json"
