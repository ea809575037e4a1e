package dev.latchkey.server.ratelimit;

/**
 * A request refused because its bucket is spent: HTTP 429 (RFC 6585 §4) with {@code Retry-After}, written in
 * the shape of the API that was called ({@code too_many_requests}, as Auth0 answers on both of its APIs).
 */
public final class RateLimitedException extends RuntimeException {

    private final transient Quota quota;

    public RateLimitedException(Quota quota, String message) {
        super(message, null, false, false);
        this.quota = quota;
    }

    public Quota quota() {
        return quota;
    }
}
