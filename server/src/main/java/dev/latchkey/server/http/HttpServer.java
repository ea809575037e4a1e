package dev.latchkey.server.http;

import dev.latchkey.server.config.Settings;
import dev.latchkey.server.management.ManagementApi;
import dev.latchkey.server.management.ManagementErrorResponse;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.management.ManagementException;
import dev.latchkey.server.oauth.OAuthErrorResponse;
import dev.latchkey.server.oauth.OAuthException;
import dev.latchkey.server.ratelimit.RateLimitedException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Javalin/Jetty server: plain HTTP or HTTPS from PEM files, a small thread pool, security
 * headers on every response, and one place that turns errors into protocol-shaped JSON (OAuth
 * errors on the OAuth endpoints, Auth0's Management API errors under {@code /api/v2}); never a
 * stack trace.
 */
public final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Handlers are CPU-bound (signatures, hashes): a few threads mean fewer hand-offs and wake-ups. */
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;
    private static final int RESPONSE_COPY_BUFFER = 4096;
    /**
     * How long a stop waits for requests in flight. A stop must end within 10 s (what an orchestrator
     * usually grants between SIGTERM and SIGKILL); this leaves room to close the audit log and the pool.
     */
    static final long DRAIN_MILLIS = 7_000;
    /**
     * Once a stop begins Jetty cuts any connection silent for this long, 1 s by default: too short for a
     * client still uploading the body of a request already in flight (a user creation) on a slow link.
     */
    static final long SHUTDOWN_IDLE_MILLIS = 5_000;

    private final Javalin app;

    private HttpServer(Javalin app) {
        this.app = app;
    }

    public static HttpServer start(Settings settings, RequestOrigin origin, Consumer<RoutesConfig> routes) {
        KeyStore tlsKeys = settings.tls() ? PemKeyMaterial.load(settings.tlsCertFile(), settings.tlsKeyFile()) : null;
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.generateEtags = false;
            // Responses are small JSON; Javalin's per-response compression check cost 4-9% of worker CPU.
            config.http.compressionStrategy = uncompressed();
            // Javalin copies every answer into Jetty through a buffer of this size, allocated per response (by
            // default Jetty's 32 KiB output buffer size: most of the server's allocation). Answers are mostly under
            // 4 KiB; longer ones are copied in pieces into Jetty's own (pooled) buffer.
            config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            pool.setName("latchkey-http");
            config.jetty.threadPool = pool;
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // Graceful stop: Jetty closes the listening sockets, then waits for the requests the
                // GracefulHandler counts (Javalin nests its own handler inside this wrapper) before it
                // closes connections, so a SIGTERM no longer resets a user creation half-way.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(DRAIN_MILLIS);
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            for (String host : listenAddresses(settings.bind())) {
                config.jetty.addConnector((server, http) -> tlsKeys != null
                        ? httpsConnector(server, http, tlsKeys, settings.port(), host)
                        : plainConnector(server, http, settings.port(), host));
            }
            config.routes.before(ctx -> securityHeaders(ctx, origin));
            routes.accept(config.routes);
            config.routes.exception(RateLimitedException.class, HttpServer::tooManyRequests);
            config.routes.exception(OAuthException.class, (e, ctx) -> OAuthErrorResponse.write(ctx, e));
            config.routes.exception(ManagementException.class, (e, ctx) -> ManagementErrorResponse.write(ctx, e));
            config.routes.exception(HttpResponseException.class, HttpServer::httpError);
            config.routes.exception(Exception.class, HttpServer::unexpected);
        });
        app.start();
        return new HttpServer(app);
    }

    /**
     * No compression, decided without looking at the answer. Javalin's {@link CompressionStrategy#NONE} still tests
     * every answer's content type against its excluded MIME types (ten case-insensitive substring searches,
     * each at every offset) before it finds no compressor to use: 8% of the worker CPU of a {@code /health/live}.
     */
    private static CompressionStrategy uncompressed() {
        CompressionStrategy none = new CompressionStrategy(null, null, null);
        none.setExcludedMimeTypes(List.of());
        none.setDefaultMinSizeForCompression(Integer.MAX_VALUE);
        return none;
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops: no new connections, requests in flight finish for up to the drain time. Jetty then stops
     * anyway and reports the requests it had to cut as a timeout, which is logged, not thrown: the
     * caller goes on closing the rest.
     */
    public void stop() {
        try {
            app.stop();
        } catch (RuntimeException e) {
            if (!causedByTimeout(e)) {
                throw e;
            }
            LOG.warn("Requests still in flight after {} ms were cut at stop", DRAIN_MILLIS);
        }
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code bind} accepts connections from this machine only. */
    public static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The default loopback bind listens on both 127.0.0.1 and [::1]: the issuer says
     * {@code localhost}, which clients may resolve to either.
     */
    static List<String> listenAddresses(String bind) {
        boolean loopback = bind.equals(Settings.DEFAULT_BIND) || bind.equals("localhost");
        if (loopback && ipv6LoopbackAvailable()) {
            return List.of("127.0.0.1", "::1");
        }
        return List.of(loopback ? "127.0.0.1" : bind);
    }

    private static boolean ipv6LoopbackAvailable() {
        try {
            NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
            return lo != null && lo.isUp();
        } catch (IOException e) {
            return false;
        }
    }

    private static ServerConnector plainConnector(org.eclipse.jetty.server.Server server, HttpConfiguration http,
                                                  int port, String host) {
        ServerConnector connector = new DrainingConnector(server, new HttpConnectionFactory(http));
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration http,
                                                  KeyStore keys, int port, String host) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keys);
        ssl.setKeyStorePassword(new String(PemKeyMaterial.PASSWORD));
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        // The issuer's host may differ from the certificate's SNI name in development.
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        ServerConnector connector = new DrainingConnector(server,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static void securityHeaders(Context ctx, RequestOrigin origin) {
        SecurityHeaders.EVERY_RESPONSE.forEach(ctx::header);
        if (origin.secure(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    private static boolean management(Context ctx) {
        return ctx.path().startsWith(ManagementApi.PREFIX + "/") || ctx.path().equals(ManagementApi.PREFIX);
    }

    /** Javalin's own answers (no route, wrong method, body too large) in the endpoint's error shape. */
    private static void httpError(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        String message = switch (status) {
            case 404 -> "No such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> "Method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "The request body is too large";
            default -> e.getMessage();
        };
        if (management(ctx)) {
            ManagementErrorResponse.write(ctx, new ManagementException(status, message,
                    status == 404 ? "not_found" : "invalid_request"));
        } else {
            String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed" : "invalid_request";
            OAuthErrorResponse.write(ctx, new OAuthException(code, message, status, null));
        }
    }

    /**
     * A spent bucket: 429 (RFC 6585 §4) with the bucket's headers and {@code Retry-After}, in Auth0's shape for the
     * API called: {@code too_many_requests} as the OAuth error, or as the Management API's {@code errorCode}.
     */
    private static void tooManyRequests(RateLimitedException e, Context ctx) {
        RateLimitHeaders.write(ctx, e.quota());
        if (management(ctx)) {
            ManagementErrorResponse.write(ctx, new ManagementException(429, e.getMessage(), "too_many_requests"));
        } else {
            OAuthErrorResponse.write(ctx, new OAuthException("too_many_requests", e.getMessage(), 429, null));
        }
    }

    /**
     * Anything not mapped above. Text the database cannot store (PostgreSQL refuses NUL with SQLState
     * 22021) is the caller's error, a 400. Everything else is logged in one line with an id that the
     * answer repeats, so a flood of bad requests cannot fill the log with stack traces; the stack goes
     * to the debug level.
     */
    private static void unexpected(Exception e, Context ctx) {
        if (DatabaseUnavailable.causedBy(e)) {
            databaseUnavailable(e, ctx);
            return;
        }
        if (unstorableText(e)) {
            String message = "The request holds characters that cannot be stored (such as NUL)";
            if (management(ctx)) {
                ManagementErrorResponse.write(ctx, ManagementException.badRequest(message));
            } else {
                OAuthErrorResponse.write(ctx, OAuthException.invalidRequest(message));
            }
            return;
        }
        String id = RandomStrings.alphanumeric(12);
        LOG.error("Unexpected error {} on {} {}: {}", id, ctx.method(), ctx.path(), rootCause(e));
        LOG.debug("Unexpected error {}", id, e);
        String message = "The server hit an unexpected error; it has been logged as " + id;
        if (management(ctx)) {
            ManagementErrorResponse.write(ctx, new ManagementException(500, message, "internal_error"));
        } else {
            OAuthErrorResponse.write(ctx, new OAuthException("server_error", message, 500, null));
        }
    }

    /**
     * The database cannot be reached: a 503 with {@code Retry-After} (RFC 9110 §10.2.3), in one log line
     * without a stack, since an outage would otherwise log one per request. RFC 6749 §5.2 has no error code
     * for this; {@code temporarily_unavailable} is the one RFC 6749 §4.1.2.1 defines for the same condition
     * at the authorization endpoint, and Auth0's error table answers it with 503, in the OAuth shape on its
     * OAuth endpoints and in its Management API shape under {@code /api/v2}.
     */
    private static void databaseUnavailable(Exception e, Context ctx) {
        LOG.warn("Database unavailable on {} {}: {}", ctx.method(), ctx.path(), rootCause(e));
        String message = "The service is temporarily unavailable; retry in a few seconds";
        ctx.header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS);
        if (management(ctx)) {
            ManagementErrorResponse.write(ctx, new ManagementException(503, message, "temporarily_unavailable"));
        } else {
            OAuthErrorResponse.write(ctx, new OAuthException("temporarily_unavailable", message, 503, null));
        }
    }

    /** SQLState 22021 (character not in repertoire) anywhere in the causes. */
    static boolean unstorableText(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "22021".equals(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
