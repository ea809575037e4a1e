package dev.latchkey.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 load balancer for the fault scripts: each request goes to the next of the backends in
 * turn, over a connection of its own (no keep-alive towards the backends, so that a connection left over
 * from a killed process can never fail a request that was not in flight on it). A backend that refuses the
 * connection is down: the request goes to the next one, nothing was sent, and it is not an error. A failure
 * once the connection is open (reset, end of stream before the answer) is an error: the proxy answers 502,
 * counts it and logs one line {@code proxy-error <epoch ms> <backend port> <request id> <at-kill|outside-kill>
 * <method> <path> <cause>} on stderr. No request is ever sent twice.
 *
 * <p>{@code POST /__proxy/kill?port=P&pid=N} kills the node on backend port P, process N, as a load balancer
 * sees a crash: in one step ({@link Backend#kill}) the node leaves the rotation, the ids of the requests in
 * flight on it are taken and SIGKILL is sent; once the process has exited (its listening socket closed, so
 * that its refused connections go to the next node as above) the node is back in the rotation; once every
 * request of the snapshot has ended the answer tells the snapshot and how each ended (failed: 502; answered:
 * the node's answer was whole before it died; refused: it had not connected yet and went to the next node).
 * {@code GET /__proxy/stats} answers the counters as JSON: requests, errors (at a kill or outside any), the
 * ids of the errors outside any kill, refused connections, kills, and the requests in flight on each backend.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.RoundRobinProxy --port 8080 --backends 8081,8082
 * </pre>
 */
public final class RoundRobinProxy {

    private static final int TIMEOUT_MS = 30_000;
    /** Hop-by-hop and framing headers the proxy sets itself (RFC 9110 §7.6.1). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "te", "trailer", "upgrade", "proxy-connection");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A backend's whole answer, read before anything is sent to the client. */
    private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private final List<Backend> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicLong errorsAtKills = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> errorsOutsideKills = new ConcurrentLinkedQueue<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong kills = new AtomicLong();

    private RoundRobinProxy(List<Backend> backends) {
        this.backends = backends;
    }

    public static void main(String[] args) throws IOException {
        // HttpURLConnection would otherwise send a POST a second time on its own after some failures.
        System.setProperty("sun.net.http.retryPost", "false");
        System.setProperty("http.keepAlive", "false");
        // The backends must see the Host the client asked for, as behind any reverse proxy.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
        Map<String, String> options = AuthCodeLoad.options(args);
        int port = Integer.parseInt(AuthCodeLoad.required(options, "port"));
        List<Backend> backends = Arrays.stream(AuthCodeLoad.required(options, "backends").split(","))
                .map(backend -> new Backend(Integer.parseInt(backend.trim()))).toList();
        RoundRobinProxy proxy = new RoundRobinProxy(backends);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", proxy::handle);
        server.start();
        System.out.println("proxy listening on " + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestURI().getPath()) {
                case "/__proxy/stats" -> stats(exchange);
                case "/__proxy/kill" -> kill(exchange);
                default -> proxy(exchange);
            }
        }
    }

    private void proxy(HttpExchange exchange) throws IOException {
        long id = requestIds.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        int start = Math.floorMod(next.getAndIncrement(), backends.size());
        for (int attempt = 0; attempt < backends.size(); attempt++) {
            Backend backend = backends.get((start + attempt) % backends.size());
            if (!backend.enter(id)) {
                continue;
            }
            Answer answer;
            try {
                answer = fetch(exchange, backend.port, body);
            } catch (ConnectException e) {
                backend.leave(id, Backend.Outcome.REFUSED);
                refused.incrementAndGet();
                continue;
            } catch (IOException e) {
                boolean atKill = backend.leave(id, Backend.Outcome.FAILED);
                if (atKill) {
                    errorsAtKills.incrementAndGet();
                } else {
                    errorsOutsideKills.add(id);
                }
                System.err.printf("proxy-error %d %d %d %s %s %s %s%n", System.currentTimeMillis(), backend.port, id,
                        atKill ? "at-kill" : "outside-kill", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), e);
                answer(exchange, 502, "{\"error\":\"bad_gateway\"}");
                return;
            }
            backend.leave(id, Backend.Outcome.ANSWERED);
            relay(exchange, answer);
            return;
        }
        answer(exchange, 503, "{\"error\":\"no_backend\"}");
    }

    private static Answer fetch(HttpExchange exchange, int backend, byte[] body) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + backend + exchange.getRequestURI().toString());
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(TIMEOUT_MS);
        connection.setReadTimeout(TIMEOUT_MS);
        connection.setRequestMethod(exchange.getRequestMethod());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                connection.setRequestProperty(name, String.join(", ", values));
            }
        });
        if (body.length > 0) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
        }
        // Connecting apart: a refused connection (ConnectException) is told from a failure once sent.
        connection.connect();
        if (body.length > 0) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        byte[] answer;
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            answer = in == null ? new byte[0] : in.readAllBytes();
        }
        Map<String, List<String>> headers = new HashMap<>();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, List.copyOf(values));
            }
        });
        return new Answer(status, headers, answer);
    }

    private static void relay(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().putAll(answer.headers());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            exchange.getResponseBody().write(answer.body());
        }
    }

    /** {@code POST /__proxy/kill?port=P&pid=N}: see the class doc. */
    private void kill(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, "{\"error\":\"method_not_allowed\"}");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Optional<Backend> backend = backends.stream()
                .filter(candidate -> Integer.toString(candidate.port).equals(query.get("port"))).findFirst();
        Optional<ProcessHandle> process = Optional.ofNullable(query.get("pid")).filter(pid -> pid.matches("[0-9]{1,18}"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(handle -> !handle.equals(ProcessHandle.current()));
        if (backend.isEmpty() || process.isEmpty()) {
            answer(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":"
                    + "\"port must be one of the backends and pid a running process other than the proxy\"}");
            return;
        }
        long signalled = System.nanoTime();
        NodeKill kill = backend.get().kill(process.get());
        boolean exited;
        boolean settled;
        try {
            exited = kill.awaitExit(TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for process " + kill.process.pid(), e);
        } finally {
            backend.get().putBackInRotation();
        }
        double outOfRotationMs = (System.nanoTime() - signalled) / 1e6;
        try {
            settled = kill.awaitSettled(2L * TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the requests in flight", e);
        }
        kills.incrementAndGet();
        ObjectNode report = JSON.createObjectNode()
                .put("port", kill.port)
                .put("pid", kill.process.pid())
                .put("exited", exited)
                .put("out_of_rotation_ms", Math.round(outOfRotationMs * 10) / 10.0)
                .put("settled", settled);
        report.putPOJO("in_flight", kill.inFlight.stream().sorted().toList());
        report.putPOJO("failed", kill.ended(Backend.Outcome.FAILED));
        report.putPOJO("answered", kill.ended(Backend.Outcome.ANSWERED));
        report.putPOJO("refused", kill.ended(Backend.Outcome.REFUSED));
        report.putPOJO("still_in_flight", kill.stillInFlight());
        answer(exchange, 200, JSON.writeValueAsString(report));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return query;
    }

    private void stats(HttpExchange exchange) throws IOException {
        List<Long> outside = List.copyOf(errorsOutsideKills);
        ObjectNode stats = JSON.createObjectNode()
                .put("requests", requestIds.get())
                .put("errors", errorsAtKills.get() + outside.size())
                .put("errors_at_kills", errorsAtKills.get())
                .put("errors_outside_kills", outside.size())
                .put("refused_connections", refused.get())
                .put("kills", kills.get());
        stats.putPOJO("error_ids_outside_kills", outside);
        ObjectNode inFlight = stats.putObject("in_flight");
        backends.forEach(backend -> inFlight.put(Integer.toString(backend.port), backend.inFlightCount()));
        answer(exchange, 200, JSON.writeValueAsString(stats));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
