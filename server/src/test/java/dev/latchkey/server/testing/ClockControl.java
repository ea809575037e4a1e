package dev.latchkey.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Lets a peer running outside the JVM (a Node script, a page in Chromium) move a test server's
 * {@link MovableClock} at the point of its flow where time must pass: {@code POST
 * <url>?seconds=N} advances the clock by N seconds and answers 204. It listens on loopback only.
 */
public final class ClockControl implements AutoCloseable {

    public static final String PATH = "/clock/advance";

    private final HttpServer server;

    private ClockControl(HttpServer server) {
        this.server = server;
    }

    /** Serves the control on its own loopback port. */
    public static ClockControl serve(MovableClock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            mount(server, clock);
            server.start();
            return new ClockControl(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the control to a server the test already runs (a page's own origin: no CORS needed). */
    public static void mount(HttpServer server, MovableClock clock) {
        server.createContext(PATH, exchange -> advance(exchange, clock));
    }

    /** The URL to POST to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private static void advance(HttpExchange exchange, MovableClock clock) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        if (!"POST".equals(exchange.getRequestMethod()) || query == null || !query.matches("seconds=\\d{1,9}")) {
            exchange.sendResponseHeaders(400, -1);
        } else {
            clock.advance(Duration.ofSeconds(Long.parseLong(query.substring("seconds=".length()))));
            exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
