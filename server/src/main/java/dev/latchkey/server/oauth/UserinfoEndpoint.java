package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.server.http.BearerToken;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.token.OpaqueToken;
import dev.latchkey.server.token.OpaqueTokenLookup;
import dev.latchkey.server.token.UserClaims;
import io.javalin.http.Context;

import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET|POST /userinfo} (OIDC Core §5.3): the claims of the user an access token was issued
 * for, as far as its scopes release them. The token comes in the {@code Authorization: Bearer}
 * header or, on POST, the {@code access_token} form field (RFC 6750 §2.1, §2.2). Accepted: an opaque
 * token issued here, or a JWT signed by the key ring whose audience includes {@code <issuer>userinfo}
 * (Auth0 §1.2); anything else is a 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}
 * (RFC 6750 §3.1).
 */
public final class UserinfoEndpoint {

    /** User profiles are re-read at most this often per user (a hot path at thousands of calls a second). */
    static final Duration USER_TTL = Duration.ofSeconds(5);
    private static final String INVALID = "The access token is invalid or has expired";

    private final OpaqueTokenLookup opaqueTokens;
    private final LoadingCache<String, Optional<User>> users;
    private final DefaultJWTProcessor<SecurityContext> jwts = new DefaultJWTProcessor<>();
    private final String realm;

    public UserinfoEndpoint(String issuer, SigningKeyRing ring, OpaqueTokenLookup opaqueTokens, UserDirectory users) {
        this.opaqueTokens = opaqueTokens;
        this.users = Caffeine.newBuilder().expireAfterWrite(USER_TTL).maximumSize(100_000).build(users::findById);
        this.realm = issuer;
        jwts.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt")));
        jwts.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256),
                (selector, context) -> selector.select(ring.publicJwks())));
        jwts.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(issuer + "userinfo"),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME), null));
    }

    public void handle(Context ctx) {
        String token = bearer(ctx);
        Grant grant = token.chars().filter(c -> c == '.').count() == 2 ? jwt(token) : opaque(token);
        // Auth0: /userinfo answers only for tokens granted openid.
        if (!grant.scopes().contains("openid")) {
            throw new OAuthException("insufficient_scope", "The access token was not granted the openid scope", 403,
                    "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\", scope=\"openid\"");
        }
        User user = users.get(grant.userId()).filter(u -> !u.blocked()).orElseThrow(() -> invalid(INVALID));
        ObjectNode body = Json.object().put("sub", user.userId());
        UserClaims.of(user, grant.scopes()).forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, body);
    }

    private Grant jwt(String token) {
        JWTClaimsSet claims;
        try {
            claims = jwts.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw invalid(INVALID);
        }
        Object scope = claims.getClaim("scope");
        List<String> scopes = scope instanceof String s ? Arrays.asList(s.trim().split("\\s+")) : List.of();
        return new Grant(claims.getSubject(), scopes);
    }

    /**
     * A revoked opaque token (code replay, user blocked or given a new password) is dropped from the
     * lookup's cache at once on the node that revoked it, and answered here for at most
     * {@link OpaqueTokenLookup#TTL} (10 s) more on the other nodes; a deleted or blocked user is
     * refused below once {@link #USER_TTL} (5 s) has passed.
     */
    private Grant opaque(String token) {
        OpaqueToken found = opaqueTokens.find(token).orElseThrow(() -> invalid(INVALID));
        return new Grant(found.userId(), found.scopes());
    }

    /** RFC 6750 §2.1 header or §2.2 form body; never both (§2). */
    private String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        String form = null;
        String contentType = ctx.contentType();
        if (ctx.method().name().equals("POST") && contentType != null
                && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            form = ctx.formParam("access_token");
        }
        if (header != null && form != null) {
            throw new OAuthException("invalid_request", "Send the access token in one place only", 400,
                    "Bearer realm=\"" + realm + "\", error=\"invalid_request\"");
        }
        if (header != null) {
            return BearerToken.of(header).orElseThrow(() ->
                    invalid("The Authorization header must be: Bearer <access token>"));
        }
        if (form != null && !form.isEmpty()) {
            return form;
        }
        // RFC 6750 §3.1: no error code when the request carried no token at all.
        throw new OAuthException("invalid_token", "Missing access token", 401, "Bearer realm=\"" + realm + "\"");
    }

    private OAuthException invalid(String description) {
        return new OAuthException("invalid_token", description, 401,
                "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    private record Grant(String userId, List<String> scopes) {
    }
}
