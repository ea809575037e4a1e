package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.Argon2Cost;
import dev.latchkey.server.identity.PasswordHasher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver for full authorization-code round trips over HTTP (see {@link AuthorizationCodeBrowser}),
 * measured against raw Argon2id hashes per second on the same cores, in one JVM that stays warm throughout.
 *
 * <p>The host's speed drifts by 10-20% within a minute, so the two rates are taken in short windows that
 * alternate: a raw window (the server idle, this JVM hashing on one thread per core through the server's own
 * {@link PasswordHasher} at its default cost), then a load window of one mode, then a raw window, then the
 * next mode, and so on. Each load window's ratio is its round trips/s over the mean of the raw windows just
 * before and after it; the median of a mode's windows is the figure.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.AuthCodeLoad --base http://127.0.0.1:8080/
 *     --client-id ID --client-secret SECRET --redirect-uri https://app.example/callback
 *     --scope "openid profile email" [--audience API]
 *     --users "bench-%d@bench.latchkey.dev" --user-count 8 --password P
 *     [--modes consent,skip] [--vus 4] [--warmup 300] [--cycles 5] [--load 15] [--raw 10] [--server-pid PID]
 *     | --once [--prompt-consent]
 * </pre>
 * Modes: {@code consent} sends {@code prompt=consent}, so the consent page is shown and accepted every round
 * trip; {@code skip} sends no prompt (a first-party application whose API skips consent). The warm-up runs the
 * modes in turn, with a raw window first, until the server's JIT compilers have settled (with
 * {@code --server-pid}) or for {@code --warmup} seconds at most: on 2 cores C2 goes on compiling the server's
 * paths for two to four minutes; then one cycle runs unmeasured. With {@code --server-pid} each load window
 * also tells the CPU time per round trip of the server (by thread kind), of this driver and of anything else
 * ({@link CpuAccount}). With {@code --once} it makes one round trip and prints the token response as JSON.
 * Users {@code 0..user-count-1} must exist; virtual user {@code i} logs in as user {@code i % user-count}.
 */
public final class AuthCodeLoad {

    /** Not counted at the start of a window, so that it measures the steady state, not the ramp. */
    private static final long SETTLE_MS = 2_000;
    /** A warm-up slice of one mode. */
    private static final long WARMUP_SLICE_MS = 10_000;
    /** The compilers' share of the server's CPU below which a warm-up slice counts as settled. */
    private static final double SETTLED_COMPILER_SHARE = 0.01;

    private final AuthorizationCodeBrowser.Target target;
    private final String users;
    private final int userCount;
    private final String password;
    private final int vus;
    private final long serverPid;
    private final PasswordHasher hasher = new PasswordHasher(Argon2Cost.OWASP);
    private final int hashThreads = Runtime.getRuntime().availableProcessors();
    private final Map<String, List<AuthorizationCodeBrowser>> browsers = new LinkedHashMap<>();
    /** CPU ms per hash of the last raw window, from the driver's own {@link PasswordHasher}. */
    private double lastRawCpuMsPerHash = Double.NaN;

    private AuthCodeLoad(AuthorizationCodeBrowser.Target target, List<String> modes, String users, int userCount,
                         String password, int vus, long serverPid) {
        this.target = target;
        this.users = users;
        this.userCount = userCount;
        this.password = password;
        this.vus = vus;
        this.serverPid = serverPid;
        for (String mode : modes) {
            AuthorizationCodeBrowser.Target flow = target.withPromptConsent(promptConsent(mode));
            List<AuthorizationCodeBrowser> own = new ArrayList<>();
            for (int i = 0; i < vus; i++) {
                own.add(new AuthorizationCodeBrowser(flow));
            }
            browsers.put(mode, own);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        AuthorizationCodeBrowser.Target target = new AuthorizationCodeBrowser.Target(
                URI.create(withSlash(required(options, "base"))), required(options, "client-id"),
                required(options, "client-secret"), required(options, "redirect-uri"),
                options.getOrDefault("scope", "openid profile email"), options.get("audience"),
                options.containsKey("prompt-consent"));
        String users = required(options, "users");
        String password = required(options, "password");

        if (options.containsKey("once")) {
            JsonNode token = new AuthorizationCodeBrowser(target).roundTrip(String.format(users, 0), password);
            System.out.println(token.toString());
            return;
        }

        List<String> modes = List.of(options.getOrDefault("modes", "consent,skip").split(","));
        modes.forEach(AuthCodeLoad::promptConsent); // refuses an unknown mode before any work
        AuthCodeLoad load = new AuthCodeLoad(target, modes, users,
                Integer.parseInt(options.getOrDefault("user-count", "1")), password,
                Integer.parseInt(options.getOrDefault("vus", "4")),
                Long.parseLong(options.getOrDefault("server-pid", "0")));
        load.run(seconds(options, "warmup", 300), Integer.parseInt(options.getOrDefault("cycles", "5")),
                seconds(options, "load", 15), seconds(options, "raw", 10));
    }

    private static boolean promptConsent(String mode) {
        return switch (mode) {
            case "consent" -> true;
            case "skip" -> false;
            default -> throw new IllegalArgumentException("Unknown mode " + mode + " (consent, skip)");
        };
    }

    private void run(long warmupMs, int cycles, long loadMs, long rawMs) throws InterruptedException {
        List<String> modes = new ArrayList<>(browsers.keySet());
        System.out.printf("# %d virtual users, scope \"%s\", audience %s, modes %s; %d hashing threads;"
                        + " warm-up %d s, then %d cycles of a %d s raw window and a %d s window per mode%n",
                vus, target.scope(), target.audience() == null ? "(none)" : target.audience(), modes, hashThreads,
                warmupMs / 1000, cycles, rawMs / 1000, loadMs / 1000);
        warmUp(modes, warmupMs, Math.min(rawMs, warmupMs));
        rehearse(modes, loadMs, rawMs);

        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        List<Double> rawRates = new ArrayList<>();
        double before = rawHashesPerSecond(rawMs);
        rawRates.add(before);
        for (int cycle = 1; cycle <= cycles; cycle++) {
            for (String mode : modes) {
                System.out.printf("# window %s %d of %d%n", mode, cycle, cycles);
                double rate = roundTrips(mode, SETTLE_MS, loadMs, true);
                double after = rawHashesPerSecond(rawMs);
                rawRates.add(after);
                double ratio = rate / ((before + after) / 2);
                System.out.printf("window %s %d: round trips/s %.1f   raw Argon2id hashes/s %.1f before, %.1f after"
                        + "   ratio %.2f%n", mode, cycle, rate, before, after, ratio);
                ratios.computeIfAbsent(mode, m -> new ArrayList<>()).add(ratio);
                before = after;
            }
        }
        double[] raw = rawRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("raw Argon2id hashes/s over %d windows: median %.1f, from %.1f to %.1f%n", raw.length,
                median(raw), raw[0], raw[raw.length - 1]);
        ratios.forEach((mode, values) -> {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            StringBuilder all = new StringBuilder();
            values.forEach(v -> all.append(String.format(" %.2f", v)));
            System.out.printf("ratio_%s=%.2f (median of%s)%n", mode, median(sorted), all);
        });
    }

    /**
     * Runs the modes in turn, in {@link #WARMUP_SLICE_MS} slices, until the server's JIT compilers have settled
     * or {@code maxMs} has passed. On 2 cores C2 goes on compiling the server's paths (H2, Jetty, JDBI) for two
     * to four minutes under this load, and while it does it takes CPU from the round trips and the hash alike:
     * a window measured then measures the JIT. Settled means two slices in a row in which the compiler threads
     * used less than {@link #SETTLED_COMPILER_SHARE} of the server's CPU. Without {@code --server-pid} it simply
     * runs {@code maxMs}.
     */
    private void warmUp(List<String> modes, long maxMs, long rawMs) throws InterruptedException {
        long started = System.currentTimeMillis();
        long ends = started + maxMs;
        rawHashesPerSecond(rawMs); // the hasher's JIT, in this JVM
        CpuAccount account = serverPid > 0 ? new CpuAccount(serverPid) : null;
        int quietSlices = 0;
        for (int slice = 0; System.currentTimeMillis() < ends && quietSlices < 2; slice++) {
            CpuAccount.Snapshot from = account == null ? null : account.take();
            String mode = modes.get(slice % modes.size());
            double rate = roundTrips(mode, 0, Math.min(WARMUP_SLICE_MS, ends - System.currentTimeMillis()), false);
            CpuAccount.Snapshot to = account == null ? null : account.take();
            // The measured windows read the server's hash meters; reading them here too keeps the first
            // window from paying for the JIT of /metrics.
            serverHashMeters();
            if (from == null || to == null) {
                continue;
            }
            double compilerShare = CpuAccount.compilerShare(from, to);
            quietSlices = compilerShare < SETTLED_COMPILER_SHARE ? quietSlices + 1 : 0;
            System.out.printf("# warm-up %3d s: %s %.1f round trips/s, JIT compilers %.1f%% of the server's CPU%n",
                    (System.currentTimeMillis() - started) / 1000, mode, rate, 100 * compilerShare);
        }
        System.out.printf("# warm-up %s after %d s%n", quietSlices >= 2 ? "settled" : "stopped at its limit",
                (System.currentTimeMillis() - started) / 1000);
    }

    /**
     * One cycle as measured, unreported: a raw window, then a load window of each mode. The first load window
     * after the warm-up and its first idle raw window set C2 compiling again (0.7-0.9 ms of compiler CPU per
     * round trip, against 0.1-0.2 in the windows after it), so the measured cycles start after this one. With
     * it, that compiler time fell to 0.3 ms in the one run measured, but the first measured window was still
     * that run's lowest (BENCHMARKS.md).
     */
    private void rehearse(List<String> modes, long loadMs, long rawMs) throws InterruptedException {
        rawHashesPerSecond(rawMs);
        for (String mode : modes) {
            roundTrips(mode, SETTLE_MS, loadMs, false);
        }
        System.out.println("# one unmeasured cycle done");
    }

    /**
     * Raw Argon2id: one thread per core hashing through the server's {@link PasswordHasher} for
     * half a settle plus {@code durationMs}; hashes completed after that half settle, per second.
     */
    private double rawHashesPerSecond(long durationMs) throws InterruptedException {
        long hashesBefore = hasher.computations();
        long cpuBefore = hasher.cpuNanos();
        long from = System.currentTimeMillis() + SETTLE_MS / 2;
        long until = from + durationMs;
        AtomicLong counted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < hashThreads; i++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    hasher.hash(PasswordHashBenchmark.PASSWORD);
                    long now = System.currentTimeMillis();
                    if (now >= until) {
                        break;
                    }
                    if (now >= from) {
                        counted.incrementAndGet();
                    }
                }
            }, "hash-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long hashes = hasher.computations() - hashesBefore;
        lastRawCpuMsPerHash = hashes == 0 ? Double.NaN : (hasher.cpuNanos() - cpuBefore) / 1e6 / hashes;
        return counted.get() * 1000.0 / durationMs;
    }

    /**
     * {@code vus} browsers of {@code mode} loop round trips for {@code settleMs + durationMs}; the ones completed
     * after the settle count. With {@code report}, prints the window's figures. Returns round trips/s.
     */
    private double roundTrips(String mode, long settleMs, long durationMs, boolean report) throws InterruptedException {
        long measureFrom = System.currentTimeMillis() + settleMs;
        long measureUntil = measureFrom + durationMs;
        List<long[]> latencies = new ArrayList<>(); // per virtual user: completion latencies in the window
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        List<AuthorizationCodeBrowser> own = browsers.get(mode);
        long[] stepNanos = new long[AuthorizationCodeBrowser.Step.values().length];
        long[] stepCounts = new long[stepNanos.length];

        for (int i = 0; i < vus; i++) {
            AuthorizationCodeBrowser browser = own.get(i);
            String email = String.format(users, i % userCount);
            threads.add(new Thread(() -> {
                long[] mine = new long[1024];
                int count = 0;
                boolean measuring = false;
                while (true) {
                    long now = System.currentTimeMillis();
                    if (now >= measureUntil) {
                        break;
                    }
                    if (!measuring && now >= measureFrom) {
                        measuring = true;
                        browser.takeStepTimes(new long[stepNanos.length], new long[stepNanos.length]);
                    }
                    long began = System.nanoTime();
                    try {
                        browser.roundTrip(email, password);
                        long done = System.currentTimeMillis();
                        if (done >= measureFrom && done < measureUntil) {
                            if (count == mine.length) {
                                mine = Arrays.copyOf(mine, count * 2);
                            }
                            mine[count++] = System.nanoTime() - began;
                        }
                    } catch (AuthorizationCodeBrowser.FlowFailure e) {
                        errors.computeIfAbsent(e.step + " " + e.status, k -> new AtomicLong()).incrementAndGet();
                        firstError.compareAndSet(null, e.getMessage());
                        pause();
                    } catch (Exception e) {
                        errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                        pause();
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, count));
                }
            }, "vu-" + i));
        }
        threads.forEach(Thread::start);
        CpuAccount.Snapshot[] cpu = new CpuAccount.Snapshot[2];
        HashMeter[] hashMeters = new HashMeter[2];
        if (serverPid > 0 && report) {
            CpuAccount account = new CpuAccount(serverPid);
            sleepUntil(measureFrom);
            cpu[0] = account.take();
            hashMeters[0] = serverHashMeters();
            sleepUntil(measureUntil);
            cpu[1] = account.take();
            hashMeters[1] = serverHashMeters();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long roundTrips = latencies.stream().mapToLong(l -> l.length).sum();
        if (report) {
            own.forEach(b -> b.takeStepTimes(stepNanos, stepCounts));
            System.out.printf("# measured from epoch ms %d to %d%n", measureFrom, measureUntil);
            report(latencies, durationMs, errors, firstError.get(), stepNanos, stepCounts);
            String account = CpuAccount.describe(cpu[0], cpu[1], roundTrips);
            if (account != null) {
                System.out.println(account);
            }
            if (hashMeters[0] != null && hashMeters[1] != null && hashMeters[1].hashes() > hashMeters[0].hashes()) {
                System.out.printf("Argon2id CPU ms per hash: in the server %.1f, raw window before %.1f%n",
                        hashMeters[1].cpuMsPerHashSince(hashMeters[0]), lastRawCpuMsPerHash);
            }
        } else if (!errors.isEmpty()) {
            System.out.println("warm-up errors: " + errors + "; first: " + firstError.get());
        }
        return roundTrips * 1000.0 / durationMs;
    }

    /** The server's password-hash meters at one moment. */
    private record HashMeter(double hashes, double cpuSeconds) {
        double cpuMsPerHashSince(HashMeter earlier) {
            return (cpuSeconds - earlier.cpuSeconds) * 1000 / (hashes - earlier.hashes);
        }
    }

    /**
     * The server's {@code latchkey_password_hashes_total} and {@code latchkey_password_hash_cpu_seconds_total}
     * from {@code /metrics}, or null when it does not answer them.
     */
    private HashMeter serverHashMeters() {
        try {
            HttpURLConnection connection = (HttpURLConnection) target.base().resolve("metrics").toURL()
                    .openConnection(Proxy.NO_PROXY);
            Map<String, Double> values = new HashMap<>();
            try (var in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] nameAndValue = line.split(" ");
                    if (nameAndValue.length == 2 && nameAndValue[0].startsWith("latchkey_password_hash")) {
                        values.put(nameAndValue[0], Double.parseDouble(nameAndValue[1]));
                    }
                }
            }
            Double hashes = values.get("latchkey_password_hashes_total");
            Double cpuSeconds = values.get("latchkey_password_hash_cpu_seconds_total");
            return hashes == null || cpuSeconds == null ? null : new HashMeter(hashes, cpuSeconds);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long left = epochMillis - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    private static void report(List<long[]> perUser, long durationMs, Map<String, AtomicLong> errors,
                               String firstError, long[] stepNanos, long[] stepCounts) {
        long[] all = perUser.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double perSecond = all.length * 1000.0 / durationMs;
        System.out.printf("round trips: %d in %.1f s = %.1f/s%n", all.length, durationMs / 1000.0, perSecond);
        if (all.length > 0) {
            System.out.printf("round-trip latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(all, 50),
                    pct(all, 90), pct(all, 99), all[all.length - 1] / 1e6);
        }
        StringBuilder steps = new StringBuilder("mean ms per step:");
        for (AuthorizationCodeBrowser.Step step : AuthorizationCodeBrowser.Step.values()) {
            int i = step.ordinal();
            if (stepCounts[i] > 0) {
                steps.append(String.format("  %s %.1f", step.name().toLowerCase(), stepNanos[i] / 1e6 / stepCounts[i]));
            }
        }
        System.out.println(steps);
        Map<String, Long> counted = new TreeMap<>();
        errors.forEach((k, v) -> counted.put(k, v.get()));
        long errorTotal = counted.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("errors: " + errorTotal + (counted.isEmpty() ? "" : " " + counted));
        if (firstError != null) {
            System.out.println("first error: " + firstError);
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double pct(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long seconds(Map<String, String> options, String name, long defaultSeconds) {
        return Long.parseLong(options.getOrDefault(name, Long.toString(defaultSeconds))) * 1000;
    }

    /** {@code --name value} pairs (and the flags {@code --once}, {@code --prompt-consent}) by name. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = name.equals("once") || name.equals("prompt-consent") || name.equals("replay")
                    || name.equals("final-check");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }

    static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String withSlash(String base) {
        return base.endsWith("/") ? base : base + "/";
    }
}
