package dev.latchkey.server.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.time.Duration;

/**
 * The JWT access tokens {@link OwnTokens} has parsed and whose signature it checked, remembered by the SHA-256 of
 * their value ({@link OwnTokens#digestOf}: no token is kept in memory), so that a client calling again and again with one token (the Management API's callers do) pays the
 * parse and the signature check once rather than on every call.
 * <p>
 * What is remembered is only what cannot change for a given value: its claims, and which key signed it. Everything
 * that can change is still checked on every call by {@link OwnTokens}, from in-memory state: that the key ring still
 * publishes the key (a revoked key refuses its tokens at once) or that the API still has the same HS256 secret, the
 * audience asked for, the expiry against the server's clock, and that the client grant or authorization the token
 * hangs from still stands (through the same short caches as before, so a revocation is seen as soon as it was
 * without this cache: at once on the node that made it, within those caches' TTLs on the others).
 * <p>
 * An entry leaves at the token's {@code exp} (by this JVM's clock; the server's clock is checked on each use too),
 * when its key stops verifying, or, past {@link #MAX_ENTRIES} tokens, as the least useful one. Only tokens whose
 * signature checked are remembered, so junk values cannot fill it; a hit needs the exact value, not a look-alike.
 */
final class VerifiedJwts {

    static final int MAX_ENTRIES = 10_000;

    private final Cache<String, CheckedJwt> byDigest;

    VerifiedJwts(Clock clock) {
        this.byDigest = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<String, CheckedJwt>creating((digest, jwt) -> untilExpiry(clock, jwt)))
                .build();
    }

    /** The token checked earlier whose value has this digest, or null. */
    CheckedJwt find(String digest) {
        return byDigest.getIfPresent(digest);
    }

    void remember(String digest, CheckedJwt jwt) {
        byDigest.put(digest, jwt);
    }

    void forget(String digest) {
        byDigest.invalidate(digest);
    }

    private static Duration untilExpiry(Clock clock, CheckedJwt jwt) {
        Duration left = Duration.between(clock.instant(), jwt.expiresAt());
        return left.isNegative() ? Duration.ZERO : left;
    }
}
