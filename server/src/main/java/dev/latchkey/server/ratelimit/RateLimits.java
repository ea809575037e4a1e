package dev.latchkey.server.ratelimit;

/**
 * The server's limits, each settable (DESIGN §1 configuration). The defaults fit a self-hosted server:
 * a well-behaved client taking thousands of tokens a second is never held back, while what no credential
 * vouches for, failed client authentications and Management API calls are limited in Auth0's manner
 * (Auth0's rate-limit policy: a burst, then a sustained refill).
 *
 * @param address        Authentication API requests per client IP that no client credential vouches for
 *                       (Auth0 Enterprise: 100/s sustained, bursts to 2–4×)
 * @param client         token, revocation and introspection calls per authenticated client
 * @param clientFailures failed client authentications per {@code client_id}, across the cluster
 * @param managementToken Management API calls per access token, across the cluster (Auth0 Enterprise: 50 burst,
 *                       16/s sustained, "most endpoints 50 rps"; a self-hosted admin script gets twice the burst)
 */
public record RateLimits(RateLimit address, RateLimit client, RateLimit clientFailures, RateLimit managementToken) {

    public static final RateLimits DEFAULTS = new RateLimits(
            RateLimit.parse("LATCHKEY_RATE_LIMIT_ADDRESS", "300,100/s"),
            RateLimit.parse("LATCHKEY_RATE_LIMIT_CLIENT", "20000,10000/s"),
            RateLimit.parse("LATCHKEY_RATE_LIMIT_CLIENT_FAILURES", "20,10/min"),
            RateLimit.parse("LATCHKEY_RATE_LIMIT_MANAGEMENT", "100,50/s"));

    /** The defaults, each replaced by its setting when given (null or blank keeps the default). */
    public static RateLimits of(String address, String client, String clientFailures, String managementToken) {
        return new RateLimits(
                orDefault("LATCHKEY_RATE_LIMIT_ADDRESS", address, DEFAULTS.address),
                orDefault("LATCHKEY_RATE_LIMIT_CLIENT", client, DEFAULTS.client),
                orDefault("LATCHKEY_RATE_LIMIT_CLIENT_FAILURES", clientFailures, DEFAULTS.clientFailures),
                orDefault("LATCHKEY_RATE_LIMIT_MANAGEMENT", managementToken, DEFAULTS.managementToken));
    }

    private static RateLimit orDefault(String name, String value, RateLimit fallback) {
        return value == null || value.isBlank() ? fallback : RateLimit.parse(name, value);
    }
}
