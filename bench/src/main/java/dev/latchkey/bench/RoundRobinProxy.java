package dev.latchkey.bench;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 load balancer for the fault scripts: each request goes to the next of the backends in
 * turn, over a connection of its own (no keep-alive towards the backends, so that a connection left over
 * from a killed process can never fail a request that was not in flight on it). A backend that refuses the
 * connection is down: the request goes to the next one, nothing was sent, and it is not an error. A failure
 * once the connection is open (reset, end of stream before the answer) is an error: the proxy answers 502,
 * counts it and logs one line {@code proxy-error <epoch ms> <backend port> <method> <path> <cause>} on stderr.
 * {@code GET /__proxy/stats} answers the counters as JSON: requests, errors, and the requests in flight on
 * each backend right now.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.RoundRobinProxy --port 8080 --backends 8081,8082
 * </pre>
 */
public final class RoundRobinProxy {

    private static final int TIMEOUT_MS = 30_000;
    /** Hop-by-hop and framing headers the proxy sets itself (RFC 9110 §7.6.1). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "te", "trailer", "upgrade", "proxy-connection");

    private final int[] backends;
    private final AtomicInteger[] inFlight;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private RoundRobinProxy(int[] backends) {
        this.backends = backends;
        this.inFlight = new AtomicInteger[backends.length];
        for (int i = 0; i < backends.length; i++) {
            inFlight[i] = new AtomicInteger();
        }
    }

    public static void main(String[] args) throws IOException {
        // HttpURLConnection would otherwise send a POST a second time on its own after some failures.
        System.setProperty("sun.net.http.retryPost", "false");
        System.setProperty("http.keepAlive", "false");
        // The backends must see the Host the client asked for, as behind any reverse proxy.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
        Map<String, String> options = AuthCodeLoad.options(args);
        int port = Integer.parseInt(AuthCodeLoad.required(options, "port"));
        String[] list = AuthCodeLoad.required(options, "backends").split(",");
        int[] backends = new int[list.length];
        for (int i = 0; i < list.length; i++) {
            backends[i] = Integer.parseInt(list[i].trim());
        }
        RoundRobinProxy proxy = new RoundRobinProxy(backends);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", proxy::handle);
        server.start();
        System.out.println("proxy listening on " + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/__proxy/stats")) {
                stats(exchange);
                return;
            }
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int start = Math.floorMod(next.getAndIncrement(), backends.length);
            for (int attempt = 0; attempt < backends.length; attempt++) {
                int index = (start + attempt) % backends.length;
                inFlight[index].incrementAndGet();
                try {
                    forward(exchange, backends[index], body);
                    return;
                } catch (ConnectException e) {
                    refused.incrementAndGet();
                } catch (IOException e) {
                    errors.incrementAndGet();
                    System.err.printf("proxy-error %d %d %s %s %s%n", System.currentTimeMillis(), backends[index],
                            exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    answer(exchange, 502, "{\"error\":\"bad_gateway\"}");
                    return;
                } finally {
                    inFlight[index].decrementAndGet();
                }
            }
            answer(exchange, 503, "{\"error\":\"no_backend\"}");
        }
    }

    private void forward(HttpExchange exchange, int backend, byte[] body) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + backend + exchange.getRequestURI().toString());
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(TIMEOUT_MS);
        connection.setReadTimeout(TIMEOUT_MS);
        connection.setRequestMethod(exchange.getRequestMethod());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
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
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && !NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
    }

    private void stats(HttpExchange exchange) throws IOException {
        StringBuilder json = new StringBuilder("{\"requests\":").append(requests.get())
                .append(",\"errors\":").append(errors.get())
                .append(",\"refused_connections\":").append(refused.get()).append(",\"in_flight\":{");
        for (int i = 0; i < backends.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(backends[i]).append("\":").append(inFlight[i].get());
        }
        answer(exchange, 200, json.append("}}").toString());
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
