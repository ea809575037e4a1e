package dev.latchkey.server.oauth;

import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.SigningKeyRing;
import io.javalin.http.Context;

/**
 * {@code GET /.well-known/jwks.json}: the public signing keys (RFC 7517 §5). The next key is
 * published before it signs, so five minutes of caching never hides a key a token uses.
 */
public final class JwksEndpoint {

    static final String CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=60, stale-if-error=86400";

    private final SigningKeyRing ring;

    public JwksEndpoint(SigningKeyRing ring) {
        this.ring = ring;
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", CACHE_CONTROL);
        ctx.header("Access-Control-Allow-Origin", "*");
        Json.write(ctx, 200, ring.jwksJson());
    }
}
