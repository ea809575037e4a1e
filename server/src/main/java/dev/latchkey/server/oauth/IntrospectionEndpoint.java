package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.InvalidTokenException;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.ValidToken;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth/introspect} (RFC 7662), beyond Auth0, in this order:
 * <ol>
 *   <li>read the body (form or JSON) and require {@code token} (400 {@code invalid_request});</li>
 *   <li>the caller authenticates as a confidential client (401 {@code invalid_client}, §2.1);</li>
 *   <li>an access token (JWT or opaque) is active when {@link OwnTokens} finds it good, for any
 *       confidential caller: APIs introspect the tokens other clients present to them;</li>
 *   <li>a refresh token is active only for its own client, unexpired, not yet exchanged, its
 *       authorization standing;</li>
 *   <li>everything else, expired, revoked, malformed or not the caller's to see, is
 *       {@code {"active":false}} (§2.2).</li>
 * </ol>
 */
public final class IntrospectionEndpoint {

    private final ClientAuthenticator authenticator;
    private final OwnTokens tokens;
    private final RefreshTokenStore refreshTokens;
    private final FamilySecrets familySecrets;
    private final AuthorizationLookup authorizations;
    private final String issuer;
    private final Clock clock;

    public IntrospectionEndpoint(ClientAuthenticator authenticator, OwnTokens tokens, RefreshTokenStore refreshTokens,
                                 AuthorizationLookup authorizations, String issuer, Clock clock,
                                 FamilySecrets familySecrets) {
        this.familySecrets = familySecrets;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.authorizations = authorizations;
        this.issuer = issuer;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        Map<String, String> params = TokenRequestBody.read(ctx);
        AuthenticatedClient client = authenticator.authenticate(ctx, params);
        if (!client.authenticated()) {
            throw OAuthException.invalidClient("Introspection is for confidential clients: authenticate with the "
                    + "client secret", client.usedBasic());
        }
        String token = params.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("Missing required parameter: token");
        }
        ObjectNode answer = accessToken(token).or(() -> refreshToken(token, client.client().clientId()))
                .orElseGet(() -> Json.object().put("active", false));
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, answer);
    }

    private Optional<ObjectNode> accessToken(String value) {
        ValidToken token;
        try {
            token = tokens.accessToken(value, null);
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
        ObjectNode answer = Json.object().put("active", true)
                .put("token_type", "Bearer")
                .put("scope", String.join(" ", token.scopes()))
                .put("client_id", token.clientId())
                .put("sub", token.subject())
                .put("iss", issuer)
                .put("exp", token.expiresAt().getEpochSecond());
        if (token.issuedAt() != null) {
            answer.put("iat", token.issuedAt().getEpochSecond());
        }
        if (token.audience().size() == 1) {
            answer.put("aud", token.audience().get(0));
        } else {
            ArrayNode audience = answer.putArray("aud");
            token.audience().forEach(audience::add);
        }
        if (token.jti() != null) {
            answer.put("jti", token.jti());
        }
        return Optional.of(answer);
    }

    private Optional<ObjectNode> refreshToken(String value, String clientId) {
        if (value.length() > OwnTokens.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return refreshTokens.findPresented(familySecrets.present(value))
                .filter(token -> token.clientId().equals(clientId))
                .filter(token -> token.rotatedAt() == null && !token.expired(now))
                .filter(token -> authorizations.active(token.authorizationId()).isPresent())
                .map(this::describe);
    }

    private ObjectNode describe(RefreshToken token) {
        ObjectNode answer = Json.object().put("active", true)
                .put("token_type", "refresh_token")
                .put("scope", String.join(" ", token.scopes()))
                .put("client_id", token.clientId())
                .put("sub", token.userId())
                .put("iss", issuer)
                .put("iat", token.createdAt().getEpochSecond());
        Instant expiry = token.validUntil();
        if (expiry != null) {
            answer.put("exp", expiry.getEpochSecond());
        }
        if (token.audience() != null) {
            answer.put("aud", token.audience());
        }
        return answer;
    }
}
