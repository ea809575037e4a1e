package dev.latchkey.server.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * A client's {@code refresh_token} object (Auth0 §4.2): whether its refresh tokens rotate, whether
 * and when they expire, and the overlap in which the previous token of a rotating family may be
 * used again. Lifetimes are seconds.
 */
public record RefreshTokenSettings(
        boolean rotating,
        boolean expiring,
        int leeway,
        int tokenLifetime,
        boolean infiniteTokenLifetime,
        int idleTokenLifetime,
        boolean infiniteIdleTokenLifetime) {

    /** Auth0: 30 days absolute, 15 days idle. */
    public static final int DEFAULT_TOKEN_LIFETIME = 2_592_000;
    public static final int DEFAULT_IDLE_TOKEN_LIFETIME = 1_296_000;
    /** Auth0: lifetimes are at most one year (365.25 days). */
    public static final int MAX_LIFETIME = 31_557_600;
    /** Auth0 documents no maximum for the rotation overlap; an hour is already generous. */
    public static final int MAX_LEEWAY = 3_600;

    /** Auth0's defaults for confidential applications: one long-lived, non-rotating token. */
    public static final RefreshTokenSettings NON_ROTATING = new RefreshTokenSettings(false, false, 0,
            DEFAULT_TOKEN_LIFETIME, true, DEFAULT_IDLE_TOKEN_LIFETIME, true);
    /** Auth0's defaults for SPAs (RFC 9700 §4.14.2): rotating, expiring. */
    public static final RefreshTokenSettings ROTATING = new RefreshTokenSettings(true, true, 0,
            DEFAULT_TOKEN_LIFETIME, false, DEFAULT_IDLE_TOKEN_LIFETIME, false);

    public static RefreshTokenSettings defaultFor(AppType type) {
        return type == AppType.SPA ? ROTATING : NON_ROTATING;
    }

    /** The absolute lifetime, fixed when a family starts; empty when its tokens never expire so. */
    public Optional<Duration> absoluteLifetime() {
        return expiring && !infiniteTokenLifetime ? Optional.of(Duration.ofSeconds(tokenLifetime)) : Optional.empty();
    }

    /** The lifetime without use, restarting at every exchange; empty when there is none. */
    public Optional<Duration> idleLifetime() {
        return expiring && !infiniteIdleTokenLifetime
                ? Optional.of(Duration.ofSeconds(idleTokenLifetime)) : Optional.empty();
    }

    public String rotationType() {
        return rotating ? "rotating" : "non-rotating";
    }

    public String expirationType() {
        return expiring ? "expiring" : "non-expiring";
    }
}
