package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;

import java.net.URI;
import java.util.Map;

/**
 * A way of logging in at an upstream provider with the authorization code flow: where to send the browser, and
 * what its answer at the callback says (who logged in, with the provider's tokens). {@link OidcUpstream} speaks
 * OpenID Connect, {@link OAuth2Upstream} plain OAuth 2.0 with a profile endpoint; {@link UpstreamStrategies}
 * picks one per connection.
 */
public interface UpstreamProtocol {

    /** The provider's authorization endpoint with this login's {@code state}, {@code nonce} and PKCE challenge. */
    URI authorizationRequest(Connection connection, URI redirectUri, String state, String nonce, String codeVerifier);

    /**
     * Checks the provider's answer at the callback ({@code params}) and completes the login.
     *
     * @throws UpstreamException when the provider refused, did not answer, or answered something untrustworthy
     */
    OidcUpstream.Login finish(Connection connection, Map<String, String> params, URI redirectUri, String nonce,
                              String codeVerifier);
}
