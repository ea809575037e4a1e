package dev.latchkey.server.http;

import io.javalin.http.Context;

/**
 * Where a request really came from: the peer's address and scheme, or, when the peer is a trusted
 * proxy, what its {@code X-Forwarded-For} and {@code X-Forwarded-Proto} headers say.
 */
public final class RequestOrigin {

    private final TrustedProxies proxies;
    private final boolean tls;
    private final UntrustedForwarding untrustedForwarding;

    public RequestOrigin(TrustedProxies proxies, boolean tls) {
        this(proxies, tls, new UntrustedForwarding());
    }

    RequestOrigin(TrustedProxies proxies, boolean tls, UntrustedForwarding untrustedForwarding) {
        this.proxies = proxies;
        this.tls = tls;
        this.untrustedForwarding = untrustedForwarding;
    }

    public boolean secure(Context ctx) {
        if (tls) {
            return true;
        }
        if (trustedPeer(ctx, ctx.req().getRemoteAddr())) {
            String proto = ctx.header("X-Forwarded-Proto");
            return proto != null && proto.trim().equalsIgnoreCase("https");
        }
        return false;
    }

    /** The client's address: the right-most untrusted hop of {@code X-Forwarded-For} behind trusted proxies. */
    public String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!trustedPeer(ctx, peer)) {
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

    /** Whether {@code peer} is a trusted proxy; if not and it sent {@code X-Forwarded-For}, a warning now and then. */
    private boolean trustedPeer(Context ctx, String peer) {
        if (proxies.trusts(peer)) {
            return true;
        }
        if (ctx.header("X-Forwarded-For") != null) {
            untrustedForwarding.seen(peer);
        }
        return false;
    }
}
