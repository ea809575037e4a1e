package dev.latchkey.server.http;

import io.javalin.http.Context;

/**
 * Where a request really came from: the peer's address and scheme, or, when the peer is a trusted
 * proxy, what its {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers say.
 */
public final class RequestOrigin {

    private final TrustedProxies proxies;
    private final boolean tls;

    public RequestOrigin(TrustedProxies proxies, boolean tls) {
        this.proxies = proxies;
        this.tls = tls;
    }

    public boolean secure(Context ctx) {
        if (tls) {
            return true;
        }
        if (proxies.trusts(ctx.req().getRemoteAddr())) {
            String proto = ctx.header("X-Forwarded-Proto");
            return proto != null && proto.trim().equalsIgnoreCase("https");
        }
        return false;
    }

    /** The client's address: the right-most untrusted hop of {@code X-Forwarded-For} behind trusted proxies. */
    public String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!proxies.trusts(peer)) {
            return peer;
        }
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !proxies.trusts(hop)) {
                return hop;
            }
        }
        return hops[0].trim();
    }
}
