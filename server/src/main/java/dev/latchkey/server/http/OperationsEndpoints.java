package dev.latchkey.server.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}, {@code /health/ready} (the database answers) and {@code /metrics} (Prometheus).
 * With a metrics token configured, {@code /metrics} answers only {@code Authorization: Bearer <token>}
 * (Prometheus: {@code authorization: {credentials: ...}}); the health probes stay open for orchestrators.
 */
public final class OperationsEndpoints {

    private static final String BEARER = "Bearer ";

    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry metrics;
    /** SHA-256 of the metrics token, or null when /metrics is open. */
    private final byte[] metricsTokenHash;

    public OperationsEndpoints(BooleanSupplier ready, PrometheusMeterRegistry metrics, String metricsToken) {
        this.ready = ready;
        this.metrics = metrics;
        this.metricsTokenHash = metricsToken == null ? null : sha256(metricsToken.trim());
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
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    /** Compared as SHA-256 digests in constant time, so neither the content nor the length leaks. */
    private boolean presentsMetricsToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).trim()), metricsTokenHash);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
