package dev.latchkey.server.token;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;

/**
 * What a user flow decided to issue from an authorization. {@code api} is null when there is no
 * audience (an opaque /userinfo token). {@code nonce} and {@code code} go into the ID token
 * ({@code c_hash}); {@code previous} is the refresh token being exchanged, if any, and {@code successor}
 * the token already stored in its place when the exchange took one step; {@code gty} is Auth0's
 * grant-type claim for a JWT access token, null where Auth0 puts none.
 */
public record UserTokenRequest(
        Authorization authorization,
        Client client,
        ResourceServer api,
        User user,
        Channel channel,
        boolean accessToken,
        boolean idToken,
        String nonce,
        String code,
        RefreshToken previous,
        NewRefreshToken successor,
        String gty) {

    /** Where the tokens leave, which picks lifetimes and whether a refresh token may come along. */
    public enum Channel {
        /** The authorization endpoint, implicit flow (Auth0: web lifetimes; opaque tokens 7200 s). */
        IMPLICIT,
        /** The authorization endpoint, hybrid flow (web lifetimes; opaque tokens 86400 s). */
        HYBRID,
        /** The token endpoint, exchanging a code or a password (or, later, a device code). */
        TOKEN_ENDPOINT,
        /** The token endpoint, exchanging a refresh token. */
        REFRESH;

        boolean front() {
            return this == IMPLICIT || this == HYBRID;
        }
    }

    public static UserTokenRequest atTokenEndpoint(Authorization authorization, Client client, ResourceServer api,
                                                   User user, String nonce) {
        return new UserTokenRequest(authorization, client, api, user, Channel.TOKEN_ENDPOINT, true,
                authorization.scopes().contains("openid"), nonce, null, null, null, null);
    }
}
