package dev.latchkey.server.oauth;

import dev.latchkey.server.http.Cors;
import dev.latchkey.server.keys.SealedJson;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.TenantSettings;
import dev.latchkey.server.token.AuthorizationLookup;
import dev.latchkey.server.token.OpaqueTokenStore;
import dev.latchkey.server.token.OwnTokens;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.FamilySecrets;
import dev.latchkey.server.token.PresentedRefreshToken;
import dev.latchkey.server.token.RefreshTokenStore;
import dev.latchkey.server.token.Revocations;
import dev.latchkey.server.token.SealedOpaqueTokens;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /oauth/revoke} (RFC 7009, Auth0 §8.2), in this order:
 * <ol>
 *   <li>read the body (form or JSON) and require {@code token} (400 {@code invalid_request});</li>
 *   <li>authenticate the client as at the token endpoint (401 {@code invalid_client});</li>
 *   <li>a refresh token of this client revokes its authorization: the family and every access token
 *       issued from it, at once on every node (beyond Auth0, which leaves access tokens alone); with
 *       the tenant flag {@code revoke_refresh_token_grant}, every authorization of the same user,
 *       client and API (Auth0 §4.2);</li>
 *   <li>an opaque access token of this client is deleted; a sealed one, which is not stored, revokes its
 *       authorization as a refresh token does; a JWT access token cannot be recalled one by one and is left to
 *       run out (Auth0 revokes only refresh tokens);</li>
 *   <li>answer 200 with an empty body, also for unknown tokens and other clients' tokens
 *       (RFC 7009 §2.2), which stay valid.</li>
 * </ol>
 */
public final class RevocationEndpoint {

    private final ClientAuthenticator authenticator;
    private final RefreshTokenStore refreshTokens;
    private final OpaqueTokenStore opaqueTokens;
    private final SealedOpaqueTokens sealedOpaqueTokens;
    private final AuthorizationLookup authorizations;
    private final Revocations revocations;
    private final RegistryLookups lookups;
    private final FamilySecrets familySecrets;
    private final Clock clock;

    public RevocationEndpoint(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens,
                              OpaqueTokenStore opaqueTokens, SealedOpaqueTokens sealedOpaqueTokens,
                              AuthorizationLookup authorizations, Revocations revocations, RegistryLookups lookups,
                              FamilySecrets familySecrets, Clock clock) {
        this.familySecrets = familySecrets;
        this.clock = clock;
        this.sealedOpaqueTokens = sealedOpaqueTokens;
        this.authorizations = authorizations;
        this.authenticator = authenticator;
        this.refreshTokens = refreshTokens;
        this.opaqueTokens = opaqueTokens;
        this.revocations = revocations;
        this.lookups = lookups;
    }

    public void handle(Context ctx) {
        Map<String, String> params = TokenRequestBody.read(ctx);
        String token = params.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("Missing required parameter: token");
        }
        AuthenticatedClient client = authenticator.authenticate(ctx, params);
        // CORS: as at the token endpoint, only the client's own Allowed Web Origins may read the answer.
        Cors.restrictTo(ctx, client.client().webOrigins());
        if (token.length() <= OwnTokens.MAX_TOKEN_LENGTH && token.chars().filter(c -> c == '.').count() != 2) {
            revoke(token, client.client().clientId());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(200);
    }

    private void revoke(String value, String clientId) {
        // Any token of a family, the live one or one it replaced, revokes it for its own client: a tab that logs
        // out with a token another tab has since exchanged still ends the session (RFC 7009 §2.1).
        PresentedRefreshToken presented = familySecrets.present(value);
        RefreshToken refresh = refreshTokens.find(presented.lookupHash())
                .filter(t -> t.clientId().equals(clientId))
                .filter(t -> presented.against(t) != PresentedRefreshToken.Match.UNRELATED)
                .orElse(null);
        if (refresh != null) {
            if (lookups.tenant().flag(TenantSettings.REVOKE_REFRESH_TOKEN_GRANT)) {
                revocations.grant(refresh.userId(), refresh.clientId(), refresh.audience());
            } else {
                revocations.authorization(refresh.authorizationId());
            }
            return;
        }
        if (!SealedJson.storedForm(value)) {
            // A sealed opaque token stands while its authorization does: revoking it revokes that authorization,
            // and the refresh tokens of the same grant with it (RFC 7009 §2.1 allows it; nothing else recalls it).
            // An expired one is no token any more: it revokes nothing.
            sealedOpaqueTokens.open(value).filter(t -> clock.instant().isBefore(t.expiresAt()))
                    .flatMap(t -> authorizations.active(t.authorizationId()))
                    .filter(a -> a.clientId().equals(clientId))
                    .ifPresent(a -> revocations.authorization(a.id()));
            return;
        }
        String tokenHash = SecretHash.of(value);
        opaqueTokens.find(tokenHash).filter(t -> t.clientId().equals(clientId)).ifPresent(opaque -> {
            opaqueTokens.delete(tokenHash);
            revocations.opaqueToken(tokenHash);
        });
    }
}
