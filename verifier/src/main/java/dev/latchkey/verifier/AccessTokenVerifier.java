package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING;
import static dev.latchkey.verifier.TokenVerificationException.Reason.NOT_A_JWT;
import static dev.latchkey.verifier.TokenVerificationException.Reason.OVERSIZED;

/**
 * Verifies access tokens issued by one Latchkey (or Auth0) issuer for one API. Thread-safe; build one per
 * API and share it.
 * <pre>{@code
 * AccessTokenVerifier verifier = AccessTokenVerifier.builder()
 *     .issuer("https://auth.example.com/")
 *     .audience("https://example.com/health-api")
 *     .build();
 * VerifiedToken token = verifier.verify(bearerToken);
 * }</pre>
 * Close it to stop the background JWKS refresh.
 */
public final class AccessTokenVerifier implements AutoCloseable {

    private final String issuer;
    private final String audience;
    private final JwtAccessTokens jwts;
    private final UserinfoTokens opaque;
    private final KeySource keys;

    private AccessTokenVerifier(String issuer, String audience, JwtAccessTokens jwts, UserinfoTokens opaque,
                                KeySource keys) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwts = jwts;
        this.opaque = opaque;
        this.keys = keys;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code token} (without the {@code Bearer } prefix).
     *
     * @throws TokenVerificationException with the reason, if it is not a valid access token for this API
     */
    public VerifiedToken verify(String token) throws TokenVerificationException {
        if (token == null || token.isEmpty()) {
            throw new TokenVerificationException(MISSING, "No access token was presented");
        }
        if (token.length() > CompactJws.MAX_LENGTH) {
            throw new TokenVerificationException(OVERSIZED, "The access token is too large");
        }
        if (CompactJws.looksLikeJwt(token)) {
            return jwts.verify(token);
        }
        if (opaque != null) {
            return opaque.verify(token);
        }
        throw new TokenVerificationException(NOT_A_JWT,
                "The access token is not a JWT; request one with this API's audience");
    }

    public String issuer() {
        return issuer;
    }

    /** The API identifier tokens must name in {@code aud}; the adapters also use it as the Bearer realm. */
    public String audience() {
        return audience;
    }

    /** Stops the background refresh of the issuer's keys. */
    @Override
    public void close() {
        keys.close();
    }

    /** Configures an {@link AccessTokenVerifier}; only {@link #issuer} and {@link #audience} are required. */
    public static final class Builder {

        private static final Set<JWSAlgorithm> SUPPORTED = Set.of(
                JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.HS256);

        private String issuer;
        private String audience;
        private Set<JWSAlgorithm> algorithms = Set.of(JWSAlgorithm.RS256);
        private byte[] hmacSecret;
        private Duration leeway = Duration.ofSeconds(60);
        private JWKSet jwks;
        private boolean opaqueViaUserinfo;
        private Duration httpTimeout = Duration.ofSeconds(5);
        private Duration minJwksLifetime = Duration.ofSeconds(60);
        private Duration maxJwksLifetime = Duration.ofHours(24);
        private Duration unknownKidRefetchInterval = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The issuer exactly as it appears in {@code iss}, e.g. {@code https://auth.example.com/} (with the
         * trailing slash Latchkey and Auth0 use). https, or http on localhost, 127.0.0.1 or [::1].
         */
        public Builder issuer(String issuer) {
            IssuerUri.requireIssuer(Objects.requireNonNull(issuer, "issuer"));
            this.issuer = issuer;
            return this;
        }

        /** The API identifier that {@code aud} must contain. */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * The signing algorithms accepted; RS256 by default. Supported: RS256, PS256, ES256, and HS256 when a
         * secret is given with {@link #hmacSecret}.
         */
        public Builder algorithms(String... names) {
            Set<JWSAlgorithm> chosen = new LinkedHashSet<>();
            for (String name : names) {
                JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
                if (!SUPPORTED.contains(algorithm)) {
                    throw new IllegalArgumentException("Unsupported algorithm " + name + "; supported: " + SUPPORTED);
                }
                chosen.add(algorithm);
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("At least one algorithm is needed");
            }
            this.algorithms = Set.copyOf(chosen);
            return this;
        }

        /** The API's signing secret (at least 256 bits); also allows HS256. */
        public Builder hmacSecret(byte[] secret) {
            this.hmacSecret = Objects.requireNonNull(secret, "secret").clone();
            return this;
        }

        /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; 60 s by default. */
        public Builder leeway(Duration leeway) {
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must not be negative");
            }
            this.leeway = leeway;
            return this;
        }

        /** Verifies with these keys only, never fetching any: for tests, benchmarks and pinned keys. */
        public Builder jwks(JWKSet jwks) {
            this.jwks = Objects.requireNonNull(jwks, "jwks");
            return this;
        }

        /**
         * Accepts opaque (non-JWT) tokens that the issuer's userinfo endpoint accepts. Such tokens carry no
         * scopes or audience: use this only for endpoints that need nothing beyond a signed-in user.
         */
        public Builder opaqueTokensViaUserinfo() {
            this.opaqueViaUserinfo = true;
            return this;
        }

        /** Timeout for each request to the issuer; 5 s by default. */
        public Builder httpTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.httpTimeout = timeout;
            return this;
        }

        /**
         * Bounds on how long a fetched JWKS counts as fresh, whatever its {@code Cache-Control} says;
         * 60 s to 24 h by default (5 min when the issuer sends no max-age).
         */
        public Builder jwksLifetimeBounds(Duration min, Duration max) {
            this.minJwksLifetime = min;
            this.maxJwksLifetime = max;
            return this;
        }

        /**
         * The least time between a key fetch and one triggered by an unknown {@code kid}, and between two
         * attempts at discovery while the issuer is down; 30 s by default.
         */
        public Builder unknownKidRefetchInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative");
            }
            this.unknownKidRefetchInterval = interval;
            return this;
        }

        /** The clock for time claims and refetch intervals; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AccessTokenVerifier build() {
            if (issuer == null || audience == null) {
                throw new IllegalStateException("issuer and audience are required");
            }
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>(algorithms);
            MACVerifier hmac = null;
            if (hmacSecret != null) {
                try {
                    hmac = new MACVerifier(hmacSecret); // RFC 7518 §3.2: refuses secrets under 256 bits
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("The HS256 secret must be at least 256 bits", e);
                }
                allowed.add(JWSAlgorithm.HS256);
            } else if (allowed.contains(JWSAlgorithm.HS256)) {
                throw new IllegalStateException("HS256 needs the API's signing secret: call hmacSecret(...)");
            }

            IssuerHttp http = new IssuerHttp(httpTimeout);
            IssuerDiscovery discovery = new IssuerDiscovery(issuer, http, clock, unknownKidRefetchInterval);
            JwksLifetime lifetime = new JwksLifetime(minJwksLifetime, maxJwksLifetime, Duration.ofMinutes(5));
            KeySource keys = jwks != null
                    ? KeySource.fixed(SigningKeys.from(jwks))
                    : new RemoteJwks(discovery, http, lifetime, unknownKidRefetchInterval, clock);
            JwtAccessTokens jwts = new JwtAccessTokens(new HeaderCheck(allowed), keys, hmac,
                    new ClaimsCheck(issuer, audience, leeway, clock));
            UserinfoTokens opaque = opaqueViaUserinfo ? new UserinfoTokens(issuer, discovery, http, clock) : null;
            return new AccessTokenVerifier(issuer, audience, jwts, opaque, keys);
        }
    }
}
