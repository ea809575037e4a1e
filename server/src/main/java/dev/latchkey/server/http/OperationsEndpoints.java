package dev.latchkey.server.http;

import dev.latchkey.server.keys.SecretHash;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}, {@code /health/ready} (the database answers) and {@code /metrics} (Prometheus).
 * With a metrics token configured, {@code /metrics} answers only {@code Authorization: Bearer <token>}
 * (Prometheus: {@code authorization: {credentials: ...}}); without one, only callers on this machine that
 * no proxy forwarded: the meters tell login and token volumes to anyone (OWASP ASVS 14.3.3). The health
 * probes stay open for orchestrators.
 */
public final class OperationsEndpoints {

    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry metrics;
    /** SHA-256 of the metrics token ({@link SecretHash}), or null when /metrics is open. */
    private final String metricsTokenHash;

    public OperationsEndpoints(BooleanSupplier ready, PrometheusMeterRegistry metrics, String metricsToken) {
        this.ready = ready;
        this.metrics = metrics;
        this.metricsTokenHash = metricsToken == null ? null : SecretHash.of(metricsToken.trim());
    }

    public void live(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, Json.object().put("status", "up"));
    }

    public void ready(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        boolean up = ready.getAsBoolean();
        Json.write(ctx, up ? 200 : 503, Json.object().put("status", up ? "up" : "down"));
    }

    public void metrics(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (metricsTokenHash != null && !presentsMetricsToken(ctx.header("Authorization"))) {
            // RFC 6750 §3: a missing or wrong bearer credential is a 401 with a challenge.
            ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\", error=\"invalid_token\"");
            Json.write(ctx, 401, Json.object().put("error", "invalid_token").put("error_description",
                    "/metrics needs Authorization: Bearer <the LATCHKEY_METRICS_TOKEN of this server>"));
            return;
        }
        if (metricsTokenHash == null && !localCaller(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"),
                ctx.header("Forwarded"))) {
            Json.write(ctx, 403, Json.object().put("error", "access_denied").put("error_description",
                    "/metrics answers callers on this machine only, unless LATCHKEY_METRICS_TOKEN is set"));
            return;
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    /** Compared as SHA-256 digests in constant time ({@link SecretHash}): neither content nor length leaks. */
    private boolean presentsMetricsToken(String authorization) {
        return BearerToken.of(authorization).map(token -> SecretHash.matches(token, metricsTokenHash)).orElse(false);
    }

    /**
     * A loopback peer that forwards nobody: a proxy on this machine passing requests on from elsewhere adds
     * a forwarding header, and those requests are not local.
     */
    static boolean localCaller(String peer, String forwardedFor, String forwarded) {
        // An address literal only: a name would be looked up, and an empty one means this machine.
        return peer != null && AddressRanges.literal(peer) != null && forwardedFor == null && forwarded == null
                && HttpServer.isLoopback(peer);
    }
}
