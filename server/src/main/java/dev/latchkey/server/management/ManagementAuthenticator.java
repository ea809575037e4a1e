package dev.latchkey.server.management;

import dev.latchkey.server.http.BearerToken;
import dev.latchkey.server.token.InvalidTokenException;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.token.ValidToken;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Verifies the bearer token of a Management API call (RFC 6750 §2.1) with {@link OwnTokens}: a JWT
 * signed here, issued by this issuer, for the audience {@code <issuer>api/v2/}, not expired, its
 * client grant or authorization not revoked.
 */
public final class ManagementAuthenticator {

    private final OwnTokens tokens;
    private final String audience;
    private final Set<String> audiences;

    public ManagementAuthenticator(OwnTokens tokens, String audience) {
        this.tokens = tokens;
        this.audience = audience;
        this.audiences = Set.of(audience);
    }

    public ManagementCaller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw ManagementException.unauthorized("Missing authentication");
        }
        String value = BearerToken.of(authorizationHeader).orElseThrow(() ->
                ManagementException.unauthorized("Bad HTTP authentication header format"));
        String digest = OwnTokens.digestOf(value);
        ValidToken token;
        try {
            token = tokens.accessToken(value, digest, audiences);
        } catch (InvalidTokenException e) {
            throw ManagementException.unauthorized(problem(e.reason()));
        }
        if (token.opaque() || token.issuedAt() == null) {
            throw ManagementException.unauthorized("Invalid token");
        }
        return new ManagementCaller(token.subject(), token.clientId(), Set.copyOf(token.scopes()),
                digest);
    }

    private String problem(InvalidTokenException.Reason reason) {
        return switch (reason) {
            case EXPIRED -> "Expired token";
            case WRONG_AUDIENCE -> "Bad audience: the token is not for " + audience;
            case REVOKED -> "Revoked token";
            default -> "Invalid token";
        };
    }
}
