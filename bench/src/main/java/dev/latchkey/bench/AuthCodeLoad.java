package dev.latchkey.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver for full authorization-code round trips over HTTP (see {@link AuthorizationCodeBrowser}):
 * {@code --vus} virtual users, each its own browser logging in as its own user, loop round trips for
 * {@code --warmup} seconds (not counted), then {@code --duration} seconds (counted: round trips completed in
 * that window), then stop by themselves. Prints round trips/s, latency percentiles, errors and the mean time
 * of each step. With {@code --once} it makes one round trip and prints the token response as JSON.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.AuthCodeLoad --base http://127.0.0.1:8080/
 *     --client-id ID --client-secret SECRET --redirect-uri https://app.example/callback
 *     --scope "openid profile email" [--audience API] [--prompt-consent]
 *     --users "bench-%d@bench.latchkey.dev" --user-count 8 --password P
 *     [--vus 4] [--warmup 15] [--duration 30] [--server-pid PID] [--once]
 * </pre>
 * With {@code --server-pid} it also tells the CPU time per round trip of the server, of itself and of
 * anything else over the measured window ({@link CpuAccount}).
 * Users {@code 0..user-count-1} must exist; virtual user {@code i} logs in as user {@code i % user-count}.
 */
public final class AuthCodeLoad {

    private AuthCodeLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        AuthorizationCodeBrowser.Target target = new AuthorizationCodeBrowser.Target(
                URI.create(withSlash(required(options, "base"))), required(options, "client-id"),
                required(options, "client-secret"), required(options, "redirect-uri"),
                options.getOrDefault("scope", "openid profile email"), options.get("audience"),
                options.containsKey("prompt-consent"));
        String users = required(options, "users");
        int userCount = Integer.parseInt(options.getOrDefault("user-count", "1"));
        String password = required(options, "password");

        if (options.containsKey("once")) {
            JsonNode token = new AuthorizationCodeBrowser(target).roundTrip(String.format(users, 0), password);
            System.out.println(token.toString());
            return;
        }

        int vus = Integer.parseInt(options.getOrDefault("vus", "4"));
        long warmupMs = Long.parseLong(options.getOrDefault("warmup", "15")) * 1000;
        long durationMs = Long.parseLong(options.getOrDefault("duration", "30")) * 1000;
        long serverPid = Long.parseLong(options.getOrDefault("server-pid", "0"));
        run(target, users, userCount, password, vus, warmupMs, durationMs, serverPid);
    }

    private static void run(AuthorizationCodeBrowser.Target target, String users, int userCount, String password,
                            int vus, long warmupMs, long durationMs, long serverPid) throws InterruptedException {
        long start = System.currentTimeMillis();
        long measureFrom = start + warmupMs;
        long measureUntil = measureFrom + durationMs;
        List<long[]> latencies = new ArrayList<>(); // per virtual user: completion latencies in the window
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<AuthorizationCodeBrowser> browsers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] stepNanos = new long[AuthorizationCodeBrowser.Step.values().length];
        long[] stepCounts = new long[stepNanos.length];

        for (int i = 0; i < vus; i++) {
            AuthorizationCodeBrowser browser = new AuthorizationCodeBrowser(target);
            browsers.add(browser);
            String email = String.format(users, i % userCount);
            long[][] mine = {new long[1024]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
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
                            if (count[0] == mine[0].length) {
                                mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                            }
                            mine[0][count[0]++] = System.nanoTime() - began;
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
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            }, "vu-" + i);
            threads.add(thread);
        }
        System.out.printf("# %d virtual users, warm-up %d s, measured %d s, scope \"%s\", audience %s, %s%n", vus,
                warmupMs / 1000, durationMs / 1000, target.scope(), target.audience() == null ? "(none)"
                        : target.audience(), target.promptConsent() ? "prompt=consent (consent page every time)"
                        : "no prompt");
        threads.forEach(Thread::start);
        CpuAccount.Snapshot[] cpu = new CpuAccount.Snapshot[2];
        if (serverPid > 0) {
            CpuAccount account = new CpuAccount(serverPid);
            sleepUntil(measureFrom);
            cpu[0] = account.take();
            sleepUntil(measureUntil);
            cpu[1] = account.take();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        browsers.forEach(b -> b.takeStepTimes(stepNanos, stepCounts));
        report(latencies, durationMs, errors, firstError.get(), stepNanos, stepCounts);
        long roundTrips = latencies.stream().mapToLong(l -> l.length).sum();
        String account = CpuAccount.describe(cpu[0], cpu[1], roundTrips);
        if (account != null) {
            System.out.println(account);
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
        StringBuilder steps = new StringBuilder("mean ms per step (measured window):");
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
        System.out.printf("roundtrips_per_s=%.1f errors=%d%n", perSecond, errorTotal);
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

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = name.equals("once") || name.equals("prompt-consent");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
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
