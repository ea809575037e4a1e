#!/usr/bin/env python3
"""Summarises a JFR recording of a server under load (token-load.sh, authcode-load.sh and
userinfo-load.sh with --jfr) for BENCHMARKS.md.

    bench/jfr-hotspots.py bench/results/<script>-<time>.jfr [--window START_MS END_MS] [--top N]

Prints: where the HTTP worker threads' Java samples go, by component (each sample goes to the
nearest frame, from the leaf down, that belongs to a known component; JDK-internal frames count
for their caller), the hottest leaf methods, Latchkey's methods by inclusive share, native-method
samples outside idle waits, allocation pressure by type and by allocating component, GC pauses and
the JVM's share of the machine's CPU. --window keeps only events between two epoch-millisecond
times (token-load.sh prints the window of its measured run; the other two pass it themselves).
--top N lists N of Latchkey's methods by inclusive share (25 unless told).
Needs `jfr` (any JDK 17+) on the PATH.
"""
import collections
import json
import subprocess
import sys
from datetime import datetime

# Ordered: the first prefix that matches a frame's class names its component.
COMPONENTS = [
    ("com.amazon.corretto.crypto", "RSA signature + SHA-256 (ACCP, native)"),
    ("sun.security.rsa", "RSA signature (JDK)"),
    ("sun.security.provider.SecureRandom", "SecureRandom"),
    ("sun.security.provider.NativePRNG", "SecureRandom"),
    ("java.security.SecureRandom", "SecureRandom"),
    ("sun.security.provider.DigestBase", "SHA-256 (JDK)"),
    ("sun.security.provider.SHA", "SHA-256 (JDK)"),
    ("java.security.MessageDigest", "SHA-256 (JDK)"),
    ("sun.security.jca", "JCA provider lookup"),
    ("java.security.Signature", "JCA provider lookup"),
    ("java.security.Provider", "JCA provider lookup"),
    ("javax.crypto", "JCA provider lookup"),
    ("sun.nio.ch", "socket I/O (NIO)"),
    ("com.nimbusds.jose.shaded.gson", "Nimbus: claims to JSON (Gson)"),
    ("com.nimbusds.jwt", "Nimbus: JWT claims / serialise"),
    ("com.nimbusds.jose", "Nimbus: JWS sign / base64url"),
    ("com.nimbusds.oauth2", "Nimbus OAuth SDK"),
    ("com.fasterxml.jackson", "Jackson (response JSON)"),
    ("com.github.benmanes.caffeine", "Caffeine lookups"),
    ("io.micrometer", "Micrometer metrics"),
    ("ch.qos.logback", "logging"),
    ("org.slf4j", "logging"),
    ("dev.latchkey", "Latchkey code"),
    ("io.javalin", "Javalin"),
    ("kotlin", "Javalin"),
    ("org.eclipse.jetty", "Jetty (HTTP parse/generate)"),
    ("java.util.concurrent", "JDK concurrency"),
]

IDLE_NATIVE = ("epollWait", "poll", "accept", "park", "sleep", "wait", "read0", "socketRead", "select")


def jfr_events(path, events):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", events, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def component(frames):
    for frame in frames:
        name = frame_name(frame)
        for prefix, label in COMPONENTS:
            if name.startswith(prefix):
                return label
    return "other (JDK, start-up, GC helpers)"


def when(event):
    """The event's start, in UTC; JFR writes up to nine fractional digits (or fewer), Python reads six."""
    stamp = event["values"]["startTime"].rstrip("Z")
    if "+" in stamp[10:]:
        stamp = stamp[:10] + stamp[10:].split("+")[0]
    seconds, _, fraction = stamp.partition(".")
    return datetime.fromisoformat(f"{seconds}.{(fraction + '000000')[:6]}+00:00")


def table(title, counter, total, limit=20):
    print(f"\n## {title} ({total} samples)")
    for key, count in counter.most_common(limit):
        print(f"{100.0 * count / total:6.1f}%  {count:6d}  {key}")


def within(events, window):
    if window is None:
        return events
    return [e for e in events if window[0] <= when(e).timestamp() * 1000 <= window[1]]


def main():
    path = sys.argv[1]
    window = None
    if "--window" in sys.argv:
        at = sys.argv.index("--window")
        window = (int(sys.argv[at + 1]), int(sys.argv[at + 2]))
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    samples = within(jfr_events(path, "jdk.ExecutionSample"), window)
    workers = [e for e in samples if "latchkey-http" in (e["values"]["sampledThread"] or {}).get("javaName", "")]
    frames = [e["values"]["stackTrace"]["frames"] for e in workers if e["values"]["stackTrace"]]

    by_thread = collections.Counter((e["values"]["sampledThread"] or {}).get("javaName", "?").rstrip("0123456789-")
                                    for e in samples)
    table("Java samples by thread (name without its number)", by_thread, len(samples), 10)
    table("HTTP worker samples by component (nearest known frame from the leaf)",
          collections.Counter(component(f) for f in frames), len(frames))
    table("Hottest leaf methods on the HTTP workers", collections.Counter(frame_name(f[0]) for f in frames if f),
          len(frames), 25)
    inclusive = collections.Counter()
    for f in frames:
        for name in {frame_name(x) for x in f if frame_name(x).startswith("dev.latchkey")}:
            inclusive[name] += 1
    table("Latchkey methods, inclusive (share of worker samples with the method on the stack)",
          inclusive, len(frames), top)

    native = within(jfr_events(path, "jdk.NativeMethodSample"), window)
    busy = [e for e in native if e["values"]["stackTrace"]
            and not any(word in frame_name(e["values"]["stackTrace"]["frames"][0]) for word in IDLE_NATIVE)]
    table("Native-method samples outside idle waits, by leaf method",
          collections.Counter(frame_name(e["values"]["stackTrace"]["frames"][0]) for e in busy), max(len(busy), 1), 10)

    allocations = within(jfr_events(path, "jdk.ObjectAllocationSample"), window)
    weight_by_type = collections.Counter()
    weight_by_component = collections.Counter()
    for e in allocations:
        v = e["values"]
        weight = int(v.get("weight", 0))
        weight_by_type[v["objectClass"]["name"].replace("/", ".")] += weight
        if v["stackTrace"]:
            weight_by_component[component(v["stackTrace"]["frames"])] += weight
    total_weight = max(sum(weight_by_type.values()), 1)
    print(f"\n## Allocation pressure ({total_weight / 1e9:.1f} GB sampled-weight in the window)")
    for key, weight in weight_by_type.most_common(10):
        print(f"{100.0 * weight / total_weight:6.1f}%  {key}")
    print("\n## Allocation pressure by allocating component")
    for key, weight in weight_by_component.most_common(12):
        print(f"{100.0 * weight / total_weight:6.1f}%  {key}")

    pauses = within(jfr_events(path, "jdk.GarbageCollection"), window)
    if pauses:
        def millis(e):
            value = e["values"]["sumOfPauses"]
            if isinstance(value, str):  # "0.1011627S" or "PT0.1S" (ISO-8601)
                return float(value.upper().replace("PT", "").rstrip("S")) * 1000
            return value / 1e6
        total = sum(millis(e) for e in pauses)
        print(f"\n## GC: {len(pauses)} collections, {total:.0f} ms of pauses, longest {max(millis(e) for e in pauses):.1f} ms")
    cpu = within(jfr_events(path, "jdk.CPULoad"), window)
    if cpu:
        jvm = sum(float(e["values"]["jvmUser"]) + float(e["values"]["jvmSystem"]) for e in cpu) / len(cpu)
        machine = sum(float(e["values"]["machineTotal"]) for e in cpu) / len(cpu)
        print(f"\n## CPU: the server JVM {100 * jvm:.0f}% of the machine, the machine {100 * machine:.0f}% busy"
              " (the rest is wrk and anything else running)")


if __name__ == "__main__":
    main()
