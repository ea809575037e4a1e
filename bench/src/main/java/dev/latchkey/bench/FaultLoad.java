package dev.latchkey.bench;

import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.UrlJwkProvider;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mixed load of the fault scripts (bench/fault-*.sh, bench/soak.sh): virtual users that each run, in a
 * random order weighted by {@code --mix}, client-credentials grants, full authorization-code logins
 * ({@link AuthorizationCodeBrowser}), {@code /userinfo} calls with the opaque access token of their last login
 * without an audience, and rotating refresh-token grants chained from the refresh token of their last login
 * with the API's audience. Every answer is kept as a sample (start, latency, operation, status, whether a 503
 * said {@code Retry-After}; status 0 is an answer lost once the request was sent, -1 a refused connection);
 * a line a second tells the answers of that second.
 *
 * <p>With {@code --replay}, a code exchange or a refresh whose answer was lost (a 502 from the proxy, or a
 * broken connection) is sent once more, as a client that retries does: the server must either answer it (the
 * first never took effect) or refuse it as already used (RFC 6749 §4.1.2, §10.4), never both; the counts of
 * each outcome are printed. With {@code --final-check}, each virtual user redeems its last refresh token and
 * calls {@code /userinfo} with its last opaque token once the load has ended: every write the server
 * acknowledged must still be there. With {@code --out DIR}, every access and ID token received is written to
 * {@code DIR/jwt.txt} or {@code DIR/opaque.txt}, and the samples to {@code DIR/samples.csv}.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.FaultLoad --base URL --app-id ID --app-secret S
 *     --redirect-uri URI --users "bench-%d@bench.latchkey.dev" --user-count 4 --password P
 *     --m2m-id ID --m2m-secret S --audience API [--vus 8] [--seconds 60] [--rate 0 (ops/s, 0: as fast as answered)]
 *     [--mix client_credentials:40,userinfo:30,refresh:25,login:5] [--replay] [--final-check] [--out DIR]
 *     [--stop-file PATH (the load ends early once it exists)]
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.FaultLoad --verify DIR --base URL
 * </pre>
 * The second form verifies every recorded token: each JWT's RS256 signature against the issuer's JWKS and its
 * {@code iss}, and each opaque token at {@code /userinfo}.
 */
public final class FaultLoad {

    enum Op { CLIENT_CREDENTIALS, USERINFO, REFRESH, LOGIN }

    /** One answer: when it was asked (epoch ms), how long it took, what and with which status (0: no answer). */
    /** How long a virtual user waits after a 503 with Retry-After or a 429 (at most the server's Retry-After). */
    private static final long RETRY_PAUSE_MS = 1_000;

    private record Sample(long startMs, int micros, Op op, int status, boolean retryAfter) {
    }

    private record Answer(int status, String body, boolean retryAfter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 30_000;
    /** The status of a request whose connection was refused: it was never sent. 0 is an answer lost once sent. */
    private static final int REFUSED = -1;
    private static final long REFUSED_PAUSE_MS = 50;

    private final URI base;
    private final Map<String, String> options;
    private final AuthorizationCodeBrowser.Target opaqueLogin;
    private final AuthorizationCodeBrowser.Target refreshLogin;
    private final String clientCredentialsForm;
    private final Op[] wheel;
    private final boolean replay;
    private final long intervalNanos;
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());
    private final ConcurrentLinkedQueue<String> jwts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> opaques = new ConcurrentLinkedQueue<>();
    private final boolean keepTokens;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> thisSecond = new ConcurrentHashMap<>();
    private final AtomicLong loginFailures = new AtomicLong();
    private final Path stopFile;

    private FaultLoad(Map<String, String> options) {
        this.options = options;
        String url = AuthCodeLoad.required(options, "base");
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        String appId = AuthCodeLoad.required(options, "app-id");
        String appSecret = AuthCodeLoad.required(options, "app-secret");
        String redirect = AuthCodeLoad.required(options, "redirect-uri");
        String audience = AuthCodeLoad.required(options, "audience");
        this.opaqueLogin = new AuthorizationCodeBrowser.Target(base, appId, appSecret, redirect,
                "openid profile email", null, false);
        this.refreshLogin = new AuthorizationCodeBrowser.Target(base, appId, appSecret, redirect,
                "openid offline_access read:items", audience, false);
        this.clientCredentialsForm = "grant_type=client_credentials&client_id=" + encode(AuthCodeLoad.required(options, "m2m-id"))
                + "&client_secret=" + encode(AuthCodeLoad.required(options, "m2m-secret")) + "&audience=" + encode(audience);
        this.wheel = wheel(options.getOrDefault("mix", "client_credentials:40,userinfo:30,refresh:25,login:5"));
        this.replay = options.containsKey("replay");
        double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
        this.intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        this.keepTokens = options.containsKey("out");
        this.stopFile = options.containsKey("stop-file") ? Path.of(options.get("stop-file")) : null;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = AuthCodeLoad.options(args);
        if (options.containsKey("verify")) {
            System.exit(verify(Path.of(options.get("verify")), AuthCodeLoad.required(options, "base")) ? 0 : 1);
        }
        new FaultLoad(options).run();
    }

    private static Op[] wheel(String mix) {
        List<Op> ops = new ArrayList<>();
        for (String part : mix.split(",")) {
            String[] kv = part.split(":");
            Op op = Op.valueOf(kv[0].trim().toUpperCase(java.util.Locale.ROOT));
            for (int i = 0; i < Integer.parseInt(kv[1].trim()); i++) {
                ops.add(op);
            }
        }
        return ops.toArray(new Op[0]);
    }

    private void run() throws Exception {
        int vus = Integer.parseInt(options.getOrDefault("vus", "8"));
        long seconds = Long.parseLong(options.getOrDefault("seconds", "60"));
        long started = System.currentTimeMillis();
        long end = started + seconds * 1000;
        List<List<Sample>> perUser = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<VirtualUser> users = new ArrayList<>();
        for (int i = 0; i < vus; i++) {
            List<Sample> samples = new ArrayList<>();
            perUser.add(samples);
            VirtualUser user = new VirtualUser(i, samples);
            users.add(user);
            Thread thread = new Thread(() -> user.run(end), "vu-" + i);
            threads.add(thread);
            thread.start();
        }
        Thread reporter = new Thread(() -> report(started, end), "reporter");
        reporter.setDaemon(true);
        reporter.start();
        for (Thread thread : threads) {
            thread.join();
        }
        List<Sample> all = new ArrayList<>();
        perUser.forEach(all::addAll);
        summarise(all);
        if (options.containsKey("final-check")) {
            for (VirtualUser user : users) {
                user.finalCheck();
            }
        }
        new TreeMap<>(counters).forEach((name, count) -> System.out.println("count " + name + " " + count.sum()));
        if (keepTokens) {
            Path out = Path.of(options.get("out"));
            Files.createDirectories(out);
            Files.write(out.resolve("jwt.txt"), jwts);
            Files.write(out.resolve("opaque.txt"), opaques);
            try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("samples.csv")))) {
                csv.println("start_ms,micros,op,status,retry_after");
                for (Sample s : all) {
                    csv.println(s.startMs() + "," + s.micros() + "," + s.op() + "," + s.status() + "," + (s.retryAfter() ? 1 : 0));
                }
            }
        }
    }

    private void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** One line a second: the answers of that second by status. */
    private void report(long started, long end) {
        long second = 1;
        while (System.currentTimeMillis() < end + 1000) {
            long wake = started + second * 1000;
            try {
                Thread.sleep(Math.max(0, wake - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                return;
            }
            Map<Integer, Long> snapshot = new TreeMap<>();
            thisSecond.forEach((status, adder) -> {
                long n = adder.sumThenReset();
                if (n > 0) {
                    snapshot.put(status, n);
                }
            });
            System.out.println("second " + second + " " + snapshot);
            second++;
        }
    }

    private static void summarise(List<Sample> all) {
        Map<Op, List<Sample>> byOp = new EnumMap<>(Op.class);
        for (Sample s : all) {
            byOp.computeIfAbsent(s.op(), k -> new ArrayList<>()).add(s);
        }
        byOp.forEach((op, samples) -> System.out.println("summary " + op + " " + describe(samples)));
        System.out.println("summary ALL " + describe(all));
    }

    private static String describe(List<Sample> samples) {
        long[] micros = samples.stream().mapToLong(Sample::micros).sorted().toArray();
        Map<Integer, Long> statuses = new TreeMap<>();
        long errors = 0;
        for (Sample s : samples) {
            statuses.merge(s.status(), 1L, Long::sum);
            if (s.status() != 200) {
                errors++;
            }
        }
        return String.format("requests %d errors %d statuses %s p50 %.2f ms p99 %.2f ms max %.2f ms", samples.size(), errors,
                statuses, percentile(micros, 0.50), percentile(micros, 0.99), micros.length == 0 ? 0.0 : micros[micros.length - 1] / 1000.0);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    private final class VirtualUser {
        private final int index;
        private final List<Sample> samples;
        private String opaque;
        private String refresh;
        private int logins;

        VirtualUser(int index, List<Sample> samples) {
            this.index = index;
            this.samples = samples;
        }

        void run(long end) {
            while (System.currentTimeMillis() < end && (stopFile == null || !Files.exists(stopFile))) {
                pace();
                Op op = wheel[ThreadLocalRandom.current().nextInt(wheel.length)];
                if ((op == Op.USERINFO && opaque == null) || (op == Op.REFRESH && refresh == null)) {
                    op = Op.LOGIN;
                }
                long startMs = System.currentTimeMillis();
                long t0 = System.nanoTime();
                Answer answer = switch (op) {
                    case CLIENT_CREDENTIALS -> clientCredentials();
                    case USERINFO -> send("userinfo", null, opaque);
                    case REFRESH -> refresh();
                    case LOGIN -> login();
                };
                int micros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1000);
                samples.add(new Sample(startMs, micros, op, answer.status(), answer.retryAfter()));
                thisSecond.computeIfAbsent(answer.status(), k -> new LongAdder()).increment();
                if (answer.status() == REFUSED) {
                    // Nothing listens (a node stopped): wait a little rather than spin on refusals.
                    pause(REFUSED_PAUSE_MS);
                } else if (answer.retryAfter() || answer.status() == 429) {
                    // A client told to come back later does (RFC 9110 §10.2.3), rather than spin on instant
                    // 503s into the rate limit; the wait is capped so the outage stays densely sampled.
                    pause(RETRY_PAUSE_MS);
                }
            }
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** With --rate, waits for the next of the evenly spaced slots shared by all virtual users. */
        private void pace() {
            if (intervalNanos == 0) {
                return;
            }
            long slot = nextSlot.getAndAdd(intervalNanos);
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private Answer clientCredentials() {
            Answer answer = send("oauth/token", clientCredentialsForm, null);
            if (answer.status() == 200) {
                keep(answer.body(), "access_token", true);
            }
            return answer;
        }

        private Answer refresh() {
            String form = "grant_type=refresh_token&client_id=" + encode(refreshLogin.clientId()) + "&client_secret="
                    + encode(refreshLogin.clientSecret()) + "&refresh_token=";
            Answer answer = send("oauth/token", form + encode(refresh), null);
            if (answer.status() == 200) {
                refresh = keep(answer.body(), "refresh_token", false);
                keep(answer.body(), "access_token", true);
            } else if (replay && lost(answer.status())) {
                Answer again = send("oauth/token", form + encode(refresh), null);
                count("refresh_replay_" + again.status());
                refresh = again.status() == 200 ? keep(again.body(), "refresh_token", false) : null;
                if (again.status() == 200) {
                    keep(again.body(), "access_token", true);
                }
            } else if (answer.status() == 400 || answer.status() == 403) {
                // Auth0 refuses a refresh token with 403 invalid_grant: this chain has ended.
                count("refresh_refused");
                refresh = null;
            }
            return answer;
        }

        private Answer login() {
            boolean forRefresh = refresh == null || (opaque != null && logins % 2 == 1);
            logins++;
            AuthorizationCodeBrowser browser = new AuthorizationCodeBrowser(forRefresh ? refreshLogin : opaqueLogin);
            String email = String.format(AuthCodeLoad.required(options, "users"),
                    (index + logins) % Integer.parseInt(options.getOrDefault("user-count", "1")));
            try {
                JsonNode tokens = browser.roundTrip(email, AuthCodeLoad.required(options, "password"));
                took(tokens.toString(), forRefresh);
                return new Answer(200, "", false);
            } catch (AuthorizationCodeBrowser.FlowFailure failure) {
                if (loginFailures.incrementAndGet() <= 3) {
                    System.err.println("login failed: " + failure.getMessage());
                }
                if (replay && failure.step == AuthorizationCodeBrowser.Step.TOKEN && lost(failure.status)) {
                    try {
                        Map.Entry<Integer, String> again = browser.replayExchange();
                        count("code_replay_" + again.getKey());
                        if (again.getKey() == 200) {
                            took(again.getValue(), forRefresh);
                        }
                    } catch (IOException e) {
                        count("code_replay_0");
                    }
                }
                return new Answer(failure.status, "", false);
            } catch (ConnectException e) {
                return new Answer(REFUSED, "", false);
            } catch (IOException e) {
                return new Answer(0, "", false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, "", false);
            }
        }

        private void took(String tokenResponse, boolean forRefresh) {
            keep(tokenResponse, "id_token", true);
            String access = keep(tokenResponse, "access_token", forRefresh);
            if (forRefresh) {
                refresh = keep(tokenResponse, "refresh_token", false);
            } else {
                opaque = access;
                if (keepTokens && access != null) {
                    opaques.add(access);
                }
            }
        }

        /** After the load: the last refresh token still redeems and the last opaque token still works. */
        void finalCheck() {
            if (refresh != null) {
                count("final_refresh_" + refresh().status());
            }
            if (opaque != null) {
                count("final_userinfo_" + send("userinfo", null, opaque).status());
            }
        }
    }

    /** A 502 from the proxy or a broken connection: the request may or may not have taken effect. */
    private static boolean lost(int status) {
        return status == 502 || status == 0;
    }

    /** The field of a token response; a JWT is kept for the verification when {@code jwt}. */
    private String keep(String body, String field, boolean jwt) {
        try {
            JsonNode value = JSON.readTree(body).get(field);
            if (value == null || !value.isTextual()) {
                return null;
            }
            if (jwt && keepTokens && value.asText().chars().filter(c -> c == '.').count() == 2) {
                jwts.add(value.asText());
            }
            return value.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** POST {@code form} to {@code path}, or GET it when the form is null, with a bearer token when given. */
    private Answer send(String path, String form, String bearer) {
        try {
            HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(TIMEOUT_MS);
            connection.setReadTimeout(TIMEOUT_MS);
            if (bearer != null) {
                connection.setRequestProperty("Authorization", "Bearer " + bearer);
            }
            if (form != null) {
                byte[] body = form.getBytes(StandardCharsets.UTF_8);
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            String text;
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(status, text, status == 503 && connection.getHeaderField("Retry-After") != null);
        } catch (ConnectException e) {
            return new Answer(REFUSED, "", false);
        } catch (IOException e) {
            return new Answer(0, "", false);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Verifies the recorded tokens of {@code dir}; prints the counts and returns whether all passed. */
    private static boolean verify(Path dir, String url) throws Exception {
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        String issuer = JSON.readTree(base.resolve(".well-known/openid-configuration").toURL()).get("issuer").asText();
        JwkProvider keys = new UrlJwkProvider(base.resolve(".well-known/jwks.json").toURL());
        Map<String, RSAPublicKey> byKid = new ConcurrentHashMap<>();
        long jwtOk = 0;
        long jwtBad = 0;
        for (String token : Files.readAllLines(dir.resolve("jwt.txt"))) {
            try {
                DecodedJWT decoded = JWT.decode(token);
                RSAPublicKey key = byKid.get(decoded.getKeyId());
                if (key == null) {
                    key = (RSAPublicKey) keys.get(decoded.getKeyId()).getPublicKey();
                    byKid.put(decoded.getKeyId(), key);
                }
                JWT.require(Algorithm.RSA256(key, null)).withIssuer(issuer).build().verify(decoded);
                jwtOk++;
            } catch (Exception e) {
                jwtBad++;
                if (jwtBad <= 3) {
                    System.out.println("verify: a JWT failed: " + e.getMessage());
                }
            }
        }
        FaultLoad client = new FaultLoad(Map.of("base", url, "app-id", "-", "app-secret", "-", "redirect-uri", "-",
                "audience", "-", "m2m-id", "-", "m2m-secret", "-"));
        long opaqueOk = 0;
        long opaqueBad = 0;
        for (String token : Files.readAllLines(dir.resolve("opaque.txt"))) {
            Answer answer = client.send("userinfo", null, token);
            if (answer.status() == 200) {
                opaqueOk++;
            } else {
                opaqueBad++;
                if (opaqueBad <= 3) {
                    System.out.println("verify: an opaque token at /userinfo: " + answer.status() + " " + answer.body());
                }
            }
        }
        System.out.printf("verify: JWTs %d verified, %d failed; opaque tokens %d answered at /userinfo, %d refused%n",
                jwtOk, jwtBad, opaqueOk, opaqueBad);
        return jwtBad == 0 && opaqueBad == 0;
    }
}
