package dev.latchkey.server.management;

import dev.latchkey.server.http.Json;
import io.javalin.http.Context;

/** Writes a {@link ManagementException} in Auth0's Management API shape. */
public final class ManagementErrorResponse {

    private ManagementErrorResponse() {
    }

    public static void write(Context ctx, ManagementException e) {
        if (e.statusCode() == 401) {
            // RFC 6750 §3: a bearer-protected resource says how to authenticate.
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        Json.write(ctx, e.statusCode(), Json.object()
                .put("statusCode", e.statusCode())
                .put("error", e.error())
                .put("message", e.getMessage())
                .put("errorCode", e.errorCode()));
    }
}
