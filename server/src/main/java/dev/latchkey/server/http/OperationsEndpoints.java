package dev.latchkey.server.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.BooleanSupplier;

/** {@code /health/live}, {@code /health/ready} (the database answers) and {@code /metrics} (Prometheus). */
public final class OperationsEndpoints {

    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry metrics;

    public OperationsEndpoints(BooleanSupplier ready, PrometheusMeterRegistry metrics) {
        this.ready = ready;
        this.metrics = metrics;
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
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
