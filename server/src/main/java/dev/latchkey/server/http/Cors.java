package dev.latchkey.server.http;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.latchkey.server.registry.KnownWebOrigins;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin access for browser applications (Fetch Standard, CORS protocol) on the token and
 * userinfo endpoints: an origin is allowed when an application lists it in its Allowed Web Origins
 * ({@code web_origins}, Auth0). Once the endpoint knows the client, it narrows the answer to that
 * client's own origins. No credentials (cookies) are ever allowed cross-origin.
 */
public final class Cors {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final LoadingCache<String, Boolean> known;

    public Cors(KnownWebOrigins origins) {
        this.known = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build(origins::known);
    }

    /** Before the endpoint: allow the request's origin when some application lists it. */
    public void allow(Context ctx) {
        String origin = ctx.header("Origin");
        ctx.header("Vary", "Origin");
        if (origin != null && origin.length() <= 2048 && known.get(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
        }
    }

    /** The preflight answer (no body): methods and the headers browsers SDKs send. */
    public void preflight(Context ctx, String methods) {
        allow(ctx);
        if (ctx.res().getHeader("Access-Control-Allow-Origin") != null) {
            ctx.header("Access-Control-Allow-Methods", methods);
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Headers", requested == null || requested.length() > 1000
                    ? "Content-Type, Authorization" : requested);
            ctx.header("Access-Control-Max-Age", "86400");
        }
        ctx.status(204);
    }

    /** Narrows the answer to the origins of the client the request turned out to come from. */
    public static void restrictTo(Context ctx, List<String> webOrigins) {
        String origin = ctx.header("Origin");
        if (origin != null && !webOrigins.contains(origin)) {
            ctx.res().setHeader("Access-Control-Allow-Origin", null);
        }
    }
}
