package dev.latchkey.server.token;

/**
 * Picks the access-token format for a user token (Auth0 §1.2): a JWT for the requested API, or an
 * opaque token good only at /userinfo when there is no audience; and its lifetime (Auth0 §4.1).
 * The flows ask for a token and do not care which format they get.
 */
public final class UserAccessTokens {

    private final JwtAccessTokenFormat jwt;
    private final OpaqueAccessTokenFormat opaque;

    public UserAccessTokens(JwtAccessTokenFormat jwt, OpaqueAccessTokenFormat opaque) {
        this.jwt = jwt;
        this.opaque = opaque;
    }

    public IssuedAccessToken issue(UserAccessTokenRequest request) {
        if (request.api() == null) {
            // Auth0: 7200 s from the implicit flow, 86400 s from code and hybrid; not configurable.
            int lifetime = request.implicit() ? OpaqueAccessTokenFormat.IMPLICIT_LIFETIME
                    : OpaqueAccessTokenFormat.CODE_LIFETIME;
            return opaque.issue(request.clientId(), request.userId(), request.scopes(), lifetime, request.codeHash());
        }
        // Auth0: token_lifetime at the token endpoint, token_lifetime_for_web in the browser.
        int lifetime = request.front() ? request.api().tokenLifetimeForWeb() : request.api().tokenLifetime();
        // Auth0: no gty for authorization code and implicit tokens; with openid the token is
        // good at /userinfo too.
        return jwt.issue(new AccessTokenRequest(request.api(), request.userId(), request.clientId(),
                request.scopes(), request.permissions(), null, request.scopes().contains("openid"), lifetime));
    }

    /** Revokes the opaque tokens exchanged for a code (JWTs cannot be recalled); returns their digests. */
    public java.util.List<String> revokeIssuedFrom(String codeHash) {
        return opaque.revokeIssuedFrom(codeHash);
    }
}
