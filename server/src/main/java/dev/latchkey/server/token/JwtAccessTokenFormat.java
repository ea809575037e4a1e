package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.TokenDialect;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * JWT access tokens for registered APIs, in the API's dialect and algorithm
 * (reference: Auth0 access-token profiles; RFC 9068 for the {@code rfc9068_profile} dialects).
 */
public final class JwtAccessTokenFormat {

    /** RFC 9068 §2.1: {@code typ} is {@code at+jwt}. The Auth0 profile says {@code JWT}. */
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final String issuer;
    private final String userinfoAudience;
    private final TokenSigner signer;
    private final Clock clock;

    public JwtAccessTokenFormat(String issuer, TokenSigner signer, Clock clock) {
        this.issuer = issuer;
        this.userinfoAudience = issuer + "userinfo";
        this.signer = signer;
        this.clock = clock;
    }

    public IssuedAccessToken issue(AccessTokenRequest request) {
        ResourceServer api = request.api();
        TokenDialect dialect = api.tokenDialect();
        Instant now = clock.instant();
        // Second precision: NumericDate (RFC 7519 §2) is whole seconds.
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(request.subject())
                // Auth0: with openid in scope the token is good at /userinfo too (RS256 only).
                .audience(request.userinfoAudience() && !api.signingAlg().symmetric()
                        ? List.of(api.identifier(), userinfoAudience)
                        : List.of(api.identifier()))
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(request.lifetimeSeconds())))
                .jwtID(Authorization.jti(request.grantId()));
        if (dialect.rfc9068()) {
            claims.claim("client_id", request.clientId());
        } else {
            claims.claim("azp", request.clientId());
            if (request.grantType() != null) {
                claims.claim("gty", request.grantType());
            }
        }
        if (!request.scopes().isEmpty()) {
            claims.claim("scope", request.scope());
        }
        if (dialect.permissions()) {
            claims.claim("permissions", request.permissions());
        }
        // Nimbus writes a single audience as a string and several as an array, as Auth0 does.
        JWTClaimsSet built = claims.build();
        JOSEObjectType typ = dialect.rfc9068() ? AT_JWT : JOSEObjectType.JWT;
        String value = api.signingAlg().symmetric()
                ? signer.signHmac(built, api.signingSecret(), typ)
                : signer.signRsa(built, api.signingAlg(), typ);
        return new IssuedAccessToken(value, request.lifetimeSeconds(), request.scope());
    }
}
