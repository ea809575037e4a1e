# The server's JVM flags, shared by ./latchkey and the bench scripts (bench/flows.sh). Source it; it sets
# the array java_opts.

# A small heap is plenty, and the serial collector suits it: against ParallelGC, measured back to back
# (BENCHMARKS.md), it keeps the server ~50 MB smaller under token load at the same token rate, and
# Argon2id, whose 19 MiB of blocks live in the heap, hashes 2-3.5% faster beside it.
java_opts=(-Xms64m -Xmx192m -XX:+UseSerialGC -Xss512k)
# Huge pages for the heap where the kernel offers them (madvise or always): Argon2id reads its 19 MiB at
# random, and with 2 MiB pages those reads miss the TLB less (BENCHMARKS.md, issue 3). Where the kernel
# has them off, the flag is left out, so that the JVM prints no warning.
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  java_opts+=(-XX:+UseTransparentHugePages)
fi
