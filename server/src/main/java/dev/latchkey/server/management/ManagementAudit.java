package dev.latchkey.server.management;

import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.http.RequestOrigin;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The tenant log's record of Management API writes (POST, PUT, PATCH, DELETE), with Auth0's event types:
 * {@code sapi} (success API operation) and {@code fapi} (failed API operation). An entry names the
 * operation, the path, the caller and the status, never a request or response body: bodies carry client
 * secrets, signing secrets and passwords. Calls without a valid token are not logged (anyone can make
 * them, and each entry is kept for weeks).
 */
public final class ManagementAudit {

    private final AuditLog log;
    private final RequestOrigin origin;
    private final RegistryLookups lookups;

    public ManagementAudit(AuditLog log, RequestOrigin origin, RegistryLookups lookups) {
        this.log = log;
        this.origin = origin;
        this.lookups = lookups;
    }

    static boolean isWrite(Context ctx) {
        return switch (ctx.method().name()) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    void succeeded(Context ctx, ManagementCaller caller) {
        record(ctx, caller, "sapi", ctx.status().getCode(), null);
    }

    void failed(Context ctx, ManagementCaller caller, int status, String errorCode) {
        record(ctx, caller, "fapi", status, errorCode);
    }

    /** Described as the route ({@code PATCH /api/v2/clients/{id}}); the path with its ids goes in the details. */
    private void record(Context ctx, ManagementCaller caller, String type, int status, String errorCode) {
        String route = ManagementRouter.template(ctx);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", ctx.method().name().toLowerCase(Locale.ROOT));
        request.put("path", ctx.path());
        request.put("channel", "api");
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("strategy", "jwt");
        auth.put("subject", caller.subject());
        request.put("auth", auth);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        if (errorCode != null) {
            response.put("errorCode", errorCode);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request", request);
        details.put("response", response);
        String clientName = caller.clientId() == null ? null
                : lookups.client(caller.clientId()).map(Client::name).orElse(null);
        log.record(new LogEvent(type, ctx.method().name() + " " + route, caller.clientId(), clientName,
                caller.isClient() ? null : caller.subject(), null, origin.clientAddress(ctx), null, details));
    }
}
