package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import io.javalin.http.Context;

/** Writes an {@link OAuthException} as RFC 6749 §5.2 JSON. */
public final class OAuthErrorResponse {

    private OAuthErrorResponse() {
    }

    public static void write(Context ctx, OAuthException e) {
        ObjectNode body = Json.object().put("error", e.code()).put("error_description", e.description());
        if (e.wwwAuthenticate() != null) {
            ctx.header("WWW-Authenticate", e.wwwAuthenticate());
        }
        if (e.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(e.retryAfter()));
        }
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, e.status(), body);
    }
}
