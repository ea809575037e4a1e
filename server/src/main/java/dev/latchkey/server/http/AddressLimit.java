package dev.latchkey.server.http;

import dev.latchkey.server.management.ManagementApi;
import dev.latchkey.server.ratelimit.LocalBuckets;
import dev.latchkey.server.ratelimit.Quota;
import dev.latchkey.server.ratelimit.RateLimitedException;
import io.javalin.http.Context;

import java.util.Set;

/**
 * The per-address limit of the Authentication API (Auth0 limits unauthenticated traffic per IP), the address
 * taken from {@link RequestOrigin} so that a trusted proxy's {@code X-Forwarded-For} counts and nobody else's.
 * <p>Rules:
 * <ul>
 *   <li>the operations endpoints ({@code /health/*}, {@code /metrics}) are not limited;</li>
 *   <li>where a caller proves who it is (token, revocation and introspection with a client secret, the
 *       Management API with a token) the caller's own bucket pays ({@link CallerLimit}); the address pays
 *       only for the requests no caller vouched for (failed or missing authentication), after the answer, and
 *       an address whose bucket is spent is refused before any work;</li>
 *   <li>everything else spends the address's bucket up front.</li>
 * </ul>
 * The buckets are this node's: they protect its CPU, and a flood spread over N nodes meets N buckets.
 */
public final class AddressLimit {

    private static final String VOUCHED = "latchkey.rate-limit.vouched";
    private static final String REFUSED = "Too many requests from this address; retry later";
    private static final Set<String> UNLIMITED = Set.of("/health/live", "/health/ready", "/metrics");
    private static final Set<String> CALLER_PAYS = Set.of("/oauth/token", "/oauth/revoke", "/oauth/introspect");

    private final LocalBuckets buckets;
    private final RequestOrigin origin;

    public AddressLimit(LocalBuckets buckets, RequestOrigin origin) {
        this.buckets = buckets;
        this.origin = origin;
    }

    /** Marks the request as paid for by its caller's own bucket. */
    static void vouched(Context ctx) {
        ctx.attribute(VOUCHED, Boolean.TRUE);
    }

    public void before(Context ctx) {
        String path = ctx.path();
        if (UNLIMITED.contains(path)) {
            return;
        }
        String address = origin.clientAddress(ctx);
        if (callerPays(path)) {
            Quota quota = buckets.peek(address);
            if (!quota.allowed()) {
                vouched(ctx); // refused here: nothing more to pay after the answer
                throw new RateLimitedException(quota, REFUSED);
            }
            // No headers yet: the bucket that pays writes them, the caller's (CallerLimit) or, after the answer,
            // this address's, and they would replace these on every such answer.
            return;
        }
        Quota quota = buckets.take(address);
        if (!quota.allowed()) {
            throw new RateLimitedException(quota, REFUSED);
        }
        RateLimitHeaders.write(ctx, quota);
    }

    /** Charges the address for a request where a caller could have vouched and none did. */
    public void after(Context ctx) {
        String path = ctx.path();
        if (!callerPays(path) || ctx.attribute(VOUCHED) != null) {
            return;
        }
        Quota quota = buckets.take(origin.clientAddress(ctx));
        // The answer is decided; its headers say what is left for the next request, unless it is a 429 of
        // another bucket (a client_id's failures), whose headers stay.
        if (ctx.statusCode() != 429) {
            RateLimitHeaders.write(ctx, new Quota(true, quota.limit(), quota.remaining(), quota.resetEpochSecond(), 0));
        }
    }

    private static boolean callerPays(String path) {
        return CALLER_PAYS.contains(path) || path.startsWith(ManagementApi.PREFIX + "/") || path.equals(ManagementApi.PREFIX);
    }
}
