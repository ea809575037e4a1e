package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.SocialStrategy;

import java.net.URI;
import java.util.Map;

/**
 * Each upstream connection's way of logging in, by its strategy: {@code oidc} and the OpenID presets
 * ({@code google-oauth2}, {@code apple}) through {@link OidcUpstream}; {@code oauth2} and the other presets
 * ({@code github}, {@code facebook}, {@code windowslive}) through {@link OAuth2Upstream}. A preset's connection
 * is first completed with what {@link SocialPresets} knows of its provider.
 */
public final class UpstreamStrategies implements UpstreamProtocol {

    private final OidcUpstream oidc;
    private final OAuth2Upstream oauth2;

    public UpstreamStrategies(OidcUpstream oidc, OAuth2Upstream oauth2) {
        this.oidc = oidc;
        this.oauth2 = oauth2;
    }

    @Override
    public URI authorizationRequest(Connection connection, URI redirectUri, String state, String nonce,
                                    String codeVerifier) {
        Connection effective = SocialPresets.effective(connection);
        return protocol(effective).authorizationRequest(effective, redirectUri, state, nonce, codeVerifier);
    }

    @Override
    public OidcUpstream.Login finish(Connection connection, Map<String, String> params, URI redirectUri,
                                     String nonce, String codeVerifier) {
        Connection effective = SocialPresets.effective(connection);
        return protocol(effective).finish(effective, params, redirectUri, nonce, codeVerifier);
    }

    /** Spends the provider's refresh token of a user of {@code connection} (Token Vault), whatever its strategy. */
    public UpstreamTokenRefresh.Refreshed refresh(Connection connection, String refreshToken) {
        Connection effective = SocialPresets.effective(connection);
        return SocialPresets.openId(effective) ? oidc.refresh(effective, refreshToken)
                : oauth2.refresh(effective, refreshToken);
    }

    /** Whether {@link #refresh} can renew the provider tokens of users of {@code strategy}: every upstream one. */
    public static boolean refreshes(String strategy) {
        return Connection.OIDC_STRATEGY.equals(strategy) || SocialStrategy.social(strategy);
    }

    private UpstreamProtocol protocol(Connection connection) {
        return SocialPresets.openId(connection) ? oidc : oauth2;
    }
}
