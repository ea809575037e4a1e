package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one validator of the tokens Latchkey issued, used by /userinfo, the Management API,
 * {@code id_token_hint}, introspection and revocation. An access token, in this order:
 * <ol>
 *   <li>a value with two dots is a JWT: {@code typ} {@code JWT} or {@code at+jwt} (RFC 9068 §4), signed
 *       by the key ring (RS256, PS256) or, for an HS256 API, with that API's secret — never by another
 *       algorithm (RFC 8725 §3.1); issued here; for one of the accepted audiences; not expired;</li>
 *   <li>anything else is an opaque token: sealed ({@link SealedOpaqueTokens}), or found by its digest; not
 *       expired;</li>
 *   <li>its authorization (or, for a machine token, its client grant) still stands (RFC 7009 §2.1).</li>
 * </ol>
 * Time is the server's clock, so tests move it instead of forging expired tokens. The parse and the signature
 * check of a JWT are done once per token value ({@link VerifiedJwts}); the checks after them run on every call.
 */
public final class OwnTokens {

    /** Longer values are not tokens of ours; refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Set<JOSEObjectType> ACCESS_TYPES = Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"));

    private final String issuer;
    private final SigningKeyRing ring;
    private final OpaqueTokenLookup opaqueTokens;
    private final SealedOpaqueTokens sealedOpaqueTokens;
    private final AuthorizationLookup authorizations;
    private final RegistryLookups lookups;
    private final MasterKey masterKey;
    private final Clock clock;
    private final Map<String, JWSVerifier> verifiers = new ConcurrentHashMap<>();
    private final VerifiedJwts verified;

    public OwnTokens(String issuer, SigningKeyRing ring, OpaqueTokenLookup opaqueTokens,
                     AuthorizationLookup authorizations, RegistryLookups lookups, MasterKey masterKey, Clock clock) {
        this.issuer = issuer;
        this.ring = ring;
        this.opaqueTokens = opaqueTokens;
        this.sealedOpaqueTokens = new SealedOpaqueTokens(masterKey);
        this.authorizations = authorizations;
        this.lookups = lookups;
        this.masterKey = masterKey;
        this.clock = clock;
        this.verified = new VerifiedJwts(clock);
    }

    /**
     * A good access token for one of {@code audiences} (null: any audience; opaque tokens have the
     * /userinfo audience only), or an {@link InvalidTokenException} saying why not.
     */
    public ValidToken accessToken(String value, Set<String> audiences) {
        return accessToken(value, null, audiences);
    }

    /** The same, given the value's {@link #digestOf digest} already taken (null: taken here if needed). */
    public ValidToken accessToken(String value, String digest, Set<String> audiences) {
        if (value == null || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        if (dots(value) == 2) {
            return jwt(value, digest == null ? digestOf(value) : digest, audiences);
        }
        List<String> audience = List.of(issuer + "userinfo");
        if (audiences != null && audiences.stream().noneMatch(audience::contains)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_AUDIENCE);
        }
        if (!SealedJson.storedForm(value)) {
            return sealedOpaque(value, audience);
        }
        OpaqueToken token = opaqueTokens.find(value).orElseThrow(() ->
                new InvalidTokenException(InvalidTokenException.Reason.UNKNOWN));
        return new ValidToken(true, token.userId(), token.userId(), token.clientId(), audience, token.scopes(),
                token.issuedAt(), token.expiresAt(), null);
    }

    /** A sealed opaque token: this server's, not expired, and its authorization still stands. */
    private ValidToken sealedOpaque(String value, List<String> audience) {
        SealedOpaqueTokens.Contents token = sealedOpaqueTokens.open(value)
                .filter(t -> clock.instant().isBefore(t.expiresAt()))
                .orElseThrow(() -> new InvalidTokenException(InvalidTokenException.Reason.UNKNOWN));
        Authorization authorization = authorizations.active(token.authorizationId())
                .orElseThrow(() -> new InvalidTokenException(InvalidTokenException.Reason.UNKNOWN));
        return new ValidToken(true, authorization.userId(), authorization.userId(), authorization.clientId(),
                audience, token.scopes(), token.issuedAt(), token.expiresAt(), null);
    }

    private static int dots(String value) {
        int dots = 0;
        for (int i = value.indexOf('.'); i >= 0; i = value.indexOf('.', i + 1)) {
            dots++;
        }
        return dots;
    }

    /** The SHA-256 a token value is known by in memory (never the value itself). */
    public static String digestOf(String value) {
        return SecretHash.of(value);
    }

    private ValidToken jwt(String value, String digest, Set<String> audiences) {
        CheckedJwt jwt = verified.find(digest);
        if (jwt != null && !stillSigned(jwt)) {
            verified.forget(digest);
            jwt = null;
        }
        if (jwt == null) {
            jwt = check(value);
            verified.remember(digest, jwt);
        }
        if (audiences != null && jwt.audience().stream().noneMatch(audiences::contains)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_AUDIENCE);
        }
        if (!clock.instant().isBefore(jwt.expiresAt())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
        }
        if (!standing(jwt.jti(), jwt.clientId(), jwt.audience().get(0), jwt.machine())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.REVOKED);
        }
        return new ValidToken(false, jwt.subject(), jwt.machine() ? null : jwt.subject(), jwt.clientId(),
                jwt.audience(), jwt.scopes(), jwt.issuedAt(), jwt.expiresAt(), jwt.jti());
    }

    /** Steps 1 to 4 of a JWT: parsed, typed, issued here, signed by our key (or its API's secret). */
    private CheckedJwt check(String value) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(value);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        if (jwt.getHeader().getType() == null || !ACCESS_TYPES.contains(jwt.getHeader().getType())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getExpirationTime() == null) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_ISSUER);
        }
        List<String> audience = claims.getAudience();
        if (audience.isEmpty()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_AUDIENCE);
        }
        String hmacSecret = hmacSecret(jwt, audience.get(0));
        if (!verified(jwt, hmacSecret)) {
            throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE);
        }
        String clientId = stringClaim(claims, "azp") != null ? stringClaim(claims, "azp")
                : stringClaim(claims, "client_id");
        String scope = stringClaim(claims, "scope");
        List<String> scopes = scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
        Instant issuedAt = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        return new CheckedJwt(jwt.getHeader().getAlgorithm(), jwt.getHeader().getKeyID(), hmacSecret,
                claims.getSubject(), clientId, audience, scopes, issuedAt, claims.getExpirationTime().toInstant(),
                stringClaim(claims, "jti"));
    }

    /** The HS256 secret of the API a token names first, when the token is HS256 and that API signs so; else null. */
    private String hmacSecret(SignedJWT jwt, String audience) {
        return JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) ? hmacSecret(audience) : null;
    }

    /** RS256/PS256 by the ring's key named in {@code kid}, or HS256 with the API's own secret. */
    private boolean verified(SignedJWT jwt, String hmacSecret) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            if (JWSAlgorithm.HS256.equals(alg)) {
                return hmacSecret != null && jwt.verify(new MACVerifier(hmacSecret.getBytes(StandardCharsets.UTF_8)));
            }
            if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.PS256.equals(alg)) {
                return false;
            }
            JWSVerifier verifier = ringVerifier(jwt.getHeader().getKeyID());
            return verifier != null && jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Whether what signed a remembered token ({@link VerifiedJwts}) would still verify it: the ring still publishes
     * its key, or its API still signs with HS256 and the same secret.
     */
    private boolean stillSigned(CheckedJwt jwt) {
        if (JWSAlgorithm.HS256.equals(jwt.algorithm())) {
            String now = hmacSecret(jwt.audience().get(0));
            return now != null && MessageDigest.isEqual(now.getBytes(StandardCharsets.UTF_8),
                    jwt.hmacSecret().getBytes(StandardCharsets.UTF_8));
        }
        try {
            return ringVerifier(jwt.kid()) != null;
        } catch (JOSEException e) {
            return false;
        }
    }

    private String hmacSecret(String audience) {
        Optional<ResourceServer> api = lookups.api(audience);
        return api.isPresent() && api.get().signingAlg() == SigningAlgorithm.HS256 ? api.get().signingSecret() : null;
    }

    /**
     * Whether what the token hangs from still stands: its authorization, or for a machine token its
     * client grant (which a deletion or re-creation ends). A {@code jti} naming neither is from before
     * authorizations had ids and can only run out.
     */
    private boolean standing(String jti, String clientId, String audience, boolean machine) {
        String grantId = Authorization.idOfJti(jti);
        if (grantId == null) {
            return true;
        }
        if (machine) {
            return lookups.clientGrant(clientId, audience).map(ClientGrant::id).filter(grantId::equals).isPresent();
        }
        return authorizations.active(grantId).isPresent();
    }

    /**
     * An {@code id_token_hint} (OIDC RP-Initiated Logout 1.0 §2, OIDC Core §3.1.2.1): an ID token this
     * server issued to an existing client, signed with the algorithm that client's ID tokens use
     * ({@link IdTokenFormat#jws}; no other algorithm is tried, RFC 8725 §3.1). It may have expired: an
     * application logs out with the ID token it has, however old.
     */
    public Optional<JWTClaimsSet> idTokenHint(String hint) {
        if (hint == null || hint.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(hint);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getAudience().size() != 1) {
                return Optional.empty();
            }
            Optional<Client> client = lookups.client(claims.getAudience().get(0));
            if (client.isEmpty() || !IdTokenFormat.jws(client.get()).equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            JWSVerifier verifier = idTokenVerifier(jwt, client.get());
            return verifier != null && jwt.verify(verifier) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * An ID token this server issued, still valid, as Auth0 takes one in {@code link_with}, in this order: a JWT
     * (not {@code at+jwt}) signed RS256 (Auth0: the ID token must be RS256) by a key the ring still publishes;
     * issued here; for one existing client alone ({@code aud}); an ID token, not an access token (no {@code scope},
     * {@code client_id}, {@code azp} or {@code gty}: every access token issued here has {@code azp} or
     * {@code client_id}); with a subject; not expired.
     */
    public JWTClaimsSet idToken(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(value);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        JOSEObjectType type = jwt.getHeader().getType();
        if ((type != null && !JOSEObjectType.JWT.equals(type))
                || !JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        try {
            JWSVerifier verifier = ringVerifier(jwt.getHeader().getKeyID());
            if (verifier == null || !jwt.verify(verifier)) {
                throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE);
            }
        } catch (JOSEException | IllegalStateException e) {
            throw new InvalidTokenException(InvalidTokenException.Reason.BAD_SIGNATURE);
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_ISSUER);
        }
        if (claims.getAudience().size() != 1 || lookups.client(claims.getAudience().get(0)).isEmpty()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.WRONG_AUDIENCE);
        }
        if (claims.getClaim("scope") != null || claims.getClaim("client_id") != null || claims.getClaim("gty") != null
                || claims.getClaim("azp") != null
                || claims.getSubject() == null || claims.getExpirationTime() == null) {
            throw new InvalidTokenException(InvalidTokenException.Reason.MALFORMED);
        }
        if (!clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
        }
        return claims;
    }

    private JWSVerifier idTokenVerifier(SignedJWT jwt, Client client) throws JOSEException {
        if (jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.HS256)) {
            if (client.secret() == null) {
                return null;
            }
            String secret = masterKey.openString(client.secret().sealed(), IdTokenFormat.CLIENT_SECRET_PURPOSE);
            return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        }
        return ringVerifier(jwt.getHeader().getKeyID());
    }

    /**
     * The verifier of the ring's key {@code kid}, only while the ring still publishes it (a revoked key
     * stops verifying at once); the verifier itself is kept per kid, since a kid names one key for ever.
     */
    private JWSVerifier ringVerifier(String kid) throws JOSEException {
        if (kid == null) {
            return null;
        }
        for (JWK key : ring.publicJwks().getKeys()) {
            if (kid.equals(key.getKeyID()) && key instanceof RSAKey rsa) {
                JWSVerifier cached = verifiers.get(kid);
                if (cached == null) {
                    cached = new RSASSAVerifier(rsa);
                    verifiers.put(kid, cached);
                }
                return cached;
            }
        }
        return null;
    }

    /** A string claim of verified claims, or null when absent or not a string (never a 500). */
    public static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
