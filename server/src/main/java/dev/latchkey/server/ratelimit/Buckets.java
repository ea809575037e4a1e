package dev.latchkey.server.ratelimit;

/** A family of token buckets under one {@link RateLimit}, one bucket per key (an address, a client, a token). */
public interface Buckets {

    /** Takes one token from the key's bucket, if there is one. */
    Quota take(String key);
}
